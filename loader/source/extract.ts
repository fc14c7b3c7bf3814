/**
 * Reads one table's window from Postgres in one consistent snapshot (REPEATABLE READ, READ ONLY)
 * and streams it out: valid rows as NDJSON into `rows`, broken rows to `onReject`. Postgres builds
 * each row's JSON (privacy applied) and its quarantine reasons; memory stays flat because COPY is
 * consumed with backpressure. The last row's (cursor, key) is read afterwards in the same snapshot,
 * so the COPY needs no ORDER BY (no sort of the whole window).
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { quotePg } from '../../common/identifiers.js';
import type { TableContract, TelemetryContract } from '../../contracts/schema/index.js';
import { inTimestampRange, MAX_ROW_BYTES } from './bigquery-limits.js';
import { REJECT_COLUMN, keyTextSql, planColumns, rowSelectList, rowSizeCheck, sqlLiteral, type ColumnPlan, type RowFrame, type SourceTraits } from './column-sql.js';
import { CopyRowSplitter, type SplitterCounts } from './copy-row-splitter.js';
import { BinaryCopyDecoder, type DecoderLimits } from './binary-copy-decoder.js';
import { CSV_DIALECT, columnarPlan, type StageFormat, type StagePlan } from './stage-format.js';
import { CsvRowFramer, type FramedMetricsCheck } from './csv-row-framer.js';
import { heldRowsLookup, quarantineHeldRows, type HeldRowsLookup } from './held-rows.js';
import { copyOut } from './copy-out.js';
import type { BatchColumn, ColumnBatch } from '../stage/column-batch.js';
import { SALT_SETTING } from './privacy-sql.js';
import { readSourceColumns } from './source-columns.js';
import { windowFilter, type ExtractionWindow, type KeyColumn, type Watermark } from './window.js';

export interface ExtractionPlan {
  /** parquet: typed columns then the reject field; jsonl: one field of row JSON. */
  format: StageFormat;
  /** The Parquet columns, in the COPY's field order (parquet only). */
  columns: BatchColumn[];
  copySql: string;
  /** The same COPY over heap blocks [lo, hi) only (hi null: to the end), for parallel workers. */
  rangeCopySql(lo: number, hi: number | null): string;
  /** Session settings a worker connection needs before its snapshot (SQL_ASCII sources). */
  sessionSql: string[];
  /** The source table, quoted. */
  relation: string;
  lastRowSql: string;
  estimateSql: string;
  settings: Record<string, string>;
  /** Planner settings for the COPY alone (the first load reads the heap in order). */
  scanSettings: Record<string, string>;
  /** CSV: the metrics check the framer makes instead of Postgres, and the read-back of the rows it holds. */
  metricsCheck?: { framed: FramedMetricsCheck; lookup: HeldRowsLookup };
}

export interface ExtractResult {
  rows: number;
  rejected: number;
  /** (cursor, key) of the last row in the window; null when empty or without a cursor. */
  last: Watermark | null;
  /** Transaction start of the snapshot, ISO UTC: the rows' `_extracted_at`. */
  snapshotAt: string;
  /** The source database's name, for the manifest. */
  database: string;
}

/**
 * The one rendering of a Postgres timestamptz as text for BigQuery (watermark cursor, snapshot
 * time): ISO 8601 UTC with microseconds, the same text microsToIso (common/timestamps.ts) gives.
 * Only for values in BigQuery's range: to_char writes no sign or era, so a BC year would read as AD.
 * Row values use Postgres's own JSON rendering instead (twice as fast as to_char, measured), which
 * for in-range values is ISO 8601 with an offset; out-of-range values never reach it (quarantine).
 */
