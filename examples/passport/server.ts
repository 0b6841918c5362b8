import { createServer } from 'node:http';
import * as oidc from 'openid-client';
import { openDatabase } from '../demo/database.ts';
import { seedDemoUsers } from '../demo/seed.ts';
import { createPassportApp } from './app.ts';
import { startIdentityProvider } from './identity-provider.ts';

export interface RunningPassportExample {
  url: string;
  issuer: string;
  close(): Promise<void>;
}

/** The example app (on `port`) and Example ID, its OpenID Connect provider (on `providerPort`); 0: any free port. */
export async function startPassportExample({
  port,
  providerPort,
  dataDir,
}: {
  port: number;
  providerPort: number;
  dataDir: string;
}): Promise<RunningPassportExample> {
  const orm = await openDatabase({ dataDir });
  await seedDemoUsers(orm);
  const server = createServer();
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const client = {
    id: 'passport-example',
    secret: oidc.randomState(),
    redirectUri: `${url}/auth/example-id/callback`,
    postLogoutRedirectUri: `${url}/sign-in`,
  };
  const provider = await startIdentityProvider({ port: providerPort, client });
  // Plain http is for this local example only: a real provider is https, and needs no allowInsecureRequests.
  const exampleId = await oidc.discovery(new URL(provider.issuer), client.id, client.secret, undefined, {
    execute: [oidc.allowInsecureRequests],
  });
  const app = createPassportApp(orm, {
    exampleId,
    callbackUrl: client.redirectUri,
    postLogoutUrl: client.postLogoutRedirectUri,
  });
  server.on('request', app.callback());
  return {
    url,
    issuer: provider.issuer,
    async close() {
      await new Promise<void>(resolve => server.close(() => resolve()));
      await provider.close();
      await orm.close();
    },
  };
}
