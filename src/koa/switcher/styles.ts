// Themable through the custom properties below; every colour pair keeps a contrast of at least 4.5:1 in both themes.
const light = `
  --mma-accent: #0b57d0; --mma-on-accent: #ffffff;
  --mma-surface: #ffffff; --mma-surface-hover: #eef2f8; --mma-text: #1b1f24; --mma-muted: #545d68;
  --mma-border: #c9d1da; --mma-focus: #0b57d0; --mma-danger: #b3261e;
  --mma-avatar-bg: #d3e3fd; --mma-avatar-text: #041e49;
  --mma-badge-bg: #e8f0fe; --mma-badge-text: #0b3d91;
  --mma-shadow: 0 10px 28px rgba(15, 23, 42, 0.18), 0 2px 6px rgba(15, 23, 42, 0.08);`;

const dark = `
  --mma-accent: #a8c7fa; --mma-on-accent: #062e6f;
  --mma-surface: #1f2226; --mma-surface-hover: #2c3035; --mma-text: #e8eaed; --mma-muted: #b7bcc3;
  --mma-border: #444950; --mma-focus: #a8c7fa; --mma-danger: #f2b8b5;
  --mma-avatar-bg: #34435c; --mma-avatar-text: #d3e3fd;
  --mma-badge-bg: #283a5b; --mma-badge-text: #d3e3fd;
  --mma-shadow: 0 10px 28px rgba(0, 0, 0, 0.55), 0 2px 6px rgba(0, 0, 0, 0.4);`;

/**
 * The default switcher's stylesheet: include it once per page (`<style>` or, under a strict CSP, the
 * `<basePath>/switcher.css` route). Class names are stable (`mma-…`); colours, radius and font are custom
 * properties (`--mma-accent`, `--mma-surface`, `--mma-text`, `--mma-radius`, …) to override on `.mma-switcher`.
 * Dark by `prefers-color-scheme`, or forced with `theme: 'light' | 'dark'` (classes `mma-theme-light`/`-dark`).
 */
