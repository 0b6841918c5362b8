import { expect, it } from 'vitest';
import { WithLazyUser } from '../../src/actions/lazy-user.ts';

class Account extends WithLazyUser<{ id: number }> {
  constructor(
    make: () => { id: number },
    readonly id: string,
    readonly label: string,
  ) {
    super(make, { label });
  }
}

it('makes the user the first time it is read, once, and carries it as an own property of the object', () => {
  let made = 0;
  const make = () => ({ id: ++made });
  const account = new Account(make, '7', 'Alice');
  const other = new Account(make, '8', 'Bob');
  expect(made).toBe(0);
  expect(account.user).toEqual({ id: 1 });
  expect(account.user).toBe(account.user);
  expect(made).toBe(1);
  // Spread and JSON see it as they would a `get user()` in an object literal: own and enumerable.
  expect({ ...other }).toEqual({ fields: { label: 'Bob' }, id: '8', label: 'Bob', user: { id: 2 } });
  expect(JSON.parse(JSON.stringify(account))).toEqual({
    fields: { label: 'Alice' },
    id: '7',
    label: 'Alice',
    user: { id: 1 },
  });
  expect(Object.keys(account)).toEqual(['fields', 'user', 'id', 'label']);
  expect(made).toBe(2);
});
