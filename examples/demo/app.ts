import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import Koa, { type Context } from 'koa';
import session from 'koa-session';
// In your app: from 'mikro-multi-account/koa'.
import {
  accountSwitcher,
  csrfToken,
  loadMultiAccount,
  multiAccountRoutes,
  putUserId,
  isDatabaseUnavailable,
  type redisSessionStore,
  requireCsrfToken,
  safeLocalPath,
  signOut,
  takeFlash,
  type MultiAccountKoaOptions,
} from '../../src/koa/index.ts';
import { contentSecurityPolicy } from './content-security-policy.ts';
import { Note, User } from './entities.ts';
import { activeTeam, addNote, chooseTeam, teamsOf } from './teams.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import {
  homePage,
  serviceUnavailablePage as unavailablePage,
  signInPage,
  signUpPage,
  singlePage,
} from './views/pages.ts';

type Form = Record<string, string | undefined>;
const formOf = (ctx: Context) => ((ctx.request as { body?: unknown }).body ?? {}) as Form;
const field = (form: Form, name: string) => (typeof form[name] === 'string' ? form[name]!.trim() : '');

/** While the database is unreachable every page answers 503 with a short explanation, never a stack trace. */
async function serviceUnavailablePage(ctx: Context, next: () => Promise<unknown>): Promise<void> {
  try {
    await next();
  } catch (error) {
    if ((error as { status?: number }).status !== 503 && !isDatabaseUnavailable(error)) throw error;
    ctx.status = 503;
    ctx.set('retry-after', '5');
    ctx.body = unavailablePage();
  }
}

/** In a `/u/N/…` tab, its prefix (the loader took it off `ctx.path`): forms and redirects stay in the tab. */
const tabOf = (ctx: Context) => /^\/u\/\d{1,3}(?=\/|$)/.exec(ctx.originalUrl)?.[0] ?? '';

/** A body that cannot be read (bad JSON, a gzip header over plain text) is the client's mistake: 400, not 500. */
function refuseBadBody(error: Error, ctx: Context): never {
  const status = (error as { status?: number }).status;
  ctx.throw(
    status === 413 || status === 415 ? status : 400,
    status === 413 ? 'Request body too large.' : 'Malformed request body.',
  );
}

