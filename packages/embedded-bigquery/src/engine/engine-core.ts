/**
 * What statements, loads and queries need from the engine that owns the catalog: a narrow
 * interface, so those modules depend on it and not on the EmbeddedEngine class (no import cycle).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { KeptPartitions } from './bytes-estimate/index.js';
import type { DatasetReference, DatasetResource, TableFieldSchema, TableReference, TableResource } from './types.js';
import type { TableLocks } from './table-locks.js';

export interface EngineCore {
  /** Whose turn it is to write each table (statements take it before they run). */
  readonly locks: TableLocks;
  knownDataset(projectId: string, datasetId: string): boolean;
  datasetExists(conn: DuckDBConnection, ref: DatasetReference): Promise<boolean>;
  tableMeta(conn: DuckDBConnection, ref: TableReference): Promise<TableResource | undefined>;
  createDatasetOn(conn: DuckDBConnection, d: DatasetResource): Promise<DatasetResource>;
  dropDatasetOn(conn: DuckDBConnection, ref: DatasetReference, deleteContents: boolean): Promise<void>;
  /** Write catalog metadata for a table whose DuckDB object exists, with the schema DuckDB reports. */
  saveTable(conn: DuckDBConnection, resource: TableResource, declared: TableFieldSchema[] | undefined): Promise<TableResource>;
  invalidateStats(ref?: TableReference): void;
  /** Bytes BigQuery would bill for reading these columns (or all of them) of a table. */
  bytesForColumns(conn: DuckDBConnection, ref: TableReference, meta: TableResource, cols: Set<string> | 'all', kept?: KeptPartitions): Promise<number>;
  /** CALL BQ.ABORT_SESSION('id') from outside that session (query/sessions.ts). */
  abortSession(id: string, projectId: string): void;
}
