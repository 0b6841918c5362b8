// koa-csrf ships no types; the tests only construct its middleware.
declare module 'koa-csrf' {
  import type { Middleware } from 'koa';
  export default class CSRF {
    constructor(options?: { ignoredPathGlobs?: string[] });
  }
  export default interface CSRF extends Middleware {}
}
