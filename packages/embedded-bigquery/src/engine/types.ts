/**
 * The contract between the embedded BigQuery's HTTP layer (server/) and its SQL engine (engine/).
 * Shapes follow BigQuery's REST resources (camelCase, int64 as decimal strings) so the HTTP layer
 * can pass them through; the engine owns every type decision and returns rows already encoded
 * the way BigQuery encodes them on the wire.
 */
import type { ExportedFiles, ExportRequest } from './export-types.js';

export type BigQueryType =
  | 'STRING'
  | 'BYTES'
  | 'INTEGER'
  | 'INT64'
  | 'FLOAT'
  | 'FLOAT64'
  | 'NUMERIC'
  | 'BIGNUMERIC'
  | 'BOOLEAN'
  | 'BOOL'
  | 'TIMESTAMP'
  | 'DATE'
  | 'TIME'
  | 'DATETIME'
  | 'JSON'
  | 'RECORD'
  | 'STRUCT'
  | 'GEOGRAPHY'
  | 'INTERVAL'
  | 'RANGE';

export interface TableFieldSchema {
  name: string;
  type: BigQueryType;
  mode?: 'NULLABLE' | 'REQUIRED' | 'REPEATED';
  fields?: TableFieldSchema[];
  description?: string;
  /** RANGE columns: the element type (DATE, DATETIME or TIMESTAMP). */
  rangeElementType?: { type: string };
}

export interface TableSchema {
  fields: TableFieldSchema[];
}

export interface TableReference {
  projectId: string;
  datasetId: string;
  tableId: string;
}

export interface DatasetReference {
  projectId: string;
  datasetId: string;
}

export interface DatasetResource {
  kind?: 'bigquery#dataset';
  id?: string;
  datasetReference: DatasetReference;
  location?: string;
  description?: string;
  labels?: Record<string, string>;
  defaultTableExpirationMs?: string;
  defaultPartitionExpirationMs?: string;
  creationTime?: string;
  lastModifiedTime?: string;
}

export interface TimePartitioning {
  type: 'HOUR' | 'DAY' | 'MONTH' | 'YEAR';
  field?: string;
  expirationMs?: string;
  requirePartitionFilter?: boolean;
}

export interface RoutineReference {
  projectId: string;
  datasetId: string;
  routineId: string;
}

/** A routine as the `routines` REST resource shows it, plus the GoogleSQL types of its arguments. */
export interface RoutineResource {
  routineReference: RoutineReference;
  routineType: 'PROCEDURE' | 'SCALAR_FUNCTION' | 'TABLE_VALUED_FUNCTION';
  language: 'SQL' | 'JAVASCRIPT';
  definitionBody: string;
  /** JavaScript functions: OPTIONS(library = ...), as the routines resource names them. */
  importedLibraries?: string[];
  arguments: { name: string; mode?: 'IN' | 'OUT' | 'INOUT'; typeSql: string }[];
  returnTypeSql?: string;
  creationTime: string;
  lastModifiedTime: string;
}

/** Integer-range partitioning (`PARTITION BY RANGE_BUCKET(col, GENERATE_ARRAY(start, end, interval))`). */
export interface RangePartitioning {
  field: string;
  range: { start: string; end: string; interval: string };
}

export interface TableResource {
  kind?: 'bigquery#table';
  id?: string;
  tableReference: TableReference;
  type?: 'TABLE' | 'VIEW' | 'SNAPSHOT' | 'MATERIALIZED_VIEW';
  schema?: TableSchema;
  timePartitioning?: TimePartitioning;
  rangePartitioning?: RangePartitioning;
  /** A table snapshot's source and time (CREATE SNAPSHOT TABLE ... CLONE). */
  snapshotDefinition?: { baseTableReference: TableReference; snapshotTime: string };
  /** A table clone's source and time (CREATE TABLE ... CLONE). */
  cloneDefinition?: { baseTableReference: TableReference; cloneTime: string };
  requirePartitionFilter?: boolean;
  clustering?: { fields: string[] };
  /** Unenforced primary and foreign keys (metadata only, as on BigQuery). */
  tableConstraints?: TableConstraints;
  description?: string;
  friendlyName?: string;
  labels?: Record<string, string>;
  expirationTime?: string;
  /** OPTIONS(max_staleness) of a table, as canonical INTERVAL text. */
  maxStaleness?: string;
  view?: { query: string; useLegacySql?: boolean };
  /** A materialized view's definition (query/materialized-views.ts: answered fresh from its query on every read). */
  materializedView?: MaterializedViewDefinition;
  creationTime?: string;
  lastModifiedTime?: string;
  numRows?: string;
  numBytes?: string;
  location?: string;
}