export const accountSwitcherStyles = `.mma-switcher {${light}
  --mma-radius: 12px; --mma-panel-width: 22rem;
  color-scheme: light;
  /* --mma-font (a font-family) is unset by default: the page's font is inherited. */
  position: relative; display: inline-block; font-family: var(--mma-font); font-size: 15px; line-height: 1.4; \
color: var(--mma-text);
}
@media (prefers-color-scheme: dark) {
  .mma-switcher:not(.mma-theme-light) {${dark}
    color-scheme: dark;
  }
}
.mma-switcher.mma-theme-dark {${dark}
  color-scheme: dark;
}
.mma-switcher *, .mma-switcher *::before, .mma-switcher *::after { box-sizing: border-box; }
.mma-switcher .mma-visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; \
clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.mma-switcher :focus-visible { outline: 3px solid var(--mma-focus); outline-offset: 2px; }
.mma-switcher .mma-menu { position: relative; }
.mma-switcher summary { list-style: none; cursor: pointer; }
.mma-switcher summary::-webkit-details-marker { display: none; }
.mma-switcher .mma-trigger {
  display: flex; align-items: center; gap: 8px; padding: 4px 12px 4px 4px; border-radius: 999px;
  background: var(--mma-surface); color: var(--mma-text); border: 1px solid var(--mma-border); font-weight: 600;
}
.mma-switcher .mma-trigger:hover { background: var(--mma-surface-hover); }
.mma-switcher .mma-trigger-sign-in { padding: 8px 12px 8px 16px; }
.mma-switcher .mma-trigger::after {
  content: ""; width: 7px; height: 7px; margin: 0 2px 3px 2px; border: solid currentColor; \
border-width: 0 2px 2px 0; transform: rotate(45deg);
}
.mma-switcher .mma-menu[open] > .mma-trigger::after { transform: rotate(-135deg); margin-bottom: -3px; }
.mma-switcher .mma-trigger-name { max-width: 12rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.mma-switcher .mma-panel {
  position: absolute; z-index: 1000; top: calc(100% + 8px); right: 0; \
width: min(var(--mma-panel-width), calc(100vw - 16px));
  padding: 8px; background: var(--mma-surface); color: var(--mma-text); border: 1px solid var(--mma-border);
  border-radius: var(--mma-radius); box-shadow: var(--mma-shadow); text-align: left;
}
.mma-switcher .mma-avatar {
  flex: none; display: inline-grid; place-items: center; border-radius: 50%; object-fit: cover;
  background: var(--mma-avatar-bg); color: var(--mma-avatar-text); font-weight: 700; line-height: 1;
}
.mma-switcher .mma-avatar-small { width: 28px; height: 28px; font-size: 12px; }
.mma-switcher .mma-avatar-medium { width: 36px; height: 36px; font-size: 14px; }
.mma-switcher .mma-avatar-large { width: 56px; height: 56px; font-size: 22px; }
.mma-switcher .mma-current { display: flex; align-items: center; gap: 12px; padding: 12px 12px 14px; \
border-bottom: 1px solid var(--mma-border); }
.mma-switcher .mma-identity { display: flex; flex-direction: column; min-width: 0; }
.mma-switcher .mma-name { font-weight: 600; overflow-wrap: anywhere; }
.mma-switcher .mma-detail { color: var(--mma-muted); font-size: 13px; overflow-wrap: anywhere; }
.mma-switcher .mma-badge {
  display: inline-block; margin-left: 2px; padding: 1px 8px; border-radius: 999px; vertical-align: 1px;
  background: var(--mma-badge-bg); color: var(--mma-badge-text); font-size: 11px; font-weight: 700; \
letter-spacing: 0.02em;
}
.mma-switcher ul { list-style: none; margin: 0; padding: 0; }
.mma-switcher .mma-accounts, .mma-switcher .mma-remembered { padding: 6px 0; \
border-bottom: 1px solid var(--mma-border); }
/* Signed out: a quieter avatar and badge (muted on surface and on surface-hover, both at least 4.5:1). */
.mma-switcher .mma-remembered .mma-avatar { background: var(--mma-surface-hover); color: var(--mma-muted); \
border: 1px dashed var(--mma-muted); }
.mma-switcher .mma-badge-signed-out, .mma-switcher .mma-badge-sign-in-again { padding: 0 7px; \
background: transparent; color: var(--mma-muted); border: 1px solid var(--mma-border); }
.mma-switcher .mma-chooser-title { margin: 0; padding: 10px 12px 12px; \
border-bottom: 1px solid var(--mma-border); font-weight: 600; }
.mma-switcher form { margin: 0; }
.mma-switcher .mma-row, .mma-switcher .mma-action {
  display: flex; align-items: center; gap: 12px; width: 100%; margin: 0; padding: 10px 12px; border: 0; \
border-radius: calc(var(--mma-radius) - 4px);
  background: transparent; color: var(--mma-text); font: inherit; text-align: left; text-decoration: none; \
cursor: pointer;
}
.mma-switcher .mma-row:hover, .mma-switcher .mma-action:hover { background: var(--mma-surface-hover); }
.mma-switcher .mma-actions { padding: 6px 0; }
.mma-switcher .mma-add { color: var(--mma-accent); font-weight: 600; }
.mma-switcher .mma-add::before { content: "+"; display: inline-grid; place-items: center; width: 28px; \
height: 28px; border-radius: 50%; border: 1px dashed currentColor; font-weight: 700; }
.mma-switcher .mma-manage { border-top: 1px solid var(--mma-border); padding-top: 6px; }
.mma-switcher .mma-manage-trigger { padding: 10px 12px; border-radius: calc(var(--mma-radius) - 4px); \
color: var(--mma-muted); font-size: 13px; font-weight: 600; }
.mma-switcher .mma-manage-trigger:hover { background: var(--mma-surface-hover); }
.mma-switcher .mma-manage-trigger::after { content: " ▸"; }
.mma-switcher .mma-manage[open] > .mma-manage-trigger::after { content: " ▾"; }
.mma-switcher .mma-manage-item { display: flex; align-items: center; gap: 10px; padding: 6px 12px; }
.mma-switcher .mma-manage-item .mma-identity { flex: 1; }
.mma-switcher .mma-remove, .mma-switcher .mma-forget {
  padding: 4px 10px; border: 1px solid var(--mma-border); border-radius: 999px; background: var(--mma-surface);
  color: var(--mma-danger); font: inherit; font-size: 13px; font-weight: 600; cursor: pointer;
}
.mma-switcher .mma-remove:hover, .mma-switcher .mma-forget:hover { background: var(--mma-surface-hover); }
.mma-switcher .mma-devices { color: var(--mma-text); font-size: 13px; }
mma-account-switcher { display: inline-block; }
/* Another tab changed the accounts (tab-notice.js): a bar at the bottom of the viewport, outside .mma-switcher. */
.mma-tab-notice {${light}
  --mma-radius: 12px;
  color-scheme: light;
  position: fixed; z-index: 1001; left: 50%; bottom: 16px; transform: translateX(-50%); box-sizing: border-box;
  display: flex; align-items: center; gap: 12px; width: max-content; max-width: calc(100vw - 32px); margin: 0;
  padding: 10px 10px 10px 16px; background: var(--mma-surface); color: var(--mma-text); \
border: 1px solid var(--mma-border);
  border-radius: var(--mma-radius); box-shadow: var(--mma-shadow); font-family: var(--mma-font); font-size: 15px; \
line-height: 1.4; text-align: left;
}
@media (prefers-color-scheme: dark) {
  .mma-tab-notice:not(.mma-theme-light) {${dark}
    color-scheme: dark;
  }
}
.mma-tab-notice.mma-theme-dark {${dark}
  color-scheme: dark;
}
/* Drawn empty a moment before its text, so screen readers announce the text: invisible meanwhile. */
.mma-tab-notice:empty { opacity: 0; pointer-events: none; }
.mma-tab-notice .mma-tab-notice-text { margin: 0; overflow-wrap: anywhere; }
.mma-tab-notice .mma-tab-notice-reload {
  flex: none; margin: 0; padding: 6px 16px; border: 0; border-radius: 999px; background: var(--mma-accent);
  color: var(--mma-on-accent); font: inherit; font-weight: 600; cursor: pointer;
}
.mma-tab-notice .mma-tab-notice-reload:hover { text-decoration: underline; }
.mma-tab-notice .mma-tab-notice-reload:focus-visible { outline: 3px solid var(--mma-focus); outline-offset: 2px; }
`;
