import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'koa';
import { accountSwitcherStyles } from './styles.ts';

interface Asset {
  type: string;
  body: string;
  etag: string;
}

// The browser modules are served as they ship, from beside this file (in the package: dist/src/koa/switcher).
const files: Record<string, () => Promise<string>> = {
  'switcher.css': async () => accountSwitcherStyles,
  'switcher/element.js': () => readFile(new URL('./element.js', import.meta.url), 'utf8'),
  'switcher/menu.js': () => readFile(new URL('./menu.js', import.meta.url), 'utf8'),
  'switcher/markup.js': () => readFile(new URL('./markup.js', import.meta.url), 'utf8'),
  'switcher/confirm.js': () => readFile(new URL('./confirm.js', import.meta.url), 'utf8'),
  'switcher/tab-notice.js': () => readFile(new URL('./tab-notice.js', import.meta.url), 'utf8'),
};
const loaded = new Map<string, Promise<Asset>>();

function asset(name: string): Promise<Asset> | undefined {
  const read = Object.hasOwn(files, name) ? files[name] : undefined;
  if (!read) return undefined;
  if (!loaded.has(name)) {
    const type = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
    const reading = read().then(body => ({
      type,
      body,
      etag: createHash('sha256').update(body).digest('base64url').slice(0, 27),
    }));
    // A failed read is not kept: the next request reads again.
    reading.catch(() => loaded.delete(name));
    loaded.set(name, reading);
  }
  return loaded.get(name);
}

/**
 * GET `<basePath>/switcher.css` and `<basePath>/switcher/{element,menu,markup,confirm,tab-notice}.js`: the switcher's
 * stylesheet and browser modules as files, so a page under a strict Content-Security-Policy (`script-src 'self'`,
 * no inline styles) can load them. Revalidated by ETag, so a new version of the package is picked up within minutes.
 */
export async function serveSwitcherAsset(ctx: Context, name: string): Promise<void> {
  const found = await asset(name);
  if (!found) return;
  ctx.status = 200;
  ctx.type = found.type;
  ctx.etag = found.etag;
  ctx.set('cache-control', 'public, max-age=300');
  ctx.set('x-content-type-options', 'nosniff');
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.body = found.body;
}
