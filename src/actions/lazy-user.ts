/**
 * A base for objects whose `user` entity is made the first time it is read. `user` is an own, enumerable
 * property, so spreading such an object or `JSON.stringify` still carries the user, as a `get user()` in an
 * object literal would.
 *
 * Not a getter in an object literal: V8 gives each object made by such a literal a hidden class of its own
 * (the getter is a new closure each time), allocated where the garbage collector keeps long-lived objects,
 * which brings full collections, with three such objects an account on the JSON endpoint. Here every object
 * of a subclass shares one getter and one hidden class; the state is private.
 * Subclasses assign their own fields in their constructors, and must not declare `user` as a field.
 */
export abstract class WithLazyUser<User> {
  declare readonly user: User;
  #make: (() => User) | undefined;
  #user: User | undefined;

  /** `fields`: the user's properties as loaded, enough to show the account without the entity. */
  constructor(
    make: () => User,
    readonly fields: Readonly<Record<string, unknown>>,
  ) {
    this.#make = make;
    Object.defineProperty(this, 'user', userProperty);
  }

  static userOf<User>(target: WithLazyUser<User>): User {
    if (target.#make) {
      target.#user = target.#make();
      target.#make = undefined;
    }
    return target.#user as User;
  }
}

const userProperty: PropertyDescriptor = {
  enumerable: true,
  get(this: WithLazyUser<unknown>) {
    return WithLazyUser.userOf(this);
  },
};
