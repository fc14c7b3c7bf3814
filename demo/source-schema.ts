import { quotePg } from '../common/identifiers.js';
import type { SourceTable } from './source-contracts.js';

/** BigQuery type in the contract → the Postgres type an operational database would use for it. */
const PG_TYPES: Record<string, string> = {
  STRING: 'text',
  INT64: 'bigint',
  INTEGER: 'bigint',
  FLOAT64: 'double precision',
  FLOAT: 'double precision',
  NUMERIC: 'numeric',
  BIGNUMERIC: 'numeric',
  BOOL: 'boolean',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamptz',
  DATE: 'date',
  DATETIME: 'timestamp',
  JSON: 'jsonb',
  BYTES: 'bytea',
};

export function pgType(table: string, column: string, bigQueryType: string): string {
  const type = PG_TYPES[bigQueryType.toUpperCase()];
  if (type === undefined) throw new Error(`contract ${table}: column ${column}: type ${bigQueryType} has no Postgres mapping in the demo`);
  return type;
}

export function qualified(table: SourceTable): string {
  return `${quotePg(table.schema)}.${quotePg(table.table)}`;
}

/** `create table` for a source table, from its contract: types mapped, REQUIRED → not null, primary key. */
export function createTableSql(table: SourceTable): string {
  const columns = table.columns.map((c) => `  ${quotePg(c.name)} ${pgType(table.name, c.name, c.type)}${c.mode === 'REQUIRED' ? ' not null' : ''}`);
  columns.push(`  primary key (${table.primaryKey.map(quotePg).join(', ')})`);
  return `create table if not exists ${qualified(table)} (\n${columns.join(',\n')}\n)`;
}

/** An index on the cursor column, as an operational database that is read incrementally would have. */
export function createCursorIndexSql(table: SourceTable): string | null {
  if (table.cursor === null) return null;
  return `create index if not exists ${quotePg(`${table.table}_${table.cursor}_idx`)} on ${qualified(table)} (${quotePg(table.cursor)})`;
}
