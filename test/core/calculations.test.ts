import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { dataStatements } from '../support/test-orm.ts';
import { eachDatabaseAndPair } from '../support/matrix.ts';

eachDatabaseAndPair(({ pair, db }) => {
  const { names } = pair;
  const fork = () => db().orm.em.fork();
  const idOf = (user: any) => user[pair.userId];
  let counter = 0;

  async function primaryWithLinks(linkCount: number, token = randomUUID()) {
    const em = fork();
    const [primary, ...others] = Array.from({ length: linkCount + 1 }, () =>
      pair.newUser(em, `c${Date.now().toString(36)}${counter++}`),
    );
    await em.flush();
    for (const other of others) {
      await (fork().getRepository(pair.linkClass) as any)[names.create]({
        actor: primary,
        linkedUser: other,
        sessionToken: token,
      });
    }
    return { primary, others, token };
  }

  /** Statements a call runs, counted from MikroORM's query log. */
  async function statementsOf(call: () => Promise<unknown>): Promise<number> {
    db().queries.length = 0;
    await call();
    return dataStatements(db().queries).length;
  }

  it(`loads a primary user with display fields and the session links, \
in statements that do not grow with the links`, async () => {
    const one = await primaryWithLinks(1);
    const many = await primaryWithLinks(pair.max);
    const load = ({ primary, token }: { primary: any; token: string }) =>
      (fork().getRepository(pair.userClass) as any)[names.loadUser](idOf(primary), token);

    const loaded = await load(many);
    expect(idOf(loaded)).toBe(idOf(many.primary));
    for (const field of pair.displayFields) expect(loaded[field]).toEqual(expect.any(String));
    expect(loaded[names.calculation].map((link: any) => idOf(link[names.linked]))).toEqual(many.others.map(idOf));
    for (const link of loaded[names.calculation]) {
      for (const field of pair.displayFields) expect(link[names.linked][field]).toEqual(expect.any(String));
    }

    const forOne = await statementsOf(() => load(one));
    const forMany = await statementsOf(() => load(many));
    expect(forOne).toBe(2);
    expect(forMany).toBe(forOne);
  });

  it('loads the links of several users in one statement', async () => {
    const token = randomUUID();
    const groups = [
      await primaryWithLinks(1, token),
      await primaryWithLinks(pair.max, token),
      await primaryWithLinks(0, token),
    ];
    const em = fork();
    const users = await em.find(pair.userClass, { [pair.userId]: { $in: groups.map(group => idOf(group.primary)) } });
    const repository = em.getRepository(pair.userClass) as any;
    const statements = await statementsOf(() => repository[names.calculation](users, token));
    expect(statements).toBe(1);
    for (const group of groups) {
      const user: any = users.find(candidate => idOf(candidate) === idOf(group.primary));
      expect(user[names.calculation].map((link: any) => idOf(link[names.linked]))).toEqual(group.others.map(idOf));
    }
  });

  it('names the missing argument when the session token is left out, and finds nobody for an unknown id', async () => {
    const { primary } = await primaryWithLinks(1);
    const repository = fork().getRepository(pair.userClass) as any;
    await expect(repository[names.calculation](primary, undefined)).rejects.toMatchObject({
      code: 'MISSING_ARGUMENT',
      message: 'Argument `sessionToken` is required.',
    });
    await expect(
      repository[names.loadUser](pair.userId === 'uuid' ? randomUUID() : 424242, randomUUID()),
    ).resolves.toBeNull();
    await expect(repository[names.loadUser]('../etc/passwd', randomUUID())).resolves.toBeNull();
  });

  it('calculates isActive from the status', async () => {
    const { primary, token } = await primaryWithLinks(1);
    const [link] = await (fork().getRepository(pair.linkClass) as any)[names.list]({
      primaryUser: primary,
      sessionToken: token,
    });
    expect(link.isActive).toBe(true);
    link[names.status] = 'inactive';
    expect(link.isActive).toBe(false);
  });
});
