import { RequestContext, type EntityManager } from '@mikro-orm/core';
import type { Context } from 'koa';

/** How the Koa layer reaches MikroORM: a fixed EntityManager, one chosen per request, or MikroORM's RequestContext. */
export type EntityManagerSource = EntityManager | ((ctx: Context) => EntityManager);

const forks = new WeakMap<Context, EntityManager>();

/**
 * The EntityManager for this request. With MikroORM's `RequestContext` middleware (the usual Koa set-up) it
 * is that request's fork; a fixed `em` is forked once per request, so requests never share an identity map.
 */
export function requestEntityManager(ctx: Context, source?: EntityManagerSource): EntityManager {
  if (typeof source === 'function') return source(ctx);
  const contextual = RequestContext.getEntityManager(source?.name);
  if (contextual) return contextual;
  if (!source) {
    throw new Error(
      'mikro-multi-account found no MikroORM request context: ' +
        'add `app.use((ctx, next) => RequestContext.create(orm.em, next))` before it, or pass `em`.',
    );
  }
  let fork = forks.get(ctx);
  if (!fork) forks.set(ctx, (fork = source.fork()));
  return fork;
}
