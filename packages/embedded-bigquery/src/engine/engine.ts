/**
 * The embedded BigQuery engine over DuckDB: datasets and tables (with their catalog metadata),
 * queries and scripts, tabledata, load and copy. Every public call runs on a pooled connection
 * of its own (database.ts); calls that write a table or dataset take its turn first (table-locks.ts).
 */
import { checkTableLayout } from './query/table-layout.js';
import type { DuckDBConnection } from '@duckdb/node-api';
import {
  BigQueryApiError,
  type DatasetReference,
  type DatasetResource,
  type Engine,
  type InsertAllError,
  type LoadOptions,
  type QueryOptions,
  type QueryResult,
  type RoutineReference,
  type RoutineResource,
  type Row,
  type TableFieldSchema,
  type TableReference,
  type TableResource,
  type TableSchema,
} from './types.js';
import { Database } from './database.js';
import { LockOwner, type TableLocks } from './table-locks.js';
import { datasetLock, dropNullLabels, materializedViewNotWritable, patchSchema, pickMeta, tableLock } from './table-resources.js';
import { checkDecorated, ensurePseudoColumns, intoPartition, isIngestionTime, isPseudoColumn, splitDecorator } from './ingestion-time.js';
import {
  initCatalog,
  listRoutineResources,
  readRoutine,
  listDatasetResources,
  listTableResources,
  readDataset,
  readTable,
  removeDataset,
  removeTable,
  schemaName,
  duckKind,
  tableSql,
  writeDataset,
  writeTable,
} from './catalog.js';
import { duckTypeOfField, fieldOfDuckType, mergeFieldInfo, quoteIdent } from './type-mapping.js';
import { QueryRunner } from './query-runner.js';
import { Sessions } from './query/sessions.js';
import { runInSession } from './query/session-query.js';
import { createViewFromResource } from './query/view-resources.js';
import { encodeRow } from './encode.js';
import { mapDuckError, notFoundTable } from './errors.js';
import type { EngineCore } from './engine-core.js';
import { checkIdentifiers } from './identifiers.js';
import { loadIntoTable } from './load.js';
import { insertJsonRows } from './insert-rows.js';
import { columnDefinition } from './column-ddl.js';
import { rollback } from './rollback.js';
import { writeExport } from './export-files.js';
import type { ExportedFiles, ExportRequest } from './export-types.js';
import { ColumnSizes, type KeptPartitions } from './bytes-estimate/index.js';

export class EmbeddedEngine implements Engine, EngineCore {
  private readonly datasets = new Set<string>();
  /** Per-table column byte sizes, dropped whenever the table is written. */
  private readonly columnSizes = new ColumnSizes();

  /** BigQuery sessions, each holding one pooled connection while it lives. */
  private readonly sessions: Sessions;

  private constructor(private readonly db: Database) {
    this.sessions = new Sessions((fn) => db.withConnection(fn), db.locks);
  }

  static async open(dataPath: string): Promise<EmbeddedEngine> {
    const db = await Database.open(dataPath);
    const engine = new EmbeddedEngine(db);
    await db.withConnection(async (conn) => {
      await initCatalog(conn);
      const r = await conn.runAndReadAll(`SELECT project, dataset FROM _landform.datasets`);
      for (const [p, d] of r.getRows()) engine.datasets.add(`${String(p)}.${String(d)}`);
    });
    return engine;
  }

  get locks(): TableLocks {
    return this.db.locks;
  }

