/**
 * landform_raw.export_batches: one row per batch attempt. The incremental watermark of a table is
 * read back from here (its last succeeded batch that moved it), so the watermark moves exactly
 * when a publish transaction commits, and never otherwise.
 */
import { microsToIso } from '../../common/timestamps.js';
import type { Watermark } from '../source/window.js';
import { runQuery, tablePath, type BigQueryTarget, type Param } from '../publish/bigquery-target.js';
import { EXPORT_BATCHES_TABLE, exportBatchesOptions } from '../publish/raw-schema.js';

export interface BatchRecord {
  batchId: string;
  table: string;
  contractVersion: string;
  contractHash: string;
  status: 'succeeded' | 'failed';
  startedAt: string;
  watermarkFrom: string | null;
  watermarkTo: string | null;
  /** JSON of the last row's primary key; null when the batch must not move the watermark (backfill, full refresh, failure). */
  watermarkToKey: string | null;
  stageUri: string | null;
  rowsExtracted: number;
  rowsQuarantined: number;
  loadJobId: string | null;
  error: string | null;
  /** The source snapshot record of an incremental batch (source/snapshot-record.ts), JSON; written by the publish only. */
  sourceSnapshot?: string | null;
}

/** A batch's lineage row as it starts: succeeded until something fails, no rows, no watermark yet. */
export function startBatchRecord(start: { batchId: string; table: string; contractVersion: number | string; contractHash: string; startedAt: Date; stageUri: string }): BatchRecord {
  return {
    batchId: start.batchId,
    table: start.table,
    contractVersion: String(start.contractVersion),
    contractHash: start.contractHash,
    status: 'succeeded',
    startedAt: start.startedAt.toISOString(),
    watermarkFrom: null,
    watermarkTo: null,
    watermarkToKey: null,
    stageUri: start.stageUri,
    rowsExtracted: 0,
    rowsQuarantined: 0,
    loadJobId: null,
    error: null,
  };
}

/** Parameters shared by the failed-batch insert and the publish script. */
export function batchParams(record: BatchRecord): Record<string, Param> {
  return {
    batch_id: { type: 'STRING', value: record.batchId },
    table_name: { type: 'STRING', value: record.table },
    contract_version: { type: 'STRING', value: record.contractVersion },
    contract_hash: { type: 'STRING', value: record.contractHash },
    started_at: { type: 'TIMESTAMP', value: record.startedAt },
    watermark_from: { type: 'TIMESTAMP', value: record.watermarkFrom },
    watermark_to: { type: 'TIMESTAMP', value: record.watermarkTo },
    watermark_to_key: { type: 'STRING', value: record.watermarkToKey },
    stage_uri: { type: 'STRING', value: record.stageUri },
    rows_extracted: { type: 'INT64', value: record.rowsExtracted },
    rows_quarantined: { type: 'INT64', value: record.rowsQuarantined },
    load_job_id: { type: 'STRING', value: record.loadJobId },
    error: { type: 'STRING', value: record.error },
  };
}

export { microsToIso };

/** Columns only the incremental publish writes (the other inserts leave them NULL). */
export const SNAPSHOT_COLUMN = 'source_snapshot';

/** Column list of export_batches in schema order, derived from the schema the raw layer creates (without SNAPSHOT_COLUMN). */
export const BATCH_COLUMNS = exportBatchesOptions.schema.fields
  .map((field) => field.name)
  .filter((name) => name !== SNAPSHOT_COLUMN)
  .join(', ');

/** The watermark and what the batch that set it recorded with it. */
export interface WatermarkBatch {
  watermark: Watermark;
  contractHash: string | null;
  sourceSnapshot: string | null;
}

export async function readWatermark(target: BigQueryTarget, table: string): Promise<Watermark | null> {
  return (await readWatermarkBatch(target, table))?.watermark ?? null;
}

/** A watermark row as the queries below return it. */
export interface WatermarkRow {
  watermark_micros: number | string | null;
  watermark_to_key: string | null;
  contract_hash: string | null;
  source_snapshot: string | null;
}

/**
 * The query that reads a table's watermark batch (parameter @table_name): its last succeeded batch
 * that moved the watermark. Also run inside the lease script (leases.ts), right after the lease is taken.
 */
