import { loadContracts } from '../contracts/schema/index.js';
import { sqlIdentifier } from '../common/identifiers.js';

/** What the demo needs from a table contract to create and fill its source table. */
export interface SourceColumn {
  name: string;
  type: string;
  mode: 'REQUIRED' | 'NULLABLE' | 'REPEATED';
}

export interface SourceTable {
  name: string;
  schema: string;
  table: string;
  loadMode: 'append' | 'merge' | 'full_refresh';
  cursor: string | null;
  primaryKey: string[];
  columns: SourceColumn[];
  /** Canonical contract hash (what the loader stamps on every batch). */
  contractHash: string;
}

/** The source tables described by `contracts/tables/*.yaml`, validated by src/contracts. */
export async function readSourceTables(contractsDir?: string): Promise<SourceTable[]> {
  const set = await loadContracts(contractsDir);
  return set.tables.map(({ contract, hash }) => ({
    name: sqlIdentifier(contract.name, 'table'),
    schema: sqlIdentifier(contract.source.schema, 'schema'),
    table: sqlIdentifier(contract.source.table, 'table'),
    loadMode: contract.load.mode,
    cursor: contract.load.cursor === undefined ? null : sqlIdentifier(contract.load.cursor, 'column'),
    primaryKey: contract.primary_key.map((k) => sqlIdentifier(k, 'column')),
    columns: contract.columns.map((c) => ({ name: sqlIdentifier(c.name, 'column'), type: c.type, mode: c.mode })),
    contractHash: hash,
  }));
}
