import { randomBytes } from 'node:crypto';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import Koa, { type Context, type Next } from 'koa';
import koaPassport from 'koa-passport';
import session from 'koa-session';
import * as oidc from 'openid-client';
import { Strategy as OidcStrategy } from 'openid-client/passport';
import { Strategy as LocalStrategy } from 'passport-local';
// In your app: from 'mikro-multi-account/koa' and 'mikro-multi-account/koa-passport'.
import { koaPassportIdentity } from '../../src/koa-passport/index.ts';
import {
  accountSwitcher,
  addAccountReturnPath,
  csrfToken,
  loadMultiAccount,
  multiAccountRoutes,
  requireCsrfToken,
  safeLocalPath,
  takeFlash,
  type MultiAccountKoaOptions,
} from '../../src/koa/index.ts';
import { User } from '../demo/entities.ts';
import { verifyPassword } from '../demo/passwords.ts';
import { homePage } from '../demo/views/pages.ts';
import { signInPage } from './pages.ts';

type Form = Record<string, string | undefined>;
const formOf = (ctx: Context) => ((ctx.request as { body?: unknown }).body ?? {}) as Form;
const returnToKey = 'example_id_return_to';

/** A cookie of its own (a sign-in empties the session): someone of this browser signed in through Example ID. */
const exampleIdUsed = 'example_id.used';

type ExampleIdOptions = Parameters<OidcStrategy['authorizationRequestParams']>[1] & { freshLogin?: boolean };

/**
 * Example ID starts from a CSRF-protected POST (a GET would let any site start a sign-in); its callback is a GET.
 * `freshLogin` asks for a sign-in now (`prompt=login`, `max_age=0`): openid-client then refuses an ID token whose
 * `auth_time` is older, so a provider that ignored the request cannot sign anyone in with an old session.
 */
class ExampleIdStrategy extends OidcStrategy {
  override shouldInitiateAuthRequest(...args: Parameters<OidcStrategy['shouldInitiateAuthRequest']>): boolean {
    return args[0].method === 'POST' || super.shouldInitiateAuthRequest(...args);
  }

  override authorizationRequestParams(...[req, options]: Parameters<OidcStrategy['authorizationRequestParams']>) {
    const params = new URLSearchParams(super.authorizationRequestParams(req, options));
    if ((options as ExampleIdOptions).freshLogin) {
      params.set('prompt', 'login');
      params.set('max_age', '0');
    }
    return params;
  }
}

/**
 * The example: koa-passport signs people in — with a password (passport-local) or through Example ID (OpenID
 * Connect, openid-client's passport strategy) — and the library only reads and writes passport's session.
 */
