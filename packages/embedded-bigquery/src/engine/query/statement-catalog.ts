/**
 * The catalog as one statement reads it: while a statement runs, each table's resource and each
 * dataset's existence is read from `_landform` once and kept (a publish's INSERT read the same
 * three tables nine times, about 1 ms each). What is kept is dropped when the statement ends and
 * whenever any catalog resource is written (catalog.ts counts writes), so a statement that creates,
 * alters or drops a table reads it again afterwards. A statement sees the catalog as it first read
 * it, as it sees the data in one snapshot. Each read hands out its own copy.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EngineCore } from '../engine-core.js';
import type { KeptPartitions } from '../bytes-estimate/index.js';
import { catalogGeneration } from '../catalog.js';
import type { DatasetReference, DatasetResource, TableFieldSchema, TableReference, TableResource } from '../types.js';

export class StatementCatalog implements EngineCore {
  private readonly tables = new Map<string, TableResource | undefined>();
  private readonly datasets = new Map<string, boolean>();
  private generation = -1;
  /** Statements running now (a CALL's body runs inside the CALL). */
  private depth = 0;

  constructor(private readonly core: EngineCore) {}

  get locks(): EngineCore['locks'] {
    return this.core.locks;
  }

  /** fn with the catalog's reads kept until it settles. */
  async during<T>(fn: () => Promise<T>): Promise<T> {
    this.depth++;
    try {
      return await fn();
    } finally {
      if (--this.depth === 0) this.forget();
    }
  }

  async tableMeta(conn: DuckDBConnection, ref: TableReference): Promise<TableResource | undefined> {
    if (!this.keeping()) return this.core.tableMeta(conn, ref);
    const key = JSON.stringify([ref.projectId, ref.datasetId, ref.tableId]);
    if (!this.tables.has(key)) {
      const meta = await this.core.tableMeta(conn, ref);
      if (!this.keeping()) return meta;
      this.tables.set(key, meta);
    }
    const kept = this.tables.get(key);
    return kept === undefined ? undefined : structuredClone(kept);
  }

  async datasetExists(conn: DuckDBConnection, ref: DatasetReference): Promise<boolean> {
    if (!this.keeping()) return this.core.datasetExists(conn, ref);
    const key = JSON.stringify([ref.projectId, ref.datasetId]);
    const kept = this.datasets.get(key);
    if (kept !== undefined) return kept;
    const exists = await this.core.datasetExists(conn, ref);
    if (this.keeping()) this.datasets.set(key, exists);
    return exists;
  }

  /** Whether reads are kept now: inside a statement, and nothing in the catalog written since they were read. */
  private keeping(): boolean {
    if (this.depth === 0) return false;
    if (this.generation !== catalogGeneration()) {
      this.forget();
      this.generation = catalogGeneration();
    }
    return true;
  }

  private forget(): void {
    this.tables.clear();
    this.datasets.clear();
  }

  knownDataset(projectId: string, datasetId: string): boolean {
    return this.core.knownDataset(projectId, datasetId);
  }

  createDatasetOn(conn: DuckDBConnection, d: DatasetResource): Promise<DatasetResource> {
    return this.core.createDatasetOn(conn, d);
  }

  dropDatasetOn(conn: DuckDBConnection, ref: DatasetReference, deleteContents: boolean): Promise<void> {
    return this.core.dropDatasetOn(conn, ref, deleteContents);
  }

  saveTable(conn: DuckDBConnection, resource: TableResource, declared: TableFieldSchema[] | undefined): Promise<TableResource> {
    return this.core.saveTable(conn, resource, declared);
  }

  invalidateStats(ref?: TableReference): void {
    this.core.invalidateStats(ref);
  }

  bytesForColumns(conn: DuckDBConnection, ref: TableReference, meta: TableResource, cols: Set<string> | 'all', kept?: KeptPartitions): Promise<number> {
    return this.core.bytesForColumns(conn, ref, meta, cols, kept);
  }

  abortSession(id: string, projectId: string): void {
    this.core.abortSession(id, projectId);
  }
}
