import Router from '@koa/router';
import { RequestContext, type MikroORM } from '@mikro-orm/core';
import Koa from 'koa';
import passport from 'koa-passport';
import session from 'koa-session';
import { Strategy as LocalStrategy } from 'passport-local';
import { User } from './entities/user.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`);
/** Only paths of this site: `return_to` comes from the query string. */
const localPath = (path: unknown) => (typeof path === 'string' && /^\/(?![/\\])/.test(path) ? path : '/');

/** Reads a form or JSON body into `ctx.request.body`, where passport-local looks for the credentials. */
async function readBody(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  (ctx.request as { body?: unknown }).body = ctx.is('json')
    ? JSON.parse(text || '{}')
    : Object.fromEntries(new URLSearchParams(text));
  await next();
}

export function createApp(orm: MikroORM): Koa {
  const app = new Koa();
  app.keys = ['passport-app-secret'];
  const em = () => RequestContext.getEntityManager()!;

  passport.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      em()
        .findOne(User, { email })
        .then(user => done(null, user && user.active && user.password === password ? user : false), done);
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as User).id));
  passport.deserializeUser(
    (id: number, done) => void em().findOne(User, { id, active: true }).then(user => done(null, user ?? false), done),
  );

  const router = new Router();
  router.get('/', ctx => {
    // The app's own idea of who is signed in: passport's user.
    const user = ctx.state.user as User | undefined;
    ctx.body = user
      ? `<p>Signed in as ${escapeHtml(user.name)} &lt;${escapeHtml(user.email)}&gt;</p>`
      : '<p>Not signed in</p>';
  });
  router.get('/login', ctx => {
    ctx.body = `<form method="post" action="/login">
  <input name="email" type="email"> <input name="password" type="password">
  <input type="hidden" name="return_to" value="${escapeHtml(localPath(ctx.query.return_to))}">
  <button>Sign in</button>
</form>`;
  });
  router.post('/login', readBody, (ctx, next) =>
    passport.authenticate('local', async (error: unknown, user: User | false) => {
      if (error) throw error;
      if (!user) {
        ctx.status = 401;
        ctx.body = 'Wrong email or password.';
        return;
      }
      await ctx.login(user);
      ctx.status = 303;
      ctx.redirect(localPath((ctx.request as { body?: { return_to?: string } }).body?.return_to));
    })(ctx, next),
  );
  router.post('/logout', async ctx => {
    await ctx.logout();
    ctx.status = 303;
    ctx.redirect('/login');
  });

  app.use(session(app));
  app.use((_ctx, next) => RequestContext.create(orm.em, next));
  app.use(passport.initialize());
  app.use(passport.session());
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