  private run<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.db.withConnection(async (conn) => {
      try {
        return await fn(conn);
      } catch (e) {
        throw mapDuckError(e);
      }
    }, signal);
  }

  /** run() in one read snapshot: the catalog entry and the table it describes as of one commit. */
  private read<T>(fn: (conn: DuckDBConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run((conn) => this.inTransaction(conn, () => fn(conn)), signal);
  }

  /**
   * run() with the turn on every named table or dataset, taken once the connection is borrowed
   * (always connection first, then tables, as statements do: no caller holds a table while it
   * waits for a connection, so none can deadlock); the turn ends with the call.
   */
  private write<T>(names: string[], fn: (conn: DuckDBConnection, owner: LockOwner) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.run(async (conn) => {
      const owner = new LockOwner();
      try {
        for (const n of names) await this.db.locks.acquire(n, owner, signal);
        return await fn(conn, owner);
      } finally {
        this.db.locks.releaseAll(owner);
      }
    }, signal);
  }

  // ---- helpers used by QueryRunner ----

  knownDataset(projectId: string, datasetId: string): boolean {
    return this.datasets.has(`${projectId}.${datasetId}`);
  }

  async datasetExists(conn: DuckDBConnection, ref: DatasetReference): Promise<boolean> {
    return (await readDataset(conn, ref)) !== undefined;
  }

  async tableMeta(conn: DuckDBConnection, ref: TableReference): Promise<TableResource | undefined> {
    return readTable(conn, ref);
  }

  async createDatasetOn(conn: DuckDBConnection, d: DatasetResource): Promise<DatasetResource> {
    const { projectId, datasetId } = d.datasetReference;
    checkIdentifiers(projectId, datasetId);
    const now = String(Date.now());
    const resource: DatasetResource = {
      kind: 'bigquery#dataset',
      id: `${projectId}:${datasetId}`,
      location: 'US',
      ...d,
      creationTime: now,
      lastModifiedTime: now,
    };
    await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schemaName(projectId, datasetId))}`);
    await writeDataset(conn, resource);
    this.datasets.add(`${projectId}.${datasetId}`);
    return resource;
  }

  async dropDatasetOn(conn: DuckDBConnection, ref: DatasetReference, deleteContents: boolean): Promise<void> {
    const tables = await listTableResources(conn, ref);
    if (tables.length > 0 && !deleteContents) {
      throw new BigQueryApiError('resourceInUse', `Dataset ${ref.projectId}:${ref.datasetId} is still in use`);
    }
    await conn.run(`DROP SCHEMA IF EXISTS ${quoteIdent(schemaName(ref.projectId, ref.datasetId))} CASCADE`);
    await removeDataset(conn, ref);
    this.datasets.delete(`${ref.projectId}.${ref.datasetId}`);
    for (const t of tables) this.invalidateStats(t.tableReference);
  }

  /** Write catalog metadata for a table whose DuckDB object exists, with the schema DuckDB reports. */
  async saveTable(conn: DuckDBConnection, resource: TableResource, declared: TableFieldSchema[] | undefined): Promise<TableResource> {
    const ref = resource.tableReference;
    const reader = await conn.runAndReadAll(`SELECT * FROM ${tableSql(ref)} LIMIT 0`);
    const names = reader.columnNames();
    // an ingestion-time partitioned table keeps its pseudo-columns beside, not in, its schema
    const ingestion = isIngestionTime({ type: resource.type ?? 'TABLE', timePartitioning: resource.timePartitioning });
    if (ingestion) await ensurePseudoColumns(conn, resource, new Set(names.map((n) => n.toLowerCase())));
    const actual = reader.columnTypes().map((t, i) => fieldOfDuckType(names[i]!, t)).filter((f) => !(ingestion && isPseudoColumn(f.name)));
    const now = String(Date.now());
    const out: TableResource = {
      kind: 'bigquery#table',
      id: `${ref.projectId}:${ref.datasetId}.${ref.tableId}`,
      location: 'US',
      creationTime: resource.creationTime ?? now,
      ...resource,
      type: resource.type ?? 'TABLE',
      lastModifiedTime: now,
      schema: { fields: mergeFieldInfo(actual, declared ?? resource.schema?.fields) },
    };
    await writeTable(conn, out);
    return out;
  }

  abortSession(id: string, projectId: string): void { this.sessions.abort(id, projectId); }

  invalidateStats(ref?: TableReference): void {
    this.columnSizes.invalidate(ref);
  }

  /** Bytes BigQuery would bill for reading these columns (or all of them) of a table, over the kept partitions (bytes-estimate/). */
  async bytesForColumns(conn: DuckDBConnection, ref: TableReference, meta: TableResource, cols: Set<string> | 'all', kept?: KeptPartitions): Promise<number> {
    if (meta.type === 'VIEW') return 0;
    const sizes = await this.columnSizes.sizes(conn, ref, meta, kept, cols);
    let total = 0;
    for (const [name, bytes] of sizes) if (cols === 'all' || cols.has(name)) total += bytes;
    return total;
  }

  private async withStats(conn: DuckDBConnection, meta: TableResource): Promise<TableResource> {
    if (meta.type === 'VIEW') return { ...meta, numRows: '0', numBytes: '0' };
    // a materialized view whose base table is gone still has its resource; its rows cannot be counted
    if (meta.type === 'MATERIALIZED_VIEW') return this.countRows(conn, meta).catch(() => meta);
    return this.countRows(conn, meta);
  }

  private async countRows(conn: DuckDBConnection, meta: TableResource): Promise<TableResource> {
    const ref = meta.tableReference;
    const r = await conn.runAndReadAll(`SELECT count(*) FROM ${tableSql(ref)}`);
    const sizes = await this.columnSizes.sizes(conn, ref, meta);
    let bytes = 0;
    for (const v of sizes.values()) bytes += v;
    return { ...meta, numRows: String(r.getRows()[0]?.[0] ?? 0), numBytes: String(bytes) };
  }

  private async requireDataset(conn: DuckDBConnection, ref: DatasetReference): Promise<DatasetResource> {
    const d = await readDataset(conn, ref);
    if (!d) throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
    return d;
  }

  private async requireTable(conn: DuckDBConnection, ref: TableReference): Promise<TableResource> {
    const t = await readTable(conn, ref);
    if (!t) {
      await this.requireDataset(conn, ref);
      throw notFoundTable(ref);
    }
    return t;
  }

  private async inTransaction<T>(conn: DuckDBConnection, fn: () => Promise<T>): Promise<T> {
    await conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await conn.run('COMMIT');
      return out;
    } catch (e) {
      await rollback(conn);
      throw e;
    }
  }

  // ---- Engine ----

  createDataset(dataset: DatasetResource): Promise<DatasetResource> {
    return this.write([datasetLock(dataset.datasetReference)], async (conn) => {
      if (await readDataset(conn, dataset.datasetReference)) {
        const { projectId, datasetId } = dataset.datasetReference;
        throw new BigQueryApiError('duplicate', `Already Exists: Dataset ${projectId}:${datasetId}`);
      }
      return this.inTransaction(conn, () => this.createDatasetOn(conn, dataset));
    });
  }

  getDataset(ref: DatasetReference): Promise<DatasetResource> {
    return this.run((conn) => this.requireDataset(conn, ref));
  }

  listDatasets(projectId: string): Promise<DatasetResource[]> {
    return this.run((conn) => listDatasetResources(conn, projectId));
  }

  patchDataset(ref: DatasetReference, patch: Partial<DatasetResource>): Promise<DatasetResource> {
    return this.write([datasetLock(ref)], async (conn) => {
      const d = await this.requireDataset(conn, ref);
      const out: DatasetResource = { ...d, ...patch, datasetReference: d.datasetReference, lastModifiedTime: String(Date.now()) };
      if (patch.labels) out.labels = dropNullLabels({ ...d.labels, ...patch.labels });
      await this.inTransaction(conn, () => writeDataset(conn, out));
      return out;
    });
  }

  deleteDataset(ref: DatasetReference, options: { deleteContents: boolean }): Promise<void> {
    return this.write([datasetLock(ref)], async (conn) => {
      await this.requireDataset(conn, ref);
      await this.inTransaction(conn, () => this.dropDatasetOn(conn, ref, options.deleteContents));
    });
  }

  createTable(table: TableResource): Promise<TableResource> {
    return this.write([tableLock(table.tableReference)], async (conn, owner) => {
      const ref = table.tableReference;
      checkIdentifiers(ref.projectId, ref.datasetId, ref.tableId);
      await this.requireDataset(conn, ref);
      if (await readTable(conn, ref)) throw new BigQueryApiError('duplicate', `Already Exists: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
      const view = await createViewFromResource(this, conn, owner, table);
      if (view) return this.withStats(conn, view);
      const fields = table.schema?.fields ?? [];
      const cols = fields.map((f) => columnDefinition(f));
      const out = await this.inTransaction(conn, async () => {
        await conn.run(`CREATE TABLE ${tableSql(ref)} (${cols.join(', ')})`);
        const saved = await this.saveTable(conn, { ...pickMeta(table), tableReference: ref, type: 'TABLE' }, fields);
        checkTableLayout(saved, 'invalid');
        return saved;
      });
      return this.withStats(conn, out);
    });
  }

  /** The table's resource; with `stats: false` (tables.get view=BASIC) without counting its rows and bytes. */
  getTable(ref: TableReference, options: { stats?: boolean } = {}): Promise<TableResource> {
    return this.read(async (conn) => {
      const meta = await this.requireTable(conn, ref);
      return options.stats === false ? meta : this.withStats(conn, meta);
    });
  }

  listTables(ref: DatasetReference): Promise<TableResource[]> {
    return this.read(async (conn) => {
      await this.requireDataset(conn, ref);
      return listTableResources(conn, ref);
    });
  }

  patchTable(ref: TableReference, patch: Partial<TableResource>): Promise<TableResource> {
    return this.write([tableLock(ref)], async (conn) => {
      const t = await this.requireTable(conn, ref);
      const out: TableResource = { ...t, ...pickMeta(patch), tableReference: t.tableReference, lastModifiedTime: String(Date.now()) };
      if (patch.labels) out.labels = dropNullLabels({ ...t.labels, ...patch.labels });
      if (patch.schema && t.type === 'MATERIALIZED_VIEW') throw new BigQueryApiError('invalid', 'Schema update for materialized views is not supported.');
      if (patch.schema) out.schema = { fields: patchSchema(t.schema?.fields ?? [], patch.schema.fields, ref) };
      if (out.schema && t.type !== 'VIEW') {
        const added = out.schema.fields.filter((f) => !(t.schema?.fields ?? []).some((x) => x.name.toLowerCase() === f.name.toLowerCase()));
        await this.inTransaction(conn, async () => {
          for (const f of added) await conn.run(`ALTER TABLE ${tableSql(ref)} ADD COLUMN ${quoteIdent(f.name)} ${duckTypeOfField(f)}`);
          await writeTable(conn, out);
        });
      } else {
        await this.inTransaction(conn, () => writeTable(conn, out));
      }
      this.invalidateStats(ref);
      return this.withStats(conn, out);
    });
  }

  deleteTable(ref: TableReference): Promise<void> {
    return this.write([tableLock(ref)], async (conn) => {
      const t = await this.requireTable(conn, ref);
      await this.inTransaction(conn, async () => {
        await conn.run(`DROP ${duckKind(t)} IF EXISTS ${tableSql(ref)}`);
        await removeTable(conn, ref);
      });
      this.invalidateStats(ref);
    });
  }

  query(sql: string, options: QueryOptions): Promise<QueryResult> {
    if (options.createSession || options.sessionId !== undefined) return this.sessions.query(options, (conn, state) => runInSession(this, conn, state, sql, options));
    return this.run(async (conn) => {
      if (options.dryRun) {
        // run inside a transaction that is always rolled back: schema and bytes without effects
        await conn.run('BEGIN TRANSACTION');
        try {
          const r = await new QueryRunner(this, conn, { ...options, dryRun: false }, true).run(sql);
          return { ...r, rows: [], totalRows: 0 };
        } finally {
          await rollback(conn);
          this.invalidateStats();
        }
      }
      return new QueryRunner(this, conn, options).run(sql);
    }, options.signal);
  }

  readRows(
    ref: TableReference,
    options: { startIndex?: number; maxResults?: number; selectedFields?: string[]; useInt64Timestamp?: boolean },
  ): Promise<{ schema: TableSchema; rows: Row[]; totalRows: number }> {
    return this.read(async (conn) => {
      const t = await this.requireTable(conn, ref);
      let fields = t.schema?.fields ?? [];
      if (options.selectedFields && options.selectedFields.length > 0) {
        const wanted = options.selectedFields.map((s) => s.toLowerCase());
        fields = fields.filter((f) => wanted.includes(f.name.toLowerCase()));
      }
      const count = await conn.runAndReadAll(`SELECT count(*) FROM ${tableSql(ref)}`);
      const totalRows = Number(count.getRows()[0]?.[0] ?? 0);
      if (fields.length === 0) return { schema: { fields }, rows: [], totalRows };
      const limit = options.maxResults !== undefined ? ` LIMIT ${Math.max(0, Math.floor(options.maxResults))}` : '';
      const offset = options.startIndex ? ` OFFSET ${Math.max(0, Math.floor(options.startIndex))}` : '';
      const order = duckKind(t) === 'VIEW' ? '' : ' ORDER BY rowid';
      const r = await conn.runAndReadAll(`SELECT ${fields.map((f) => quoteIdent(f.name)).join(', ')} FROM ${tableSql(ref)}${order}${limit}${offset}`);
      const rows = r.getRows().map((row) => encodeRow(row, fields, { useInt64Timestamp: options.useInt64Timestamp }));
      return { schema: { fields }, rows, totalRows };
    });
  }

  insertRows(decorated: TableReference, rows: Record<string, unknown>[], options: { skipInvalidRows?: boolean; ignoreUnknownValues?: boolean }): Promise<InsertAllError[]> {
    const { ref, partition } = splitDecorator(decorated);
    return this.write([tableLock(ref)], async (conn) => {
      const t = await this.requireTable(conn, ref);
      if (t.type === 'VIEW') throw new BigQueryApiError('invalid', `Cannot insert into a view: ${ref.datasetId}.${ref.tableId}`);
      if (t.type === 'MATERIALIZED_VIEW') throw materializedViewNotWritable(ref, 'insert into', 'invalid');
      if (partition) checkDecorated(t, partition);
      const insert = () => insertJsonRows(conn, t, rows, options);
      const errors = partition ? await intoPartition(conn, t, partition, false, insert) : await insert();
      this.invalidateStats(ref);
      return errors;
    });
  }

  loadFile(decorated: TableReference, filePath: string, options: LoadOptions, signal?: AbortSignal): Promise<{ outputRows: number; outputBytes: number; badRecords: number }> {
    const { ref, partition } = splitDecorator(decorated);
    return this.write([tableLock(ref)], async (conn) => {
      checkIdentifiers(ref.projectId, ref.datasetId, ref.tableId);
      await this.requireDataset(conn, ref);
      const existing = await readTable(conn, ref);
      if (partition && !existing) throw notFoundTable(ref);
      if (partition) checkDecorated(existing!, partition);
      const file = await this.db.intake.admit(filePath);
      // a decorated load writes one partition: WRITE_TRUNCATE empties that partition, not the table
      const load = partition
        ? () => intoPartition(conn, existing!, partition, options.writeDisposition === 'WRITE_TRUNCATE', () => loadIntoTable(conn, this, ref, existing, file.path, { ...options, writeDisposition: 'WRITE_APPEND' }))
        : () => loadIntoTable(conn, this, ref, existing, file.path, options);
      const out = await this.inTransaction(conn, load).finally(() => file.release());
      this.invalidateStats(ref);
      // a bulk load leaves its rows in the write-ahead log; checkpointing now stores them compressed
      // with statistics, which later scans use (measured: 2-3x faster JSON scans right after a load).
      // A table that expires (a loader's per-batch staging table) is read once and dropped: the
      // checkpoint would cost more than it saves, so DuckDB's automatic checkpoint is left to it.
      // (DuckDB refuses it while another connection's write transaction is open: then it waits for the next)
      if (!existing?.expirationTime) await conn.run('CHECKPOINT').catch(() => undefined);
      return out;
    }, signal);
  }

  copyTable(
    sources: TableReference[],
    destination: TableReference,
    options: { writeDisposition?: LoadOptions['writeDisposition']; createDisposition?: LoadOptions['createDisposition'] },
    signal?: AbortSignal,
  ): Promise<{ copiedRows: number }> {
    return this.write([tableLock(destination)], async (conn) => {
      checkIdentifiers(destination.projectId, destination.datasetId, destination.tableId);
      await this.requireDataset(conn, destination);
      const metas: TableResource[] = [];
      for (const s of sources) metas.push(await this.requireTable(conn, s));
      const first = metas[0];
      if (!first) throw new BigQueryApiError('invalid', 'Copy job needs at least one source table');
      const existing = await readTable(conn, destination);
      const disposition = options.writeDisposition ?? 'WRITE_EMPTY';
      const out = await this.inTransaction(conn, async () => {
        const target = tableSql(destination);
        if (!existing) {
          if (options.createDisposition === 'CREATE_NEVER') throw notFoundTable(destination);
          await conn.run(`CREATE TABLE ${target} AS SELECT * FROM ${tableSql(first.tableReference)} LIMIT 0`);
          await this.saveTable(conn, { ...pickMeta(first), tableReference: destination, type: 'TABLE' }, first.schema?.fields);
        } else {
          const n = await conn.runAndReadAll(`SELECT count(*) FROM ${target}`);
          if (disposition === 'WRITE_EMPTY' && Number(n.getRows()[0]?.[0] ?? 0) > 0) {
            throw new BigQueryApiError('duplicate', `Already Exists: Table ${destination.projectId}:${destination.datasetId}.${destination.tableId}`);
          }
          if (disposition === 'WRITE_TRUNCATE') await conn.run(`DELETE FROM ${target}`);
        }
        let copied = 0;
        for (const s of sources) {
          const r = await conn.run(`INSERT INTO ${target} BY NAME SELECT * FROM ${tableSql(s)}`);
          copied += r.rowsChanged;
        }
        return { copiedRows: copied };
      });
      this.invalidateStats(destination);
      return out;
    }, signal);
  }

  getRoutine(ref: RoutineReference): Promise<RoutineResource> {
    return this.read(async (conn) => {
      const routine = await readRoutine(conn, ref);
      if (routine) return routine;
      await this.requireDataset(conn, ref);
      throw new BigQueryApiError('notFound', `Not found: Routine ${ref.projectId}:${ref.datasetId}.${ref.routineId}`);
    });
  }

  listRoutines(ref: DatasetReference): Promise<RoutineResource[]> {
    return this.read(async (conn) => {
      await this.requireDataset(conn, ref);
      return listRoutineResources(conn, ref);
    });
  }

  exportTable(ref: TableReference, request: ExportRequest, signal?: AbortSignal): Promise<ExportedFiles> {
    return this.read(async (conn) => writeExport(conn, await this.requireTable(conn, ref), this.db.intake.dir, request), signal);
  }

    async close(): Promise<void> {
    await this.sessions.closeAll();
    return this.db.close();
  }
}
