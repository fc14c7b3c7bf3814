import { stat } from 'node:fs/promises';
import type { Engine, LoadOptions, QueryOptions, QueryResult, TableReference } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import { plainUpload } from './gzip-upload.js';
import type { CopyJobConfig, JobConfiguration, JobResource, LoadJobConfig, QueryJobConfig, QueryOutput } from './job-types.js';

const MB = 1024 * 1024;
const LOAD_FORMATS = ['NEWLINE_DELIMITED_JSON', 'CSV', 'PARQUET'] as const;
const DISPOSITIONS = ['WRITE_APPEND', 'WRITE_TRUNCATE', 'WRITE_EMPTY'] as const;
/** BigQuery's ids: project ids may carry a domain prefix (`example.com:p`); table ids are broad but never hold a backtick. */
const PROJECT_ID = /^[a-z0-9.:-]{1,128}$/i;
const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
// a partition decorator (table$20240105) is for load jobs into ingestion-time partitioned tables (engine/ingestion-time.ts)
const TABLE_ID = /^[\p{L}\p{M}\p{N}\p{Pc}\p{Pd} _-]{1,1024}(\$\d{4,10})?$/u;

export interface JobOutcome {
  statistics: Partial<JobResource['statistics']>;
  output?: QueryOutput;
}

/** On-demand billing as BigQuery computes it: whole MB per query, at least 10 MB once anything was read. */
export function bytesBilled(processed: number): number {
  if (processed <= 0) return 0;
  return Math.max(10 * MB, Math.ceil(processed / MB) * MB);
}

/** Which kind of job a configuration describes, or an `invalid` error naming what is wrong with it. */
export function jobTypeOf(configuration: JobConfiguration): 'QUERY' | 'LOAD' | 'COPY' | 'EXTRACT' {
  if (configuration.query) {
    if (typeof configuration.query.query !== 'string' || configuration.query.query.trim() === '') {
      throw new BigQueryApiError('invalid', 'configuration.query.query is required');
    }
    return 'QUERY';
  }
  if (configuration.load) {
    if (!configuration.load.destinationTable?.tableId) throw new BigQueryApiError('invalid', 'configuration.load.destinationTable is required');
    return 'LOAD';
  }
  if (configuration.copy) {
    if (!configuration.copy.destinationTable?.tableId) throw new BigQueryApiError('invalid', 'configuration.copy.destinationTable is required');
    return 'COPY';
  }
  if (configuration.extract) {
    if (!configuration.extract.sourceTable?.tableId) throw new BigQueryApiError('invalid', 'configuration.extract.sourceTable is required');
    return 'EXTRACT';
  }
  throw new BigQueryApiError('invalid', 'configuration must hold one of query, load, copy or extract');
}

export function queryOptions(projectId: string, config: QueryJobConfig, dryRun: boolean): QueryOptions {
  if (config.useLegacySql === true) {
    throw new BigQueryApiError('invalidQuery', 'legacy SQL is not supported by the embedded BigQuery: set useLegacySql to false (GoogleSQL)');
  }
  const options: QueryOptions = { projectId, dryRun, useInt64Timestamp: true };
  if (config.defaultDataset) options.defaultDataset = { projectId: config.defaultDataset.projectId ?? projectId, datasetId: config.defaultDataset.datasetId };
  if (config.parameterMode) options.parameterMode = config.parameterMode;
  if (config.queryParameters?.length) options.queryParameters = config.queryParameters;
  // sessions: createSession starts one, the session_id connection property runs in one
  if (config.createSession === true) options.createSession = true;
  const sessionId = Array.isArray(config.connectionProperties)
    ? (config.connectionProperties as { key?: unknown; value?: unknown }[]).find((p) => p.key === 'session_id')?.value
    : undefined;
  if (typeof sessionId === 'string') options.sessionId = sessionId;
  return options;
}

export function queryStatistics(result: QueryResult, statementTypeOverride?: string): Partial<JobResource['statistics']> {
  const processed = result.totalBytesProcessed;
  const query: Record<string, unknown> = {
    totalBytesProcessed: String(processed),
    totalBytesBilled: String(result.totalBytesBilled ?? bytesBilled(processed)),
    billingTier: 1,
    cacheHit: false,
    totalSlotMs: '0',
    statementType: statementTypeOverride ?? result.statementType,
    schema: result.schema,
  };
  if (result.numDmlAffectedRows !== undefined) query.numDmlAffectedRows = String(result.numDmlAffectedRows);
  if (result.ddlTargetTable) query.ddlTargetTable = result.ddlTargetTable;
  return {
    totalBytesProcessed: String(processed),
    ...(result.sessionId ? { sessionInfo: { sessionId: result.sessionId } } : {}),
    query,
    ...(result.statementType === 'SCRIPT' ? { numChildJobs: String(result.statementCount) } : {}),
  };
}