/** tables.get's materializedView, as BigQuery's REST resource spells it (int64 fields as strings). */
export interface MaterializedViewDefinition {
  query: string;
  enableRefresh: boolean;
  refreshIntervalMs: string;
  lastRefreshTime: string;
  maxStaleness?: string;
  allowNonIncrementalDefinition?: boolean;
}

/** tables.get's tableConstraints: BigQuery keeps them as metadata and never enforces them. */
export interface TableConstraints {
  primaryKey?: { columns: string[] };
  foreignKeys?: { name: string; referencedTable: TableReference; columnReferences: { referencingColumn: string; referencedColumn: string }[] }[];
}

/** A query parameter exactly as jobs.insert / jobs.query carry it. */
export interface QueryParameter {
  name?: string;
  parameterType: { type: string; arrayType?: QueryParameter['parameterType']; structTypes?: { name?: string; type: QueryParameter['parameterType'] }[]; rangeElementType?: { type: string } };
  parameterValue: {
    value?: string | null;
    /** RANGE parameters: each bound's value, NULL (or absent, or UNBOUNDED) where unbounded. */
    rangeValue?: { start?: { value?: string | null }; end?: { value?: string | null } };
    arrayValues?: QueryParameter['parameterValue'][];
    structValues?: Record<string, QueryParameter['parameterValue']>;
  };
}

/** One cell as BigQuery sends it: `{v: string | null}`, arrays as `{v: [{v}...]}`, records as `{v: {f: [...]}}`. */
export interface Cell {
  v: string | null | Cell[] | Row;
}
export interface Row {
  f: Cell[];
}

export interface QueryOptions {
  /** Project the job runs in: unqualified `dataset.table` paths resolve against it. */
  projectId: string;
  defaultDataset?: DatasetReference;
  parameterMode?: 'NAMED' | 'POSITIONAL';
  queryParameters?: QueryParameter[];
  dryRun?: boolean;
  /** TIMESTAMP cells as int64 microseconds (true) or as float seconds in a string (false, BigQuery's default). */
  useInt64Timestamp?: boolean;
  /** Aborting it interrupts the query (jobs.cancel, job timeouts, shutdown); the call then rejects. */
  signal?: AbortSignal;
  /** Reads a JavaScript UDF library (OPTIONS(library = 'gs://...')) as text; without it such a UDF fails loudly. */
  jsLibrary?: (uri: string) => Promise<string>;
  /** Start a BigQuery session with this query (jobs.query / jobs.insert `createSession`). */
  createSession?: boolean;
  /** Run in this session (the `session_id` connection property). */
  sessionId?: string;
}

export interface QueryResult {
  /** BigQuery's statementType of the last statement: SELECT, INSERT, UPDATE, DELETE, MERGE, CREATE_TABLE, CREATE_TABLE_AS_SELECT, CREATE_VIEW, DROP_TABLE, CREATE_SCHEMA, SCRIPT, ... */
  statementType: string;
  /** Schema and rows of the last SELECT (or of the script's last statement that returned rows); empty for DDL/DML. */
  schema: TableSchema;
  rows: Row[];
  totalRows: number;
  numDmlAffectedRows?: number;
  /** Bytes BigQuery would process: referenced columns over the kept partitions (engine/bytes-estimate/). */
  totalBytesProcessed: number;
  /** Bytes BigQuery would bill on demand: per table read, whole MB and at least 10 MB. */
  totalBytesBilled?: number;
  ddlTargetTable?: TableReference;
  /** Number of statements a script ran (1 for a single statement). */
  statementCount: number;
  /** The session the query ran in (statistics.sessionInfo.sessionId). */
  sessionId?: string;
}

