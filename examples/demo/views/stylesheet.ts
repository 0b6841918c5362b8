import { createHash } from 'node:crypto';

/** The demo's own look (the account switcher brings its own stylesheet); light or dark as the system is. */
export const demoStylesheet = `
  :root { color-scheme: light dark; --ink: #1f2330; --muted: #5b6472; --line: #e5e7eb; --page: #f6f7fb; --card: #fff; \
--field: #cfd4dc;
    --accent: #2f6fed; --on-accent: #fff; --bad: #b42318; --bad-bg: #fef3f2; --bad-line: #fecdca; --good: #067647; \
--good-bg: #ecfdf3; --good-line: #abefc6; }
  @media (prefers-color-scheme: dark) {
    :root { --ink: #e8eaed; --muted: #b1b7c0; --line: #33373d; --page: #131417; --card: #1b1d21; --field: #4a4f57;
      --accent: #a8c7fa; --on-accent: #062e6f; --bad: #f2b8b5; --bad-bg: #3a1715; --bad-line: #6b2a25; \
--good: #9be1b4; --good-bg: #0f2d1c; --good-line: #1f5c38; }
  }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); \
background: var(--page); }
  header { background: var(--card); border-bottom: 1px solid var(--line); }
  header .bar { max-width: 760px; margin: 0 auto; padding: 12px 20px; display: flex; justify-content: space-between; \
align-items: center; gap: 16px; }
  header a.brand { font-weight: 700; color: var(--ink); text-decoration: none; }
  header .team { margin-left: auto; font-size: 14px; color: var(--muted); }
  main { max-width: 760px; margin: 32px auto; padding: 0 20px; }
  .card { background: var(--card); border: 1px solid var(--line); border-radius: 12px; padding: 24px; \
margin-bottom: 20px; }
  h1 { font-size: 1.5rem; margin: 0 0 8px; } h2 { font-size: 1.1rem; margin: 0 0 12px; }
  p.muted, .muted { color: var(--muted); }
  a { color: var(--accent); }
  label { display: block; font-weight: 600; margin: 12px 0 4px; }
  input[type=email], input[type=password], input[type=text] { width: 100%; padding: 10px 12px; \
border: 1px solid var(--field); border-radius: 8px; font: inherit; background: var(--card); color: var(--ink); }
  button, .button { display: inline-block; padding: 9px 16px; border-radius: 8px; border: 1px solid var(--accent); \
background: var(--accent); color: var(--on-accent); font: inherit; font-weight: 600; cursor: pointer; \
text-decoration: none; }
  button.secondary, .button.secondary { background: var(--card); color: var(--accent); }
  .flash { padding: 10px 14px; border-radius: 8px; margin-bottom: 20px; }
  .flash.info { background: var(--good-bg); color: var(--good); border: 1px solid var(--good-line); }
  .flash.error { background: var(--bad-bg); color: var(--bad); border: 1px solid var(--bad-line); }
  footer { text-align: center; color: var(--muted); font-size: .85rem; margin: 40px 0; }
`;

/** Its hash, for a Content-Security-Policy that allows this one inline stylesheet and no other. */
export const demoStylesheetHash = `'sha256-${createHash('sha256').update(demoStylesheet).digest('base64')}'`;
