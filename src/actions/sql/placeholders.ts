/**
 * Whether each `?` in the SQL is one value's placeholder: MikroORM reads `??` as an identifier and `\?` as a
 * question mark (see `Platform.formatQuery`), and an `onQuery` hook may have written either.
 */
export function plainPlaceholders(sql: string, valueCount: number): boolean {
  if (sql.includes('??') || sql.includes('\\?')) return false;
  let count = 0;
  for (let at = sql.indexOf('?'); at !== -1; at = sql.indexOf('?', at + 1)) count++;
  return count === valueCount;
}
