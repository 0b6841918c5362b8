// koa-csrf ships no types; the tests only construct its middleware.
declare module 'koa-csrf' {
  import type { Middleware } from 'koa';
  export default class CSRF {
    constructor(options?: { ignoredPathGlobs?: string[] });
  }
  // biome-ignore lint/suspicious/noRedeclare: the module's class and its middleware type share the name
  export default interface CSRF extends Middleware {}
}
