/** `npm start`: the demo on the embedded database (or PostgreSQL with DATABASE_URL), on PORT (default 3000). */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { demoPassword, demoUsers } from './seed.ts';
import { startDemo } from './server.ts';

const demo = await startDemo({
  port: Number(process.env.PORT ?? 3000),
  dataDir: resolve(process.env.DATA_DIR ?? '.data'),
  databaseUrl: process.env.DATABASE_URL,
  sessionStoreUrl: process.env.SESSION_STORE,
  sessionSecrets: process.env.SESSION_SECRET?.split(','),
  host: process.env.HOST ?? '127.0.0.1',
  perTab: process.env.PER_TAB === '1',
});

console.log(`mikro-multi-account demo: ${demo.url}`);
const database = process.env.DATABASE_URL
  ? 'PostgreSQL (DATABASE_URL)'
  : resolve(process.env.DATA_DIR ?? '.data', 'demo.sqlite');
console.log(`Database: ${database}`);
console.log(
  `Sessions: ${process.env.SESSION_STORE ? `Redis (${new URL(process.env.SESSION_STORE).host})` : 'signed cookies'}`,
);
if (process.env.PER_TAB === '1') console.log('Per-tab accounts: /u/N/ acts as account N of the browser session.');
if (!process.env.SESSION_SECRET)
  console.log('SESSION_SECRET is not set: sessions use a random key and end when the demo restarts.');
console.log(`Accounts (password "${demoPassword}"):`);
for (const user of demoUsers)
  console.log(`  ${user.email}${user.status === 'active' ? '' : '  (inactive: cannot be linked)'}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void demo.close().then(() => process.exit(0)));
}
