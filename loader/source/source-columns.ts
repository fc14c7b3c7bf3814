/** The source table's columns as Postgres knows them, checked against the contract before any read. */
import type pg from 'pg';
import type { TableContract } from '../../contracts/schema/index.js';

export interface SourceColumn {
  name: string;
  /** Postgres type name as in pg_type (`int8`, `timestamptz`, `jsonb`, `varchar`, ...). */
  udt: string;
  /** Declared NOT NULL: Postgres already guarantees what a REQUIRED check would test. */
  notNull: boolean;
}

export class SourceSchemaError extends Error {
  constructor(
    readonly table: string,
    readonly problems: string[],
  ) {
    super(`source table for contract ${table} does not match it: ${problems.join('; ')}`);
    this.name = 'SourceSchemaError';
  }
}

/** Columns of the contract's source table, keyed by name; throws SourceSchemaError when the table or a column is missing. */
export async function readSourceColumns(client: pg.Client | pg.PoolClient, contract: TableContract): Promise<Map<string, SourceColumn>> {
  const { schema, table } = contract.source;
  const result = await client.query<{ column_name: string; udt_name: string; is_nullable: string }>(
    `select column_name, udt_name, is_nullable from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [schema, table],
  );
  if (result.rows.length === 0) {
    throw new SourceSchemaError(contract.name, [`table ${schema}.${table} does not exist or is not readable by this user`]);
  }
  const columns = new Map(result.rows.map((row) => [row.column_name, { name: row.column_name, udt: row.udt_name, notNull: row.is_nullable === 'NO' }]));
  const missing = contract.columns.filter((c) => c.privacy !== 'drop' && !columns.has(c.name)).map((c) => `column ${schema}.${table}.${c.name} is missing`);
  if (missing.length > 0) throw new SourceSchemaError(contract.name, missing);
  return columns;
}