export function isoTimestampSql(ref: string): string {
  return `to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

export interface ExtractionOptions {
  /** Largest staged row (default BigQuery's MAX_ROW_BYTES); larger rows are quarantined. */
  maxRowBytes?: number;
  /** Stage as NDJSON even when Parquet could carry every column. */
  jsonlOnly?: boolean;
}

async function sourceTraits(client: pg.Client, options: ExtractionOptions): Promise<SourceTraits> {
  const result = await client.query<{ server_encoding: string }>('show server_encoding');
  const sqlAscii = result.rows[0]?.server_encoding === 'SQL_ASCII';
  // Postgres validates SQL_ASCII text against the client encoding on the way out, so one bad byte
  // would fail the whole COPY: take the bytes as they are; the checks route bad rows to quarantine.
  if (sqlAscii) await client.query(`set client_encoding to 'SQL_ASCII'`);
  return { sqlAscii, maxRowBytes: options.maxRowBytes ?? MAX_ROW_BYTES };
}

/** SQL of the extraction, from the contract, the source's column types and the window. */
export async function planExtraction(
  client: pg.Client,
  contract: TableContract,
  metrics: TelemetryContract | undefined,
  window: ExtractionWindow,
  hashSalt: string,
  options: ExtractionOptions = {},
): Promise<ExtractionPlan> {
  const sourceColumns = await readSourceColumns(client, contract);
  const traits = await sourceTraits(client, options);
  const plans = planColumns(contract, sourceColumns, metrics, traits);
  const rowCheck = rowSizeCheck(contract, sourceColumns, traits);
  const keys: KeyColumn[] = contract.primary_key.map((name) => ({ name, udt: sourceColumns.get(name)?.udt ?? 'text' }));
  const cursor = contract.load.cursor;
  const filter = windowFilter(window, cursor, keys);
  const from = `${quotePg(contract.source.schema)}.${quotePg(contract.source.table)} as t`;
  const frame: RowFrame = { keyText: keyTextSql(contract.primary_key), rowChecks: rowCheck ? [rowCheck.check] : [], ...(rowCheck ? { sizeGuard: rowCheck.guard } : {}) };
  const columnar = options.jsonlOnly ? undefined : columnarPlan(contract, plans);
  const framed = columnar?.format === 'csv' ? framedMetricsCheck(contract, plans, sourceColumns) : undefined;
  const fullSelectList = rowSelectList(plans, frame);
  const selectList = framed ? rowSelectList(plans, { ...frame, loaderChecked: true }) : fullSelectList;
  const copyFor = (extra: string) => copyStatement(columnar, `(select ${selectList} from ${from} where ${filter.where}${extra}) as r`);
  const copySql = copyFor('');
  const blockRange = (lo: number, hi: number | null) => {
    if (!Number.isSafeInteger(lo) || (hi !== null && !Number.isSafeInteger(hi))) throw new Error('CTID range bounds must be integers');
    return ` and t.ctid >= '(${lo},0)'::tid${hi === null ? '' : ` and t.ctid < '(${hi},0)'::tid`}`;
  };
  const keyJson = `json_build_object(${contract.primary_key.map((k) => `'${k}', t.${quotePg(k)}::text`).join(', ')})::text`;
  const lastRowSql = cursor
    ? // A row whose cursor BigQuery cannot hold is quarantined; it must not become the watermark.
      `select ${isoTimestampSql(`t.${quotePg(cursor)}`)} as cursor, ${keyJson} as key from ${from} where ${filter.where} and ${inTimestampRange(`t.${quotePg(cursor)}`)} order by t.${quotePg(cursor)} desc, ${contract.primary_key.map((k) => `t.${quotePg(k)} desc`).join(', ')} limit 1`
    : '';
  const estimateSql = `explain (format json) select 1 from ${from} where ${filter.where}`;
  return {
    format: columnar?.format ?? 'jsonl',
    columns: columnar?.columns ?? [],
    copySql,
    rangeCopySql: (lo, hi) => copyFor(blockRange(lo, hi)),
    sessionSql: traits.sqlAscii ? [`set client_encoding to 'SQL_ASCII'`] : [],
    relation: `${quotePg(contract.source.schema)}.${quotePg(contract.source.table)}`,
    lastRowSql,
    estimateSql,
    settings: { ...filter.settings, [SALT_SETTING]: hashSalt },
    scanSettings: filter.scanSettings ?? {},
    ...(framed ? { metricsCheck: { framed, lookup: heldRowsLookup(fullSelectList, from, filter.where, keys) } } : {}),
  };
}

/**
 * Key columns whose staged CSV text is their Postgres value's own text, so a held row is found
 * again by it (`$1::udt[]`): integers as INT64, text, varchar and uuid as STRING, timestamptz,
 * date and timestamp as TIMESTAMP, DATE and DATETIME, none with a privacy policy.
 */
const KEY_TYPES: Record<string, Set<string>> = {
  INT64: new Set(['int2', 'int4', 'int8']),
  STRING: new Set(['text', 'varchar', 'uuid']),
  TIMESTAMP: new Set(['timestamptz']),
  DATE: new Set(['date']),
  DATETIME: new Set(['timestamp']),
};

/**
 * The framer's metrics check of a CSV plan, when the table has a jsonb metrics column and a key the
 * held rows can be found by; otherwise Postgres keeps the metric checks in its per-row test.
 */
function framedMetricsCheck(contract: TableContract, plans: ColumnPlan[], sourceColumns: Map<string, { udt: string }>): FramedMetricsCheck | undefined {
  const metrics = plans.findIndex((p) => p.metricShape);
  const shape = plans[metrics]?.metricShape;
  if (!shape) return undefined;
  const keyFields: number[] = [];
  for (const name of contract.primary_key) {
    const column = contract.columns.find((c) => c.name === name);
    const index = plans.findIndex((p) => p.name === name);
    const udt = sourceColumns.get(name)?.udt;
    if (!column || column.privacy || column.mode === 'REPEATED' || index < 0 || !udt || !KEY_TYPES[column.type]?.has(udt)) return undefined;
    keyFields.push(index + 1);
  }
  // Field 0 is the reject field; the columns follow in plan order.
  return { field: metrics + 1, keyFields, shape };
}

/** A one-byte COPY option as an escaped string literal (E'\\x09'). */
const byteLiteral = (char: string): string => `E'\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}'`;

/**
 * The COPY of the row subquery `rows` in the plan's format. Columnar formats: the typed values and
 * the row's JSON only when it is to be quarantined (the CASE keeps Postgres from building JSON for
 * valid rows); last in binary, first in CSV (whose rows copy-out.ts frames by protocol message, so
 * a line break inside a field needs no marking).
 */
function copyStatement(columnar: StagePlan | undefined, rows: string): string {
  const rejectJson = `case when r."${REJECT_COLUMN}" is not null then row_to_json(r)::text end`;
  if (columnar?.format === 'parquet') return `copy (select ${columnar.selectList}, ${rejectJson} from ${rows}) to stdout (format binary)`;
  if (columnar?.format === 'csv') {
    const { delimiter, quote, nullMarker } = CSV_DIALECT;
    return `copy (select ${rejectJson}, ${columnar.selectList} from ${rows}) to stdout (format csv, null ${sqlLiteral(nullMarker)}, delimiter ${byteLiteral(delimiter)}, quote ${byteLiteral(quote)})`;
  }
  return `copy (select row_to_json(r)::text from ${rows}) to stdout (format binary)`;
}

/** Opens the read-only snapshot and applies the plan's settings (values as bind parameters). */
export async function beginSnapshot(client: pg.Client, settings: Record<string, string>, importSnapshot?: string): Promise<{ snapshotAt: string; database: string }> {
  await client.query('begin isolation level repeatable read read only');
  if (importSnapshot !== undefined) {
    // SET TRANSACTION SNAPSHOT takes no parameters: the id (as pg_export_snapshot returns it) is checked instead.
    if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(importSnapshot)) throw new Error(`not a Postgres snapshot id: ${importSnapshot}`);
    await client.query(`set transaction snapshot '${importSnapshot}'`);
  }
  // No parallel plan: a Gather of the extraction's rows costs more CPU in all than one backend
  // streaming them, CPU the loader and BigQuery share; snapshot workers (parallel-extract.ts) are
  // the way to read one table with several backends.
  const set = setConfigCalls({ ...SESSION_SETTINGS, ...settings });
  // The first statement takes the snapshot; now() is the transaction start.
  const result = await client.query<{ snapshot_at: string; database: string }>(`select ${set.sql}, ${isoTimestampSql('now()')} as snapshot_at, current_database() as database`, set.params);
  const row = result.rows[0];
  return { snapshotAt: row?.snapshot_at ?? new Date().toISOString(), database: row?.database ?? '' };
}

export interface RowSinks {
  /** NDJSON bytes (jsonl plans) or RowChunk objects of CSV rows (csv plans) of the valid rows. */
  rows?: Writable;
  /** CSV: bytes after which a chunk of whole rows goes out to `rows` (default 256 KiB; parts close between chunks). */
  chunkBytes?: number;
  /** Column batches of the valid rows (parquet plans); the next batch waits for `onBatch`. */
  batches?: { limits: DecoderLimits; onBatch(batch: ColumnBatch): Promise<void> };
  onReject(reason: string, rowJson: string): void;
  onProgress?(counts: SplitterCounts): void;
}

/** Streams the window out of one snapshot. After a failed COPY the connection is unusable: end the client. */
export async function extractTable(
  client: pg.Client,
  plan: ExtractionPlan,
  sinks: RowSinks,
): Promise<ExtractResult> {
  const { snapshotAt, database } = await beginSnapshot(client, plan.settings);
  let copying = false;
  try {
    const restore = await setForCopy(client, plan.scanSettings);
    copying = true;
    let splitter: { counts: SplitterCounts };
    let held: string[][] = [];
    if (plan.format === 'parquet') {
      if (!sinks.batches) throw new Error('a Parquet extraction needs a batch sink');
      const decoder = new BinaryCopyDecoder(plan.columns, sinks.batches.limits, sinks.batches.onBatch, sinks.onReject, sinks.onProgress);
      splitter = decoder;
      await pipeline(client.query(copyTo(plan.copySql)), decoder);
    } else if (plan.format === 'csv') {
      if (!sinks.rows) throw new Error('a CSV extraction needs a row sink');
      const framer = new CsvRowFramer(sinks.onReject, sinks.onProgress, plan.metricsCheck?.framed);
      splitter = framer;
      await pipeline(client.query(copyOut(plan.copySql, framer, sinks.chunkBytes)), sinks.rows);
      held = framer.held;
    } else {
      if (!sinks.rows) throw new Error('an NDJSON extraction needs a row sink');
      const rows = new CopyRowSplitter(sinks.onReject, sinks.onProgress);
      splitter = rows;
      await pipeline(client.query(copyTo(plan.copySql)), rows, sinks.rows);
    }
    copying = false;
    await restore();
    // After the COPY's planner settings are put back: the read-back wants the key's index.
    if (plan.metricsCheck && held.length > 0) splitter.counts.rejected += await quarantineHeldRows(client, plan.metricsCheck.lookup, held, sinks.onReject);
    let last: Watermark | null = null;
    if (plan.lastRowSql && splitter.counts.rows + splitter.counts.rejected > 0) {
      const result = await client.query<{ cursor: string; key: string }>(plan.lastRowSql);
      const row = result.rows[0];
      if (row) last = { cursor: row.cursor, key: JSON.parse(row.key) as Record<string, string> };
    }
    await client.query('commit');
    return { rows: splitter.counts.rows, rejected: splitter.counts.rejected, last, snapshotAt, database };
  } catch (error) {
    // A COPY cut short by its consumer (a stage write error) is still running on the connection: a
    // rollback would queue behind it forever. The caller ends the client instead, which drops the
    // socket, and Postgres aborts the transaction (snapshot released) with it.
    if (copying) throw Object.assign(error as Error, { connectionUnusable: true });
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Sets `settings` for the rest of the transaction (values as parameters); the function returned puts
 * back what they were, so the queries after the COPY are planned as before.
 */
async function setForCopy(client: pg.Client, settings: Record<string, string>): Promise<() => Promise<void>> {
  const names = Object.keys(settings);
  if (names.length === 0) return async () => undefined;
  const before = await client.query<Record<string, string>>(`select ${names.map((_, i) => `current_setting($${i + 1}) as s${i}`).join(', ')}`, names);
  const previous = Object.fromEntries(names.map((name, i) => [name, before.rows[0]?.[`s${i}`] ?? '']));
  const apply = async (values: Record<string, string>) => {
    const set = setConfigCalls(values);
    await client.query(`select ${set.sql}`, set.params);
  };
  await apply(settings);
  return () => apply(previous);
}

/** What every extraction transaction runs with (see beginSnapshot). */
const SESSION_SETTINGS: Readonly<Record<string, string>> = { max_parallel_workers_per_gather: '0', TimeZone: 'UTC', DateStyle: 'ISO, YMD', IntervalStyle: 'iso_8601' };

/**
 * The one way settings are applied: `set_config(name, value, true)` for each (local to the
 * transaction), names and values both as bind parameters, so neither is ever spliced into SQL.
 */
function setConfigCalls(settings: Record<string, string>): { sql: string; params: string[] } {
  const entries = Object.entries(settings);
  return { sql: entries.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', '), params: entries.flat() };
}

/** The planner's row estimate for the window (dry runs): cheap and read-only, approximate by nature. */
export async function estimateRows(client: pg.Client, plan: ExtractionPlan): Promise<number> {
  await beginSnapshot(client, plan.settings);
  try {
    const result = await client.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(plan.estimateSql);
    return result.rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0;
  } finally {
    await client.query('rollback').catch(() => undefined);
  }
}
