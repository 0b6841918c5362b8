import type { Flash } from '../../../src/koa/index.ts';
import { html, SafeHtml } from './html.ts';
import { demoStylesheet } from './stylesheet.ts';

/**
 * A page of the demo. `switcher` is the library's default account switcher, shown in the header with its
 * stylesheet and its small script (Escape closes the menu), both files served by the library's routes.
 */
export function layout({
  title,
  flash,
  body,
  switcher,
  team,
}: {
  title: string;
  flash?: Flash | string;
  body: SafeHtml;
  switcher?: SafeHtml;
  /** The active team, beside the switcher. */
  team?: SafeHtml;
}): string {
  const message = typeof flash === 'string' ? { kind: 'error', message: flash } : flash;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · mikro-multi-account demo</title>
<style>${new SafeHtml(demoStylesheet)}</style>
${
  switcher
    ? html`<link rel="stylesheet" href="/link/switcher.css">
<script type="module" src="/link/switcher/menu.js"></script>`
    : ''
}
</head>
<body>
<header><div class="bar"><a class="brand" href="/">mikro-multi-account demo</a>${team}${switcher}</div></header>
<main>
${message ? html`<div class="flash ${message.kind}" role="status">${message.message}</div>` : ''}
${body}
</main>
<footer>Several accounts in one browser session — Koa, koa-session and MikroORM on node:sqlite.</footer>
</body>
</html>`.value;
}
