import { DeadlockException } from '@mikro-orm/core';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../src/koa/index.ts';

// The retry itself runs against real deadlocks in races.test.ts.
describe('isDatabaseUnavailable', () => {
  it('counts a deadlock that outlived the retries as the database being unable to serve the request (503)', () => {
    expect(isDatabaseUnavailable(new DeadlockException(new Error('deadlock detected')))).toBe(true);
    expect(isDatabaseUnavailable(new Error('a bug'))).toBe(false);
  });
});