export interface LoadOptions {
  sourceFormat: 'NEWLINE_DELIMITED_JSON' | 'CSV' | 'PARQUET';
  schema?: TableSchema;
  autodetect?: boolean;
  writeDisposition?: 'WRITE_APPEND' | 'WRITE_TRUNCATE' | 'WRITE_EMPTY';
  createDisposition?: 'CREATE_IF_NEEDED' | 'CREATE_NEVER';
  skipLeadingRows?: number;
  fieldDelimiter?: string;
  /** CSV's quote character ('' for none; BigQuery's default is '"'). */
  quote?: string;
  nullMarker?: string;
  ignoreUnknownValues?: boolean;
  maxBadRecords?: number;
  timePartitioning?: TimePartitioning;
  clustering?: { fields: string[] };
}

export interface InsertAllError {
  index: number;
  errors: { reason: string; message: string; location?: string }[];
}

/**
 * Thrown by the engine with BigQuery's error reason; the HTTP layer turns it into BigQuery's JSON
 * error body with the matching status (notFound 404, duplicate 409, invalidQuery/invalid 400).
 */
export class BigQueryApiError extends Error {
  constructor(
    readonly reason: 'notFound' | 'duplicate' | 'invalidQuery' | 'invalid' | 'internalError' | 'resourceInUse' | 'stopped' | 'timeout' | 'resourcesExceeded',
    message: string,
    readonly location?: string,
  ) {
    super(message);
    this.name = 'BigQueryApiError';
  }

  get httpStatus(): number {
    switch (this.reason) {
      case 'notFound':
        return 404;
      case 'duplicate':
        return 409;
      case 'internalError':
        return 500;
      default:
        return 400;
    }
  }
}

/** Everything the HTTP layer needs; implemented by engine/engine.ts over DuckDB. Safe to call concurrently. */
export interface Engine {
  createDataset(dataset: DatasetResource): Promise<DatasetResource>;
  getDataset(ref: DatasetReference): Promise<DatasetResource>;
  listDatasets(projectId: string): Promise<DatasetResource[]>;
  patchDataset(ref: DatasetReference, patch: Partial<DatasetResource>): Promise<DatasetResource>;
  deleteDataset(ref: DatasetReference, options: { deleteContents: boolean }): Promise<void>;

  createTable(table: TableResource): Promise<TableResource>;
  /** With numRows and numBytes filled in; `stats: false` (tables.get view=BASIC) leaves them out instead of counting them. */
  getTable(ref: TableReference, options?: { stats?: boolean }): Promise<TableResource>;
  listTables(ref: DatasetReference): Promise<TableResource[]>;
  /** Merges schema field descriptions, description, labels, expirationTime, ... as tables.patch does. */
  patchTable(ref: TableReference, patch: Partial<TableResource>): Promise<TableResource>;
  deleteTable(ref: TableReference): Promise<void>;

  query(sql: string, options: QueryOptions): Promise<QueryResult>;

  /** tabledata.list: rows in storage order, encoded as BigQuery does. */
  readRows(
    ref: TableReference,
    options: { startIndex?: number; maxResults?: number; selectedFields?: string[]; useInt64Timestamp?: boolean },
  ): Promise<{ schema: TableSchema; rows: Row[]; totalRows: number }>;
  /** tabledata.insertAll: rows as JSON objects; returns per-row errors instead of throwing for bad rows. */
  insertRows(ref: TableReference, rows: Record<string, unknown>[], options: { skipInvalidRows?: boolean; ignoreUnknownValues?: boolean }): Promise<InsertAllError[]>;
  /** Load job from a local file (the HTTP layer saved the upload there). */
  loadFile(ref: TableReference, filePath: string, options: LoadOptions, signal?: AbortSignal): Promise<{ outputRows: number; outputBytes: number; badRecords: number }>;
  copyTable(
    sources: TableReference[],
    destination: TableReference,
    options: { writeDisposition?: LoadOptions['writeDisposition']; createDisposition?: LoadOptions['createDisposition'] },
    signal?: AbortSignal,
  ): Promise<{ copiedRows: number }>;
  /** routines.get / routines.list (insert, update and delete run CREATE/DROP statements). */
  getRoutine(ref: RoutineReference): Promise<RoutineResource>;
  listRoutines(ref: DatasetReference): Promise<RoutineResource[]>;
  /** Extract job: the table's rows (or one partition's) written to files the caller must release. */
  exportTable(ref: TableReference, request: ExportRequest, signal?: AbortSignal): Promise<ExportedFiles>;

  close(): Promise<void>;
}
