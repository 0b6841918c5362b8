import { expect, it } from 'vitest';
import { withLazyUser } from '../../src/actions/lazy-user.ts';

it('makes the user the first time it is read, once, and carries it as an own property of the object', () => {
  let made = 0;
  const make = () => ({ id: ++made });
  const account = withLazyUser(make, { id: '7', label: 'Alice' });
  const other = withLazyUser(make, { id: '8', label: 'Bob' });
  expect(made).toBe(0);
  expect(account.user).toEqual({ id: 1 });
  expect(account.user).toBe(account.user);
  expect(made).toBe(1);
  // Spread and JSON see it as they would a `get user()` in the literal: own and enumerable.
  expect({ ...other }).toEqual({ id: '8', label: 'Bob', user: { id: 2 } });
  expect(JSON.parse(JSON.stringify(account))).toEqual({ id: '7', label: 'Alice', user: { id: 1 } });
  expect(Object.keys(account)).toEqual(['user', 'id', 'label']);
  expect(made).toBe(2);
});
