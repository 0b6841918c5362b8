import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/sql';
import config from './mikro-orm.config.js';
import { createApp } from './app.js';
import { User } from './entities/user.js';

const orm = await MikroORM.init(config);
await orm.schema.update();
const em = orm.em.fork();
if ((await em.count(User)) === 0) {
  em.create(User, { email: 'ann@example.com', name: 'Ann', password: 'ann-password' });
  em.create(User, { email: 'ben@example.com', name: 'Ben', password: 'ben-password' });
  em.create(User, { email: 'cy@example.com', name: 'Cy', password: 'cy-password', active: false });
  await em.flush();
}
const server = createApp(orm).listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening on http://127.0.0.1:${address.port}`);
});