export function createPassportApp(
  orm: MikroORM,
  {
    exampleId,
    callbackUrl,
    postLogoutUrl,
    sessionKeys = [randomBytes(32).toString('hex')],
  }: { exampleId: oidc.Configuration; callbackUrl: string; postLogoutUrl: string; sessionKeys?: string[] },
): Koa {
  const app = new Koa();
  app.keys = sessionKeys;
  const passport = new koaPassport.KoaPassport();
  const activeUser = (where: { id: number } | { email: string }) =>
    RequestContext.getEntityManager()!.findOne(User, { ...where, status: 'active' });

  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      RequestContext.getEntityManager()!
        .findOne(User, { email: email.trim().toLowerCase() })
        .then(
          async user =>
            done(
              null,
              (await verifyPassword(password, user?.passwordHash)) && user?.status === 'active' ? user : false,
            ),
          done,
        );
    }),
  );
  passport.use(
    'example-id',
    new ExampleIdStrategy(
      { config: exampleId, scope: 'openid email profile', callbackURL: callbackUrl },
      (tokens, done) => {
        // Who it is comes from the ID token; the email from the userinfo endpoint. Only a verified email matches.
        oidc
          .fetchUserInfo(exampleId, tokens.access_token, tokens.claims()!.sub)
          .then(info =>
            info.email_verified && typeof info.email === 'string'
              ? activeUser({ email: info.email.toLowerCase() })
              : null,
          )
          .then(user => done(null, user ?? false), done);
      },
    ),
  );
  passport.serializeUser((user, done) => done(null, (user as User).id));
  passport.deserializeUser((id: number, done) => void activeUser({ id }).then(user => done(null, user ?? false), done));

  const multiAccount: MultiAccountKoaOptions<User> = {
    userEntity: User,
    identity: koaPassportIdentity(passport),
    rememberAccounts: true,
  };
  const links = multiAccountRoutes(multiAccount);
  const pages = new Router();
  const csrf = requireCsrfToken();
  /** A remembered account signing in again: its email, to fill in the form and to hint Example ID with. */
  const loginHintOf = (value: unknown) => (typeof value === 'string' ? value.slice(0, 254) : '');
  const signedIn = (ctx: Context, user: unknown, returnTo: string) =>
    ctx.login(user).then(() => {
      ctx.status = 303;
      ctx.redirect(returnTo);
    });

  /** The login guard: signed-in people are sent home — unless they are adding an account. */
  const guestsOnly = (ctx: Context, next: Next) =>
    ctx.state.user && !addAccountReturnPath(ctx) ? ctx.redirect('/') : next();

  pages.get('/', async ctx => {
    // What the app itself knows: passport's user. The library keeps it in step with the switcher.
    ctx.body = homePage({
      user: ctx.state.user as User | null,
      primary: ctx.state.primaryUser,
      switcher: await accountSwitcher<User>(ctx),
      flash: takeFlash(ctx),
    });
  });

  pages.get('/sign-in', guestsOnly, ctx => {
    const adding = addAccountReturnPath(ctx);
    ctx.body = signInPage({
      csrfToken: csrfToken(ctx),
      returnTo: adding ?? safeLocalPath(ctx.query.return_to),
      addingAccount: adding !== null,
      email: loginHintOf(ctx.query.login_hint),
      flash: takeFlash(ctx),
    });
  });

  pages.post('/sign-in', guestsOnly, csrf, (ctx, next) =>
    passport.authenticate('local', async (error: unknown, user: User | false) => {
      if (error) throw error;
      const returnTo = safeLocalPath(formOf(ctx).return_to);
      if (user) return signedIn(ctx, user, returnTo);
      ctx.status = 401;
      ctx.body = signInPage({
        csrfToken: csrfToken(ctx),
        returnTo,
        addingAccount: addAccountReturnPath(ctx) !== null,
        error: 'Wrong email or password.',
      });
    })(ctx, next),
  );

  // Off to Example ID; where to come back to waits in the session. Adding an account, a remembered account and
  // "Sign in again" (both come with a login_hint) ask Example ID for a sign-in now, rather than return whoever is
  // signed in there already: the next person at this browser must type the password.
  pages.post('/auth/example-id', guestsOnly, csrf, (ctx, next) => {
    const form = formOf(ctx);
    ctx.session![returnToKey] = safeLocalPath(form.return_to);
    const loginHint = loginHintOf(form.login_hint) || undefined;
    const options: ExampleIdOptions = { freshLogin: Boolean(addAccountReturnPath(ctx) || loginHint), loginHint };
    return passport.authenticate('example-id', options)(ctx, next);
  });

  pages.get('/auth/example-id/callback', (ctx, next) =>
    passport.authenticate('example-id', async (error: unknown, user: User | false) => {
      const returnTo = safeLocalPath(ctx.session![returnToKey]);
      delete ctx.session![returnToKey];
      if (!error && user) {
        ctx.cookies.set(exampleIdUsed, '1', { signed: true, httpOnly: true, sameSite: 'lax' });
        return signedIn(ctx, user, returnTo);
      }
      ctx.status = 401;
      ctx.body = signInPage({
        csrfToken: csrfToken(ctx),
        returnTo,
        addingAccount: false,
        error: 'Example ID did not sign you in to an account here.',
      });
    })(ctx, next),
  );

  pages.post('/sign-out', csrf, async ctx => {
    await ctx.logout();
    ctx.status = 303;
    ctx.redirect('/sign-in');
  });

  app.use(session({ key: 'passport-example.sid', sameSite: 'lax' }, app));
  app.use(endExampleIdSessionToo(exampleId, postLogoutUrl));
  app.use(
    bodyParser({
      enableTypes: ['form'],
      formLimit: '16kb',
      onError: (_error, ctx) => ctx.throw(400, 'Malformed request body.'),
    }),
  );
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(loadMultiAccount(multiAccount)); // after passport: ctx.login / ctx.logout are then the library's too
  app.use(links.routes()).use(links.allowedMethods());
  app.use(pages.routes()).use(pages.allowedMethods());
  return app;
}

/**
 * "Sign out of all accounts" and the app's own sign-out end Example ID's session too, when someone of this browser
 * signed in through it (RP-initiated logout): otherwise the next person at this browser would be signed in there.
 */
function endExampleIdSessionToo(exampleId: oidc.Configuration, postLogoutUrl: string) {
  return async (ctx: Context, next: Next) => {
    const signingOut = ctx.method === 'POST' && (ctx.path === '/link/sign_out_all' || ctx.path === '/sign-out');
    const used = signingOut && ctx.cookies.get(exampleIdUsed, { signed: true }) === '1';
    await next();
    if (!used || ctx.status !== 303 || ctx.state.user) return;
    ctx.cookies.set(exampleIdUsed, null, { signed: true });
    ctx.redirect(oidc.buildEndSessionUrl(exampleId, { post_logout_redirect_uri: postLogoutUrl }).href);
    ctx.status = 303;
  };
}