export function watermarkSql(target: BigQueryTarget): string {
  return `select cast(unix_micros(watermark_to) as string) as watermark_micros, watermark_to_key, contract_hash, ${SNAPSHOT_COLUMN} as source_snapshot
from ${tablePath(target, EXPORT_BATCHES_TABLE)}
where table_name = @table_name and status = 'succeeded' and watermark_to is not null and watermark_to_key is not null
order by watermark_to desc, finished_at desc
limit 1`;
}

/** The watermark batch of a row of watermarkSql; null when there is none (no row, or its columns null). */
export function watermarkOfRow(row: WatermarkRow | undefined): WatermarkBatch | null {
  if (!row || row.watermark_micros === null || row.watermark_micros === undefined || row.watermark_to_key === null || row.watermark_to_key === undefined) return null;
  return {
    watermark: { cursor: microsToIso(row.watermark_micros), key: JSON.parse(row.watermark_to_key) as Record<string, string> },
    contractHash: row.contract_hash ?? null,
    sourceSnapshot: row.source_snapshot ?? null,
  };
}

export async function readWatermarkBatch(target: BigQueryTarget, table: string): Promise<WatermarkBatch | null> {
  const { rows } = await runQuery<WatermarkRow>(target, 'read watermark', watermarkSql(target), { table_name: { type: 'STRING', value: table } });
  return watermarkOfRow(rows[0]);
}

/** Records a failed attempt (the watermark does not move). */
export async function recordFailedBatch(target: BigQueryTarget, record: BatchRecord): Promise<void> {
  await runQuery(
    target,
    'record failed batch',
    `insert into ${tablePath(target, EXPORT_BATCHES_TABLE)} (${BATCH_COLUMNS})
values (@batch_id, @table_name, @contract_version, @contract_hash, 'failed', @started_at, current_timestamp(), @watermark_from, @watermark_to, cast(null as string), @stage_uri, @rows_extracted, 0, 0, @rows_quarantined, @load_job_id, @error)`,
    batchParams({ ...record, watermarkToKey: null }),
  );
}

export interface BatchStatusRow {
  batch_id: string;
  table_name: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  watermark_to: string | null;
  rows_extracted: number | null;
  rows_loaded: number | null;
  rows_skipped_duplicate: number | null;
  rows_quarantined: number | null;
  contract_hash: string | null;
  error: string | null;
}

/** The newest batches, at most `perTable` per table (for `landform load status`). */
export async function listRecentBatches(target: BigQueryTarget, perTable = 3): Promise<BatchStatusRow[]> {
  const { rows } = await runQuery<Record<string, unknown>>(
    target,
    'list batches',
    `select batch_id, table_name, status, cast(unix_micros(started_at) as string) as started_micros, cast(unix_micros(finished_at) as string) as finished_micros,
  cast(unix_micros(watermark_to) as string) as watermark_micros, rows_extracted, rows_loaded, rows_skipped_duplicate, rows_quarantined, contract_hash, error
from ${tablePath(target, EXPORT_BATCHES_TABLE)}
order by started_at desc
limit 1000`,
  );
  const seen = new Map<string, number>();
  const out: BatchStatusRow[] = [];
  const iso = (v: unknown) => (v === null || v === undefined ? null : microsToIso(v as number));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  for (const row of rows) {
    const table = String(row.table_name);
    const count = seen.get(table) ?? 0;
    if (count >= perTable) continue;
    seen.set(table, count + 1);
    out.push({
      batch_id: String(row.batch_id),
      table_name: table,
      status: String(row.status),
      started_at: iso(row.started_micros),
      finished_at: iso(row.finished_micros),
      watermark_to: iso(row.watermark_micros),
      rows_extracted: num(row.rows_extracted),
      rows_loaded: num(row.rows_loaded),
      rows_skipped_duplicate: num(row.rows_skipped_duplicate),
      rows_quarantined: num(row.rows_quarantined),
      contract_hash: (row.contract_hash as string | null) ?? null,
      error: (row.error as string | null) ?? null,
    });
  }
  return out.sort((a, b) => a.table_name.localeCompare(b.table_name) || (b.started_at ?? '').localeCompare(a.started_at ?? ''));
}
