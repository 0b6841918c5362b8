import { generateKeyPairSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Provider, { type Configuration } from 'oidc-provider';
import { html, SafeHtml } from '../demo/views/html.ts';
import { layout } from '../demo/views/layout.ts';

/** The people the identity provider knows, with their own password there (not the app's). */
export const providerAccounts = [
  { sub: 'example-id-alice', name: 'Alice', email: 'alice@example.com' },
  { sub: 'example-id-bob', name: 'Bob', email: 'bob@example.com' },
  { sub: 'example-id-carol', name: 'Carol', email: 'carol@example.com' },
];
export const providerPassword = 'example-id-password';

export interface RunningProvider {
  issuer: string;
  close(): Promise<void>;
}

const samePassword = (given: string) => {
  const [a, b] = [Buffer.from(given), Buffer.from(providerPassword)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * "Example ID": a real OpenID Connect provider (oidc-provider) on its own origin, with its own login and consent
 * pages, and one client — the example app at `redirectUri`.
 */
export async function startIdentityProvider({
  port,
  client,
}: {
  port: number;
  client: { id: string; secret: string; redirectUri: string; postLogoutRedirectUri: string };
}): Promise<RunningProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const server = createServer();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const configuration: Configuration = {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: [client.redirectUri],
        post_logout_redirect_uris: [client.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' } as never] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    features: {
      devInteractions: { enabled: false },
      // The app's sign-out ends the session here too (RP-initiated logout); Example ID asks first, as providers do.
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.body = layout({
            title: 'Sign out of Example ID',
            body: html`<section class="card"><p class="muted">Example ID</p><h1>Sign out of Example ID too?</h1>
${new SafeHtml(form)}<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button> \
<button class="secondary" type="submit" form="op.logoutForm">No, stay signed in</button></p></section>`,
          });
        },
      },
    },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = providerAccounts.find(candidate => candidate.sub === sub);
      return (
        account && {
          accountId: sub,
          claims: () => ({ sub, name: account.name, email: account.email, email_verified: true }),
        }
      );
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.use(interactionRoutes(provider).routes());
  server.on('request', provider.callback());
  return { issuer, close: () => new Promise(resolve => server.close(() => resolve())) };
}

/** The provider's own login and consent pages. */
function interactionRoutes(provider: Provider): Router {
  const router = new Router();
  const body = bodyParser({ enableTypes: ['form'] });
  const page = (title: string, content: ReturnType<typeof html>) =>
    layout({ title, body: html`<section class="card"><p class="muted">Example ID</p>${content}</section>` });

  router.get('/interaction/:uid', async ctx => {
    const { uid, prompt, params } = await provider.interactionDetails(ctx.req, ctx.res);
    const hint = typeof params.login_hint === 'string' ? params.login_hint : ''; // the app's remembered account
    ctx.set('cache-control', 'no-store');
    ctx.body =
      prompt.name === 'login'
        ? page(
            'Sign in with Example ID',
            html`<h1>Sign in with Example ID</h1>
<form method="post" action="/interaction/${uid}/login">
<label for="email">Email</label>\
<input id="email" name="email" type="email" required value="${hint}"${hint ? '' : html` autofocus`}>
<label for="password">Password</label>\
<input id="password" name="password" type="password" required${hint ? html` autofocus` : ''}>
<p><button type="submit">Continue</button></p></form>`,
          )
        : page(
            'Allow access',
            html`<h1>Allow ${String(params.client_id)} to see your name and email?</h1>
<form method="post" action="/interaction/${uid}/confirm"><p><button type="submit">Allow</button></p></form>`,
          );
  });

  router.post('/interaction/:uid/login', body, async ctx => {
    const form = ctx.request.body as Record<string, string | undefined>;
    const account = providerAccounts.find(candidate => candidate.email === form.email?.trim().toLowerCase());
    if (!account || !samePassword(form.password ?? '')) {
      const { uid } = await provider.interactionDetails(ctx.req, ctx.res);
      ctx.status = 401;
      ctx.body = page(
        'Sign in with Example ID',
        html`<h1>Wrong email or password</h1><p><a href="/interaction/${uid}">Try again</a></p>`,
      );
      return;
    }
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { login: { accountId: account.sub } },
      { mergeWithLastSubmission: false },
    );
  });

  router.post('/interaction/:uid/confirm', async ctx => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session } = details;
    const grant = details.grantId
      ? (await provider.Grant.find(details.grantId))!
      : new provider.Grant({ accountId: session!.accountId, clientId: String(params.client_id) });
    const missing = prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    const grantId = await grant.save();
    await provider.interactionFinished(
      ctx.req,
      ctx.res,
      { consent: details.grantId ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
  });
  return router;
}