function checkRef(ref: TableReference, what: string): TableReference {
  if (!PROJECT_ID.test(ref.projectId) || !DATASET_ID.test(ref.datasetId) || !TABLE_ID.test(ref.tableId)) {
    throw new BigQueryApiError('invalid', `${what} ${ref.projectId}.${ref.datasetId}.${ref.tableId} is not a valid table reference`);
  }
  return ref;
}

async function tableExists(engine: Engine, ref: TableReference): Promise<{ exists: boolean; rows: number }> {
  try {
    const table = await engine.getTable(ref);
    return { exists: true, rows: Number(table.numRows ?? '0') };
  } catch (error) {
    if (error instanceof BigQueryApiError && error.reason === 'notFound') return { exists: false, rows: 0 };
    throw error;
  }
}

/**
 * A query job. With a destinationTable the engine has no "write results to" call, so the
 * GoogleSQL is wrapped here in CREATE OR REPLACE TABLE ... AS / INSERT INTO ..., applying the
 * write and create dispositions first; the references are validated before they reach SQL.
 */
export async function runQueryJob(engine: Engine, projectId: string, config: QueryJobConfig, signal?: AbortSignal, jsLibrary?: QueryOptions['jsLibrary']): Promise<JobOutcome> {
  const options: QueryOptions = { ...queryOptions(projectId, config, false), ...(signal ? { signal } : {}), ...(jsLibrary ? { jsLibrary } : {}) };
  const destination = config.destinationTable;
  if (!destination) {
    const result = await engine.query(config.query, options);
    return { statistics: queryStatistics(result), output: { kind: 'memory', result } };
  }

  const ref = checkRef({ ...destination, projectId: destination.projectId ?? projectId }, 'configuration.query.destinationTable');
  const path = `\`${ref.projectId}.${ref.datasetId}.${ref.tableId}\``;
  const disposition = config.writeDisposition ?? 'WRITE_EMPTY';
  const { exists, rows } = await tableExists(engine, ref);
  if (!exists && config.createDisposition === 'CREATE_NEVER') {
    throw new BigQueryApiError('notFound', `Not found: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  }
  if (exists && disposition === 'WRITE_EMPTY' && rows > 0) {
    throw new BigQueryApiError('duplicate', `Already Exists: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId} (writeDisposition WRITE_EMPTY and the table has rows)`);
  }
  const body = config.query.trim().replace(/;\s*$/, '');
  const sql = exists && disposition !== 'WRITE_TRUNCATE' ? `insert into ${path} select * from (\n${body}\n)` : `create or replace table ${path} as\nselect * from (\n${body}\n)`;
  const result = await engine.query(sql, options);
  const table = await engine.getTable(ref);
  const statistics = queryStatistics(result, 'SELECT');
  return {
    statistics,
    output: { kind: 'table', table: ref, schema: table.schema ?? { fields: [] }, totalRows: Number(table.numRows ?? '0'), statementType: 'SELECT' },
  };
}

/** Load options that change how values are read and that the engine does not read: refused, never ignored. */
const UNREAD_LOAD_OPTIONS = ['encoding', 'allowJaggedRows', 'nullMarkers', 'timeZone', 'dateFormat', 'datetimeFormat', 'timeFormat', 'timestampFormat', 'sourceColumnMatch', 'columnNameCharacterMap', 'decimalTargetTypes', 'projectionFields', 'hivePartitioningOptions', 'jsonExtension'] as const;

/**
 * BigQuery's `quote`: the first byte of its ISO-8859-1 encoding splits the data; '' means the data has
 * no quoted sections. A character outside ISO-8859-1 has no such byte.
 */
function csvQuote(value: unknown): string {
  const text = String(value);
  if (text === '') return '';
  const first = text.codePointAt(0)!;
  if (first > 0xff) throw new BigQueryApiError('invalid', `configuration.load.quote ${JSON.stringify(text)} has no ISO-8859-1 encoding`);
  return String.fromCodePoint(first);
}

export function loadOptions(config: LoadJobConfig): LoadOptions {
  const format = (config.sourceFormat ?? 'CSV').toUpperCase();
  if (!(LOAD_FORMATS as readonly string[]).includes(format)) {
    throw new BigQueryApiError('invalid', `configuration.load.sourceFormat ${format} is not supported by the embedded BigQuery (supported: ${LOAD_FORMATS.join(', ')})`);
  }
  if (config.writeDisposition && !(DISPOSITIONS as readonly string[]).includes(config.writeDisposition)) {
    throw new BigQueryApiError('invalid', `configuration.load.writeDisposition ${String(config.writeDisposition)} is not one of ${DISPOSITIONS.join(', ')}`);
  }
  const options: LoadOptions = { sourceFormat: format as LoadOptions['sourceFormat'] };
  const copyKeys = [
    'schema',
    'autodetect',
    'writeDisposition',
    'createDisposition',
    'fieldDelimiter',
    'nullMarker',
    'ignoreUnknownValues',
    'timePartitioning',
    'clustering',
  ] as const;
  for (const key of copyKeys) {
    if (config[key] !== undefined) (options as unknown as Record<string, unknown>)[key] = config[key];
  }
  if (config.quote !== undefined) options.quote = csvQuote(config.quote);
  for (const key of UNREAD_LOAD_OPTIONS) {
    if (config[key] !== undefined && config[key] !== null && !(key === 'encoding' && String(config[key]).toUpperCase() === 'UTF-8')) {
      throw new BigQueryApiError('invalid', `configuration.load.${key} is not supported by the embedded BigQuery`);
    }
  }
  // Clients send int32 fields as numbers or strings; the engine wants numbers.
  if (config.skipLeadingRows !== undefined) options.skipLeadingRows = Number(config.skipLeadingRows);
  if (config.maxBadRecords !== undefined) options.maxBadRecords = Number(config.maxBadRecords);
  return options;
}

export interface LoadJobControl {
  signal?: AbortSignal;
  /** Largest data a load may hand the engine, after gunzip. */
  maxBytes: number;
}

export async function runLoadJob(engine: Engine, projectId: string, config: LoadJobConfig, filePath: string | undefined, control: LoadJobControl): Promise<JobOutcome> {
  if (!filePath) {
    const uris = config.sourceUris?.join(', ') ?? 'none';
    throw new BigQueryApiError('invalid', `load jobs from sourceUris (${uris}) are not supported by the embedded BigQuery: upload the data (table.load(localFile) or table.createWriteStream())`);
  }
  const ref = checkRef({ ...config.destinationTable, projectId: config.destinationTable.projectId ?? projectId }, 'configuration.load.destinationTable');
  const options = loadOptions(config);
  const inputBytes = (await stat(filePath)).size;
  const upload = await plainUpload(filePath, options.sourceFormat, control.maxBytes, control.signal);
  const loaded = await engine
    .loadFile(ref, upload.path, options, control.signal)
    .catch((error: unknown) => {
      // A load has no query: BigQuery reports bad data as `invalid`, whatever the engine's SQL said.
      if (error instanceof BigQueryApiError && error.reason === 'invalidQuery') throw new BigQueryApiError('invalid', error.message, error.location);
      throw error;
    })
    .finally(() => upload.cleanup());
  return {
    statistics: {
      load: {
        inputFiles: '1',
        inputFileBytes: String(inputBytes),
        outputRows: String(loaded.outputRows),
        outputBytes: String(loaded.outputBytes),
        badRecords: String(loaded.badRecords),
      },
    },
  };
}

export async function runCopyJob(engine: Engine, projectId: string, config: CopyJobConfig, signal?: AbortSignal): Promise<JobOutcome> {
  const sources = config.sourceTables ?? (config.sourceTable ? [config.sourceTable] : []);
  if (sources.length === 0) throw new BigQueryApiError('invalid', 'configuration.copy needs sourceTable or sourceTables');
  const refs = sources.map((s, i) => checkRef({ ...s, projectId: s.projectId ?? projectId }, `configuration.copy.sourceTables[${i}]`));
  const destination = checkRef({ ...config.destinationTable, projectId: config.destinationTable.projectId ?? projectId }, 'configuration.copy.destinationTable');
  const options: Parameters<Engine['copyTable']>[2] = {};
  if (config.writeDisposition) options.writeDisposition = config.writeDisposition;
  if (config.createDisposition) options.createDisposition = config.createDisposition;
  const { copiedRows } = await engine.copyTable(refs, destination, options, signal);
  return { statistics: { copy: { copiedRows: String(copiedRows) } } };
}
