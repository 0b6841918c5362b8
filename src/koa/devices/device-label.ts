import Bowser from 'bowser';
import type { Context } from 'koa';
import type { DeviceInfo } from '../../actions/browser-sessions.ts';
import type { ResolvedKoaOptions } from '../options.ts';

/** "Firefox on Linux": browser and system family only, never versions (they would tell a browser apart). */
export function deviceLabel(userAgent: string): string | null {
  if (!userAgent) return null;
  const { browser, os } = Bowser.parse(userAgent);
  if (!browser.name && !os.name) return null;
  return [browser.name, os.name].filter(Boolean).join(' on ');
}

/** What a new browser session records of the device that signs in. */
export function deviceOf(ctx: Context, options: ResolvedKoaOptions): DeviceInfo {
  return {
    device: deviceLabel(ctx.get('user-agent').slice(0, 512)),
    ipAddress: options.devices.ipAddress ? ctx.ip : null,
  };
}
