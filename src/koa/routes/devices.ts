import type { Context } from 'koa';
import { browserSessionHandle, listBrowserSessions, revokeAccount } from '../../actions/account-sessions.ts';
import { httpMessages } from '../../errors/http-messages.ts';
import { renderDevicesPage } from '../devices/devices-page.ts';
import { refuseFraming } from '../http/framing.ts';
import { throughTab } from '../middleware/account-selector.ts';
import type { ResolvedKoaOptions } from '../options.ts';
import { takeFlash } from '../session/flash.ts';
import { csrfToken } from '../session/intent.ts';
import { RequestAccounts } from '../session/request-accounts.ts';
import { labelOf } from '../switcher/markup.js';
import { redirectWithMessage } from './respond.ts';
import { signOutOfAccount } from './sign-out.ts';

/**
 * GET `/devices`: every browser session the acting account (a `/u/N/` tab's) is signed in on, this one marked —
 * as JSON when asked for, else as a page with a button for each. 401 when nobody is signed in.
 */
export async function listDevices(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { currentUser, pair } = accounts;
  ctx.set('cache-control', 'no-store');
  refuseFraming(ctx);
  if (!currentUser) {
    ctx.status = 401;
    ctx.body = { error: httpMessages.NOT_SIGNED_IN };
    return;
  }
  const userId = accounts.idOf(currentUser)!;
  const sessions = await listBrowserSessions(accounts.em, userId, {
    userEntity: options.userEntity,
    current: accounts.browserSession?.token,
  });
  // In a `/u/N/…` tab the acting account is the tab's: its forms go through the tab.
  const viaTab = (path: string) => throughTab(options, accounts.selectedIndex, path);
  const signOutUrl = (id: string) => viaTab(options.urls.signOutDevice(id));
  const signOutOthersUrl = viaTab(options.urls.signOutOtherDevices());
  if (ctx.accepts('html', 'json') === 'json') {
    const withUrls = sessions.map(session => ({
      ...session,
      signOutUrl: viaTab(session.current ? options.urls.signOut() : options.urls.signOutDevice(session.id)),
    }));
    ctx.body = { sessions: withUrls, signOutOthersUrl, csrfToken: csrfToken(ctx) };
    return;
  }
  ctx.type = 'html';
  ctx.body = renderDevicesPage({
    account: labelOf(currentUser as Record<string, unknown>, pair.user.options.displayFields, userId),
    sessions,
    csrfToken: csrfToken(ctx),
    signOutUrl,
    signOutOthersUrl,
    flash: takeFlash(ctx, options.sessionKeys),
  });
}

/**
 * POST `/devices/:id/sign_out`: the acting account leaves that browser session (see `revokeAccount`); named this
 * one, it is "Sign out of <account>" here.
 */
export async function signOutDevice(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { currentUser, browserSession } = accounts;
  if (!currentUser) return redirectWithMessage(ctx, accounts, options.signInPath(ctx, null), 'SIGNED_OUT');
  const id = String(ctx.params.id);
  if (browserSession && id === browserSessionHandle(browserSession.token)) return signOutOfAccount(ctx, options);
  const left = await revokeAccount(accounts.em, accounts.idOf(currentUser)!, {
    userEntity: options.userEntity,
    only: id,
  });
  const back = throughTab(options, accounts.selectedIndex, options.urls.devices());
  redirectWithMessage(ctx, accounts, back, left === 1 ? 'DEVICE_SIGNED_OUT' : 'DEVICE_NOT_FOUND');
}

/** POST `/devices/sign_out_others`: the acting account leaves every browser session but this one. */
export async function signOutOtherDevices(ctx: Context, options: ResolvedKoaOptions): Promise<void> {
  const accounts = await RequestAccounts.of(ctx, options);
  const { currentUser, browserSession } = accounts;
  if (!currentUser) return redirectWithMessage(ctx, accounts, options.signInPath(ctx, null), 'SIGNED_OUT');
  await revokeAccount(accounts.em, accounts.idOf(currentUser)!, {
    userEntity: options.userEntity,
    except: browserSession && browserSessionHandle(browserSession.token),
  });
  const back = throughTab(options, accounts.selectedIndex, options.urls.devices());
  redirectWithMessage(ctx, accounts, back, 'OTHER_DEVICES_SIGNED_OUT');
}
