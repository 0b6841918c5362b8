import { ConnectionException } from '@mikro-orm/core';
import { isTransientConflict } from '../../actions/retrying-transaction.ts';
import type { Middleware } from 'koa';
import { httpMessages } from '../../errors/http-messages.ts';
import { outageReporter } from '../http/outages.ts';

// Socket errors, PostgreSQL's connection/shutdown SQLSTATEs, and MySQL/MariaDB's lost-connection codes.
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
]);
const unavailableMessages = new RegExp(
  [
    'connection terminated',
    'connection (?:is )?closed',
    'terminating connection',
    'timeout acquiring a connection',
    'socket hang up',
    'server has gone away',
  ].join('|'),
  'i',
);

/**
 * Whether an error means the database cannot serve the request right now (as opposed to a bug or bad input):
 * it cannot be reached, or it still ended the transaction for a race (deadlock, serialization failure, lock
 * wait) after the actions' retries.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  return (
    error instanceof ConnectionException ||
    isTransientConflict(error) ||
    (typeof code === 'string' && unavailableCodes.has(code)) ||
    unavailableMessages.test(error.message) ||
    isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1)
  );
}

/**
 * Turns "the database is unreachable" into a clean 503 with `Retry-After`, instead of a 500 with details, and
 * reports the outage once (see `outageReporter`). The ORM's pool reconnects by itself once the database is back.
 */
export function databaseFaultsAs503(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      databaseOutage.worked();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      databaseOutage.failed(ctx, error);
      ctx.set('retry-after', '5');
      ctx.throw(503, httpMessages.DATABASE_UNAVAILABLE, { expose: true });
    }
  };
}

// One per process: every instance of the middleware sees the same database.
const databaseOutage = outageReporter('the database');
