/**
 * `fields` with a `user` that is made the first time it is read: an own, enumerable property, so spreading the
 * object or `JSON.stringify` still carries the user, as a plain `get user()` would.
 *
 * Not a getter in an object literal: V8 gives each object made by such a literal a hidden class of its own
 * (the getter is a new closure each time), allocated where the garbage collector keeps long-lived objects —
 * about 1 µs an object and a full collection every so often, where the JSON endpoint makes three such objects
 * an account. Here every object shares one getter and one hidden class; the state is in private fields.
 */
export function withLazyUser<Fields extends object, User>(make: () => User, fields: Fields): Fields & { readonly user: User } {
  return Object.assign(new LazyUser(make), fields) as LazyUser<User> & Fields & { readonly user: User };
}

class LazyUser<User> {
  #make: (() => User) | undefined;
  #user: User | undefined;

  constructor(make: () => User) {
    this.#make = make;
    Object.defineProperty(this, 'user', userProperty);
  }

  static read<User>(target: LazyUser<User>): User {
    if (target.#make) {
      target.#user = target.#make();
      target.#make = undefined;
    }
    return target.#user as User;
  }
}

const userProperty: PropertyDescriptor = {
  enumerable: true,
  get(this: LazyUser<unknown>) {
    return LazyUser.read(this);
  },
};
