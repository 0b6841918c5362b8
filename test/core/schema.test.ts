import { DatabaseSchema, type AbstractSqlConnection, type AbstractSqlPlatform } from '@mikro-orm/sql';
import { expect, it } from 'vitest';
import { eachDatabaseAndPair } from '../support/matrix.ts';

eachDatabaseAndPair(({ database, pair, db }) => {
  const { schema: expected } = pair;

  async function introspect() {
    const { orm } = db();
    const connection = orm.em.getConnection() as unknown as AbstractSqlConnection;
    const schema = await DatabaseSchema.create(connection, orm.em.getPlatform() as AbstractSqlPlatform, orm.config);
    return schema.getTable(expected.table)!;
  }

  it('creates the link table with its generated columns, read back from the database', async () => {
    const table = await introspect();
    expect(table).toBeDefined();
    const columns = Object.fromEntries(table.getColumns().map(column => [column.name, column]));
    expect(Object.keys(columns).sort()).toEqual(
      ['id', expected.token, expected.status, 'inserted_at', 'updated_at', expected.primary, expected.linked].sort(),
    );
    for (const name of Object.keys(columns)) expect(columns[name]!.nullable, name).toBe(false);
    expect(table.getPrimaryKey()?.columnNames).toEqual(['id']);
    expect(columns[expected.status]!.default).toMatch(/active/);
    expect(columns.inserted_at!.mappedType.runtimeType).toBe('Date');
    const uuidColumn = {
      sqlite: /^text$/i,
      'sqlite-uncached': /^text$/i,
      postgresql: /^uuid$/,
      mariadb: /^(var)?char\(36\)$/,
    }[database];
    expect(columns.id!.type).toMatch(uuidColumn);
    expect(columns[expected.token]!.type).toMatch(uuidColumn);
    expect(columns[expected.status]!.mappedType.constructor.name).toBe('EnumType');
  });

  it('has one unique index on (primary user, linked user, session token)', async () => {
    const table = await introspect();
    const uniques = table.getIndexes().filter(index => index.unique && !index.primary);
    const identity = uniques.filter(
      index =>
        [...index.columnNames].sort().join() === [expected.primary, expected.linked, expected.token].sort().join(),
    );
    expect(identity).toHaveLength(1);
    if (expected.table === 'member_links') expect(identity[0]!.keyName).toBe('member_links_identity');
  });

  it('references the user table with cascading deletes', async () => {
    const table = await introspect();
    const foreignKeys = Object.values(table.getForeignKeys());
    for (const column of [expected.primary, expected.linked]) {
      const foreignKey = foreignKeys.find(key => key.columnNames.join() === column);
      expect(foreignKey, column).toBeDefined();
      expect(foreignKey!.referencedTableName.replace(/^public\./, '')).toBe(expected.userTable);
      expect(foreignKey!.referencedColumnNames).toEqual([expected.userKey]);
      expect(foreignKey!.deleteRule?.toLowerCase()).toBe('cascade');
    }
  });

  it('gives migrations nothing to change once the schema exists', async () => {
    expect((await db().orm.schema.getUpdateSchemaSQL({ wrap: false })).trim()).toBe('');
  });
});
