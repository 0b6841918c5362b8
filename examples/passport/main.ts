/**
 * `npm run example:passport`: the koa-passport example on PORT (default 3000) and Example ID on PROVIDER_PORT
 * (3001).
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { startPassportExample } from './server.ts';

const example = await startPassportExample({
  port: Number(process.env.PORT ?? 3000),
  providerPort: Number(process.env.PROVIDER_PORT ?? 3001),
  dataDir: resolve(process.env.DATA_DIR ?? '.data/passport'),
});
console.log(`koa-passport example: ${example.url}  (Example ID, its OpenID Connect provider: ${example.issuer})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void example.close().then(() => process.exit(0)));
