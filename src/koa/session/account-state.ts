import type { Context } from 'koa';
import type { ResolvedKoaOptions } from '../options.ts';
import { accountsOf } from './request-accounts.ts';
import { type AccountStateLimits, AccountStateTooLargeError } from './account-state-limits.ts';
import { type SessionData, type SessionKeys, sessionOf } from './session-keys.ts';

/** What an app keeps for one account: read and written like `ctx.session`, JSON values only. */
export type AccountSessionData = Record<string, unknown>;

type States = Record<string, AccountSessionData>;
const ofRequest = Symbol('mikro-multi-account account session');
/** This request's view, and every account's state as it came with the request (JSON), to go back to. */
type WithAccountSession = Context & { [ofRequest]?: { id: string; data: AccountSessionData; loaded: string } };

/**
 * The state the app keeps for the account this request acts as — the session's, or the tab's with `/u/N/` and
 * the selector header — kept inside the browser session (whatever store the app configured) under
 * `sessionKeys.accountState`, one object per account. `ctx.session` is shared by every account of the browser;
 * this is not: another account never sees it, and it goes when its account is unlinked or signed out of. Null
 * when nobody is signed in. Nothing is written until the app writes.
 */
export function accountSession(ctx: Context): AccountSessionData | null {
  const accounts = accountsOf(ctx);
  const id = accounts.idOf(accounts.currentUser);
  if (id === undefined) return null;
  const cached = (ctx as WithAccountSession)[ofRequest];
  if (cached?.id === id) return cached.data;
  const session = sessionOf(ctx);
  const data = accountView(session, accounts.options, id);
  const loaded = cached?.loaded ?? JSON.stringify(session[accounts.options.sessionKeys.accountState] ?? null);
  (ctx as WithAccountSession)[ofRequest] = { id, data, loaded };
  return data;
}

/** Drops what the app kept for `accountId` in this browser session: the account left it. */
export function forgetAccountState(ctx: Context, keys: SessionKeys, accountId: string): void {
  const session = sessionOf(ctx);
  const states = session[keys.accountState] as States | undefined;
  if (!states || !Object.hasOwn(states, accountId)) return;
  delete states[accountId];
  if (Object.keys(states).length === 0) delete session[keys.accountState];
}

/**
 * At the end of a request that used `accountSession`: a write the proxy could not see (inside a nested object)
 * that took the state past its limits is an error naming the limit, and the state goes back to what it was.
 */
export function checkAccountStateLimits(ctx: Context, options: ResolvedKoaOptions): void {
  const used = (ctx as WithAccountSession)[ofRequest];
  if (!used) return;
  const key = options.sessionKeys.accountState;
  const session = sessionOf(ctx);
  const states = session[key] as States | undefined;
  for (const id of Object.keys(states ?? {})) {
    const over = overLimits(states!, id, options.accountState);
    if (!over) continue;
    const loaded = JSON.parse(used.loaded) as States | null;
    if (loaded) session[key] = loaded;
    else delete session[key];
    throw over;
  }
}

/** A live view of one account's state: reads go to the session, writes create the account's entry. */
function accountView(session: SessionData, options: ResolvedKoaOptions, id: string): AccountSessionData {
  const key = options.sessionKeys.accountState;
  const states = () => session[key] as States | undefined;
  const own = () => states()?.[id];
  return new Proxy({} as AccountSessionData, {
    get: (_, name) => (typeof name === 'string' ? own()?.[name] : undefined),
    has: (_, name) => typeof name === 'string' && own() !== undefined && Object.hasOwn(own()!, name),
    ownKeys: () => Object.keys(own() ?? {}),
    getOwnPropertyDescriptor: (_, name) => {
      const data = own();
      if (typeof name !== 'string' || !data || !Object.hasOwn(data, name)) return undefined;
      return { value: data[name], writable: true, enumerable: true, configurable: true };
    },
    set: (_, name, value) => {
      if (typeof name !== 'string') return false;
      const all = states() ?? {};
      const before = all[id];
      const next = { ...all, [id]: { ...before, [name]: value } };
      const over = overLimits(next, id, options.accountState);
      if (over) throw over;
      session[key] = next;
      return true;
    },
    deleteProperty: (_, name) => {
      const data = own();
      if (typeof name !== 'string' || !data || !Object.hasOwn(data, name)) return true;
      delete data[name];
      if (Object.keys(data).length === 0) delete states()![id];
      if (Object.keys(states()!).length === 0) delete session[key];
      return true;
    },
  });
}

function overLimits(states: States, id: string, limits: AccountStateLimits): AccountStateTooLargeError | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(states[id] ?? {}));
  if (bytes > limits.maxBytesPerAccount) {
    return new AccountStateTooLargeError('maxBytesPerAccount', bytes, limits.maxBytesPerAccount);
  }
  const total = Buffer.byteLength(JSON.stringify(states));
  return total > limits.maxBytes ? new AccountStateTooLargeError('maxBytes', total, limits.maxBytes) : undefined;
}
