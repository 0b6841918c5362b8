import { readFileSync } from 'node:fs';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountSwitcherStyles } from '../../src/koa/index.ts';
import { startTestApp, type TestApp } from '../support/koa-test-app.ts';
import { pairsUnderTest } from '../support/pairs-under-test.ts';
import { createTestOrm, type TestOrm } from '../support/test-orm.ts';

/** The switcher's stylesheet and browser modules, as the routes serve them to pages under a strict CSP. */
describe('the switcher files served by the routes', () => {
  let db: TestOrm;
  let app: TestApp;
  beforeAll(async () => {
    db = await createTestOrm('sqlite', pairsUnderTest[0]!.entities);
    app = await startTestApp(db.orm, pairsUnderTest[0]!, { options: { basePath: '/accounts-of-this-browser' } });
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('serves the stylesheet and the browser modules as they ship, revalidated by ETag', async () => {
    const http = supertest(app.server);
    const css = await http
      .get('/accounts-of-this-browser/switcher.css')
      .expect(200)
      .expect('content-type', 'text/css; charset=utf-8');
    expect(css.text).toBe(accountSwitcherStyles);
    for (const file of ['element.js', 'menu.js', 'markup.js']) {
      const script = await http
        .get(`/accounts-of-this-browser/switcher/${file}`)
        .expect(200)
        .expect('content-type', 'text/javascript; charset=utf-8');
      expect(script.text).toBe(readFileSync(new URL(`../../src/koa/switcher/${file}`, import.meta.url), 'utf8'));
      expect(script.headers['x-content-type-options']).toBe('nosniff');
      await http
        .get(`/accounts-of-this-browser/switcher/${file}`)
        .set('if-none-match', script.headers.etag!)
        .expect(304);
    }
  });

  it('serves nothing else from there', async () => {
    const http = supertest(app.server);
    for (const path of [
      '/switcher/model.ts',
      '/switcher/assets.ts',
      '/switcher/..%2Fcsrf.ts',
      '/switcher/%2e%2e%2fpackage.json',
      '/switcher/constructor',
      '/switcher/',
    ]) {
      await http.get(`/accounts-of-this-browser${path}`).expect(404);
    }
  });
});
