/**
 * Schema evolution between a table contract and its Postgres table, checked before each table's
 * extraction:
 * - a column the contract names but Postgres no longer has (renamed, dropped) stops that table, with
 *   one sentence naming the table, the column and what to do; the other tables still land;
 * - a Postgres column the contract does not know is reported once per run (a warning, never landed,
 *   never a failure);
 * - a column added to the contract needs nothing here: the raw table gains it before the batch
 *   (raw-layer.ts adds missing NULLABLE columns), the curated model before its merge
 *   (includes/curated.js), and the new contract hash is what lineage records.
 */
import type pg from 'pg';
import type { LoadedContract, TableContract } from '../../contracts/schema/index.js';

export interface ColumnDrift {
  /** Contract columns (other than privacy: drop, which are never read) that Postgres does not have. */
  missing: string[];
  /** Postgres columns the contract does not name at all. */
  unknown: string[];
}

/** Thrown before extraction when the contract names columns Postgres no longer has; the table stops. */
export class SourceColumnMissingError extends Error {
  constructor(
    readonly table: string,
    readonly columns: string[],
    message: string,
  ) {
    super(message);
    this.name = 'SourceColumnMissingError';
  }
}

/** Column names of the source table in Postgres order; empty when the table does not exist. */
export async function sourceColumnNames(client: pg.Client | pg.PoolClient, contract: TableContract): Promise<string[]> {
  const result = await client.query<{ column_name: string }>(
    'select column_name from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position',
    [contract.source.schema, contract.source.table],
  );
  return result.rows.map((row) => row.column_name);
}

/** How the contract and the source's columns differ (pure). */
export function columnDrift(contract: TableContract, sourceColumns: readonly string[]): ColumnDrift {
  const present = new Set(sourceColumns);
  const named = new Set(contract.columns.map((c) => c.name));
  return {
    missing: contract.columns.filter((c) => c.privacy !== 'drop' && !present.has(c.name)).map((c) => c.name),
    unknown: sourceColumns.filter((name) => !named.has(name)),
  };
}

const list = (names: string[]) => names.join(', ');

/** The one sentence that stops a table whose contract names columns Postgres no longer has. */
export function missingColumnsMessage(loaded: LoadedContract<TableContract>, missing: string[]): string {
  const { contract, file } = loaded;
  const source = `${contract.source.schema}.${contract.source.table}`;
  const what = missing.length === 1 ? `column ${missing[0]} is` : `columns ${list(missing)} are`;
  const them = missing.length === 1 ? 'it' : 'them';
  // The raw table keeps a REQUIRED column the contract drops, and would refuse rows without it.
  const required = contract.columns.filter((c) => missing.includes(c.name) && c.mode === 'REQUIRED').map((c) => `ALTER COLUMN ${c.name} DROP NOT NULL`);
  const relax = required.length > 0 ? `, with ${required.join(', ')} on the raw table` : '';
  return `${contract.name}: ${what} in ${file} but no longer in the Postgres table ${source} (renamed or dropped), so ${contract.name} was not loaded; restore ${them} in Postgres, or remove ${them} from the contract (a new contract version${relax}) and load again.`;
}

/** The warning for Postgres columns the contract does not know (not landed, not a failure). */
export function unknownColumnsMessage(loaded: LoadedContract<TableContract>, unknown: string[]): string {
  const { contract, file } = loaded;
  const what = unknown.length === 1 ? `column ${unknown[0]}, which` : `columns ${list(unknown)}, which`;
  return `${contract.name}: the Postgres table ${contract.source.schema}.${contract.source.table} has ${what} ${file} does not name; not landed (add ${unknown.length === 1 ? 'it' : 'them'} to the contract to land ${unknown.length === 1 ? 'it' : 'them'})`;
}

/**
 * Checks one table before its extraction. Throws SourceColumnMissingError when the contract names a
 * column Postgres no longer has; returns the warnings to report otherwise (unknown columns). A
 * missing table is left to the extraction, which names it.
 */
export async function checkSourceSchema(client: pg.Client | pg.PoolClient, loaded: LoadedContract<TableContract>): Promise<string[]> {
  const names = await sourceColumnNames(client, loaded.contract);
  if (names.length === 0) return [];
  const drift = columnDrift(loaded.contract, names);
  if (drift.missing.length > 0) throw new SourceColumnMissingError(loaded.contract.name, drift.missing, missingColumnsMessage(loaded, drift.missing));
  return drift.unknown.length > 0 ? [unknownColumnsMessage(loaded, drift.unknown)] : [];
}
