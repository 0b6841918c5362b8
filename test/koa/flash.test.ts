import Koa from 'koa';
import session from 'koa-session';
import supertest from 'supertest';
import { describe, expect, it } from 'vitest';
import { takeFlash } from '../../src/koa/index.ts';
import { flashMessages, putFlash } from '../../src/koa/session/flash.ts';

/** An app whose routes leave and take messages as the library's routes and the app's pages do. */
function flashApp() {
  const app = new Koa();
  app.keys = ['flash-test'];
  app.use(session(app));
  app.use(ctx => {
    const stored = ctx.session!;
    if (ctx.path === '/start') stored.started = true;
    else if (ctx.path === '/put') putFlash(ctx, 'SWITCHED');
    else if (ctx.path === '/put-0.1')
      stored.multi_account_flash = { kind: 'info', code: 'LINKED', message: 'an old text' };
    else if (ctx.path === '/put-unknown') stored.multi_account_flash = 'NOT_A_CODE';
    ctx.body =
      ctx.path === '/take'
        ? { flash: takeFlash(ctx) ?? null, left: stored.multi_account_flash ?? null }
        : stored.toJSON();
  });
  return supertest.agent(app.callback());
}

describe('flash messages', () => {
  it('keeps only the code, out of the session, and gives the whole message once', async () => {
    const agent = flashApp();
    await agent.get('/start');
    // In a signed cookie of its own: a refused request (a double click's loser) writes no session.
    expect((await agent.get('/put')).body).toEqual({ started: true });
    expect((await agent.get('/take')).body).toEqual({
      flash: { kind: 'info', code: 'SWITCHED', message: flashMessages.SWITCHED.text },
      left: null,
    });
    expect((await agent.get('/take')).body).toEqual({ flash: null, left: null });
  });

  it('starts no session for a browser that has none: the message rides in a signed cookie, read once', async () => {
    const agent = flashApp();
    const put = await agent.get('/put');
    expect(put.body).toEqual({});
    const cookies = (put.headers['set-cookie'] as unknown as string[]).map(cookie => cookie.split('=')[0]);
    expect(cookies.sort()).toEqual(['mma.flash', 'mma.flash.sig']);
    expect((await agent.get('/take')).body.flash).toMatchObject({ code: 'SWITCHED' });
    expect((await agent.get('/take')).body.flash).toBeNull();
  });

  it("reads a message a session of version 0.1 kept whole, with today's text", async () => {
    const agent = flashApp();
    await agent.get('/put-0.1');
    expect((await agent.get('/take')).body.flash).toEqual({
      kind: 'info',
      code: 'LINKED',
      message: flashMessages.LINKED.text,
    });
  });

  it('drops what is not a known code', async () => {
    const agent = flashApp();
    await agent.get('/put-unknown');
    expect((await agent.get('/take')).body).toEqual({ flash: null, left: null });
  });
});