/** The demo: password sign-in and sign-up, and the library's link and switch flows. */
export function createDemoApp(
  orm: MikroORM,
  {
    sessionKeys = [randomBytes(32).toString('hex')],
    sessionStore,
    perTab = false,
  }: {
    sessionKeys?: string[];
    sessionStore?: ReturnType<typeof redisSessionStore>;
    /** Per-tab accounts: `/u/N/…` acts as account N of the group, the browser session untouched. */
    perTab?: boolean;
  } = {},
): Koa {
  const app = new Koa();
  app.keys = sessionKeys;
  // rememberAccounts: an account signed out of on its own stays listed in the switcher, to sign in again in one click.
  // switcherOnEveryPage: every page shows the switcher, so the loader brings the group in its one statement.
  const multiAccount: MultiAccountKoaOptions<User> = {
    userEntity: User,
    rememberAccounts: true,
    switcherOnEveryPage: true,
    ...(perTab ? { accountSelector: { pathPrefix: true } } : {}),
  };
  const links = multiAccountRoutes(multiAccount);
  const pages = new Router();
  const csrf = requireCsrfToken();

  pages.get('/', async ctx => {
    const user = ctx.state.currentUser as User | null;
    const em = RequestContext.getEntityManager()!;
    ctx.body = homePage({
      user,
      primary: ctx.state.primaryUser,
      switcher: await accountSwitcher<User>(ctx),
      flash: takeFlash(ctx),
      tab: tabOf(ctx),
      team: user && {
        active: ctx.state.team,
        teams: await teamsOf(em, user),
        notes: await em.find(Note, {}, { populate: ['author'], orderBy: { id: 'asc' } }),
      },
    });
  });

  // The team chooser and the notes: both act as the account the page was made for (the CSRF token says which).
  pages.post('/team', csrf, async ctx => {
    await chooseTeam(ctx, RequestContext.getEntityManager()!, Number(formOf(ctx).team));
    ctx.status = 303;
    ctx.redirect(`${tabOf(ctx)}/`);
  });

  pages.post('/notes', csrf, async ctx => {
    const text = field(formOf(ctx), 'text').slice(0, 500);
    if (text && ctx.state.currentUser) await addNote(ctx, RequestContext.getEntityManager()!, text);
    ctx.status = 303;
    ctx.redirect(`${tabOf(ctx)}/`);
  });

  pages.get('/spa', ctx => {
    ctx.body = singlePage();
  });

  pages.get('/spa.js', async ctx => {
    ctx.type = 'text/javascript';
    ctx.body = await readFile(new URL('./public/spa.js', import.meta.url), 'utf8');
  });

  pages.get('/sign-in', async ctx => {
    // A remembered account signing in again comes with its email as login_hint (the page escapes it).
    const email = typeof ctx.query.login_hint === 'string' ? ctx.query.login_hint.slice(0, 254) : '';
    const switcher = await accountSwitcher<User>(ctx);
    ctx.body = signInPage({
      csrfToken: csrfToken(ctx),
      returnTo: safeLocalPath(ctx.query.return_to),
      email,
      switcher,
      flash: takeFlash(ctx),
    });
  });

  pages.post('/sign-in', csrf, async ctx => {
    const form = formOf(ctx);
    const email = field(form, 'email').toLowerCase();
    const returnTo = safeLocalPath(form.return_to);
    const user = email ? await orm.em.findOne(User, { email }) : null;
    const passwordOk = await verifyPassword(field(form, 'password'), user?.passwordHash);
    if (!user || !passwordOk || user.status !== 'active') {
      ctx.status = 401;
      const error = user && passwordOk ? 'This account is deactivated.' : 'Wrong email or password.';
      ctx.body = signInPage({ csrfToken: csrfToken(ctx), returnTo, email, error });
      return;
    }
    await putUserId(ctx, user.id);
    ctx.status = 303;
    ctx.redirect(returnTo);
  });

  pages.get('/sign-up', ctx => {
    ctx.body = signUpPage({ csrfToken: csrfToken(ctx) });
  });

  pages.post('/sign-up', csrf, async ctx => {
    const form = formOf(ctx);
    const [name, email, password] = [field(form, 'name'), field(form, 'email').toLowerCase(), form.password ?? ''];
    const error =
      !name || name.length > 80
        ? 'Please enter your name (80 characters at most).'
        : !/^[^\s@]{1,64}@[^\s@]{1,189}\.[^\s@]+$/.test(email)
          ? 'Please enter a valid email address.'
          : password.length < 8 || password.length > 1024
            ? 'Please choose a password of at least 8 characters.'
            : (await orm.em.count(User, { email })) > 0
              ? 'An account with this email already exists.'
              : undefined;
    if (error) {
      ctx.status = 422;
      ctx.body = signUpPage({ csrfToken: csrfToken(ctx), name, email, error });
      return;
    }
    const user = orm.em.create(User, { name, email, passwordHash: await hashPassword(password) });
    await orm.em.flush();
    await putUserId(ctx, user.id);
    ctx.status = 303;
    ctx.redirect('/');
  });

  pages.post('/sign-out', csrf, async ctx => {
    await signOut(ctx);
    ctx.status = 303;
    ctx.redirect('/sign-in');
  });

  app.use(contentSecurityPolicy());
  app.use(serviceUnavailablePage);
  app.use(session({ key: 'demo.sid', sameSite: 'lax', ...(sessionStore ? { store: sessionStore } : {}) }, app));
  app.use(bodyParser({ enableTypes: ['form', 'json'], formLimit: '16kb', jsonLimit: '16kb', onError: refuseBadBody }));
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(loadMultiAccount(multiAccount));
  app.use(activeTeam(() => RequestContext.getEntityManager()!));
  app.use(links.routes()).use(links.allowedMethods());
  app.use(pages.routes()).use(pages.allowedMethods());
  return app;
}
