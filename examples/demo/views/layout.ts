import type { Flash } from '../../../src/koa/index.ts';
import { html, SafeHtml } from './html.ts';

const styles = `
  :root { --ink: #1f2330; --muted: #6b7280; --line: #e5e7eb; --accent: #2f6fed; --bad: #b42318; --good: #067647; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7fb; }
  header { background: #fff; border-bottom: 1px solid var(--line); }
  header .bar { max-width: 760px; margin: 0 auto; padding: 14px 20px; display: flex; justify-content: space-between; align-items: center; }
  header a.brand { font-weight: 700; color: var(--ink); text-decoration: none; }
  main { max-width: 760px; margin: 32px auto; padding: 0 20px; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 24px; margin-bottom: 20px; }
  h1 { font-size: 1.5rem; margin: 0 0 8px; } h2 { font-size: 1.1rem; margin: 0 0 12px; }
  p.muted, .muted { color: var(--muted); }
  label { display: block; font-weight: 600; margin: 12px 0 4px; }
  input[type=email], input[type=password], input[type=text] { width: 100%; padding: 10px 12px; border: 1px solid #cfd4dc; border-radius: 8px; font: inherit; }
  button, .button { display: inline-block; padding: 9px 16px; border-radius: 8px; border: 1px solid var(--accent); background: var(--accent); color: #fff; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
  button.secondary, .button.secondary { background: #fff; color: var(--accent); }
  form.inline { display: inline; }
  button.link { background: none; border: none; color: var(--muted); font-weight: 500; padding: 4px 6px; text-decoration: underline; }
  .actions { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
  .flash { padding: 10px 14px; border-radius: 8px; margin-bottom: 20px; }
  .flash.info { background: #ecfdf3; color: var(--good); border: 1px solid #abefc6; }
  .flash.error { background: #fef3f2; color: var(--bad); border: 1px solid #fecdca; }
  ul.accounts { list-style: none; padding: 0; margin: 0 0 16px; }
  ul.accounts li { display: flex; align-items: center; gap: 12px; padding: 12px 0; border-bottom: 1px solid var(--line); }
  .avatar { width: 36px; height: 36px; border-radius: 50%; background: #dbe6ff; color: var(--accent); display: grid; place-items: center; font-weight: 700; }
  .who { flex: 1; } .who small { display: block; color: var(--muted); }
  .tag { font-size: .75rem; font-weight: 700; padding: 2px 8px; border-radius: 999px; background: #eef2ff; color: #3538cd; margin-left: 6px; }
  .tag.current { background: #ecfdf3; color: var(--good); }
  footer { text-align: center; color: var(--muted); font-size: .85rem; margin: 40px 0; }
`;

export function layout({ title, flash, body, signedIn }: { title: string; flash?: Flash | string; body: SafeHtml; signedIn?: SafeHtml }): string {
  const message = typeof flash === 'string' ? { kind: 'error', message: flash } : flash;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · mikro-multi-account demo</title>
<style>${new SafeHtml(styles)}</style>
</head>
<body>
<header><div class="bar"><a class="brand" href="/">mikro-multi-account demo</a>${signedIn}</div></header>
<main>
${message ? html`<div class="flash ${message.kind}" role="status">${message.message}</div>` : ''}
${body}
</main>
<footer>Several accounts in one browser session — Koa, koa-session and MikroORM on node:sqlite.</footer>
</body>
</html>`.value;
}
