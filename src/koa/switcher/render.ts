import escapeHtml from 'escape-html';
import { switcherMarkup, type MarkupNode, type SwitcherLook } from './markup.js';
import type { AccountSwitcherModel } from './model.ts';

export type { SwitcherLook as AccountSwitcherRenderOptions };

const voidElements = new Set(['img', 'input']);

function html(node: MarkupNode): string {
  if (typeof node === 'string') return escapeHtml(node);
  const attributes = Object.entries(node.attrs)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('');
  return voidElements.has(node.tag)
    ? `<${node.tag}${attributes}>`
    : `<${node.tag}${attributes}>${node.children.map(html).join('')}</${node.tag}>`;
}

/**
 * The default switcher as HTML: an avatar menu that works without JavaScript (nobody signed in: a chooser of the
 * accounts this browser lists as signed out, or an empty string when it lists none),
 * styled by `accountSwitcherStyles`. Everything printed is escaped; every change of account is a CSRF-protected
 * POST (per-tab rows are plain links).
 */
export function renderAccountSwitcher(model: AccountSwitcherModel, options: SwitcherLook = {}): string {
  const markup = switcherMarkup(model, options);
  return markup ? html(markup) : '';
}
