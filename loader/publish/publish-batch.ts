/**
 * Publishes a loaded staging table in ONE multi-statement transaction: the quarantined rows, the
 * export_batches row (which is what moves the watermark), and the raw rows not already present,
 * matched on (primary key, cursor). A crash before COMMIT leaves nothing; a re-run re-extracts the
 * same window and inserts only what is missing. Re-running the same script after a lost response
 * is harmless too: every insert is guarded by the batch's own succeeded row.
 */
import { quoteBigQuery } from './sql.js';
import type { ColumnContract, TableContract } from '../../contracts/schema/index.js';
import { stagedType, type StageFormat } from '../source/stage-format.js';
import { BATCH_COLUMNS, SNAPSHOT_COLUMN, batchParams, microsToIso, type BatchRecord } from '../lineage/export-batches.js';
import { runQuery, tablePath, type BigQueryTarget, type Param } from './bigquery-target.js';
import { EXPORT_BATCHES_TABLE, QUARANTINE_TABLE, contractFields } from './raw-schema.js';

export interface PublishInput {
  contract: TableContract;
  contractHash: string;
  record: BatchRecord;
  stagingTable: string;
  quarantineStagingTable: string | null;
  extractedAt: string;
  /** How the staging table was filled; Parquet stages JSON columns as STRING, parsed here. */
  format?: StageFormat;
}

export interface PublishOutcome {
  rowsLoaded: number;
  rowsSkippedDuplicate: number;
  jobId: string;
}

/** A column's smallest and largest staged value, as parameters (null bounds when nothing is staged). */
interface Bounds {
  lo: Param;
  hi: Param;
}

interface StagedRanges {
  partition: Bounds;
  /** Null when the cursor's type has no range parameter here (neither TIMESTAMP nor DATE). */
  cursor: Bounds | null;
  rows: number;
}

type RangeType = 'TIMESTAMP' | 'DATE';

function rangeType(contract: TableContract, column: string): RangeType | null {
  const type = contract.columns.find((c) => c.name === column)?.type;
  return type === 'DATE' ? 'DATE' : type === 'TIMESTAMP' ? 'TIMESTAMP' : null;
}

/**
 * The staged batch's range of the partitioning column and of the cursor, in one scan of the staging
 * table: the publish script's anti-join reads only those partitions of the raw table, and in them
 * only rows whose cursor falls in the batch's range (a row can match only with an equal cursor).
 */
async function stagedRanges(target: BigQueryTarget, contract: TableContract, staging: string, cursor: string): Promise<StagedRanges> {
  const partitionType = rangeType(contract, contract.partition.column) ?? 'TIMESTAMP';
  const cursorType = rangeType(contract, cursor);
  // As strings: the client turns INT64 into a JS number, which rounds micros past 2^53 (years after 2255).
  const bound = (fn: string, column: string, type: RangeType) => (type === 'DATE' ? `cast(${fn}(${quoteBigQuery(column)}) as string)` : `cast(unix_micros(${fn}(${quoteBigQuery(column)})) as string)`);
  const selects = [`${bound('min', contract.partition.column, partitionType)} as p_lo`, `${bound('max', contract.partition.column, partitionType)} as p_hi`];
  if (cursorType) selects.push(`${bound('min', cursor, cursorType)} as c_lo`, `${bound('max', cursor, cursorType)} as c_hi`);
  type Row = Record<'p_lo' | 'p_hi' | 'c_lo' | 'c_hi', string | number | null | undefined> & { n: number };
  const { rows } = await runQuery<Row>(target, 'staged partition range', `select ${selects.join(', ')}, count(*) as n from ${tablePath(target, staging)}`);
  const row = rows[0];
  const value = (v: string | number | null | undefined, type: RangeType): Param =>
    type === 'DATE' ? { type: 'DATE', value: v === null || v === undefined ? null : String(v) } : { type: 'TIMESTAMP', value: v === null || v === undefined ? null : microsToIso(v) };
  return {
    partition: { lo: value(row?.p_lo, partitionType), hi: value(row?.p_hi, partitionType) },
    cursor: cursorType ? { lo: value(row?.c_lo, cursorType), hi: value(row?.c_hi, cursorType) } : null,
    rows: Number(row?.n ?? 0),
  };
}

/** Whether the anti-join also narrows the raw rows to the batch's cursor range (TIMESTAMP and DATE cursors). */
function hasCursorRange(contract: TableContract): boolean {
  return contract.load.cursor !== undefined && rangeType(contract, contract.load.cursor) !== null;
}

export function publishScript(target: BigQueryTarget, input: PublishInput): string {
  const { contract } = input;
  const raw = tablePath(target, contract.name);
  const stage = tablePath(target, input.stagingTable);
  const batches = tablePath(target, EXPORT_BATCHES_TABLE);
  const fields = contractFields(contract);
  const columns = fields.map((f) => quoteBigQuery(f.name));
  // A staged STRING that carries a JSON column: parse_json fails the publish (never rounds) on a
  // number JSON cannot hold exactly, as BigQuery's own default wide_number_mode does.
  const staged = fields.map((f) => (stagedType(f.type as ColumnContract['type'], input.format ?? 'jsonl') !== f.type ? `parse_json(s.${quoteBigQuery(f.name)})` : `s.${quoteBigQuery(f.name)}`));
  const notPublished = `not exists (select 1 from ${batches} as b where b.batch_id = @batch_id and b.status = 'succeeded')`;
  const statements = ['begin transaction'];

  if (input.quarantineStagingTable) {
    statements.push(`insert into ${tablePath(target, QUARANTINE_TABLE)} (batch_id, table_name, reason, row_json, quarantined_at)
select q.batch_id, q.table_name, q.reason, q.row_json, q.quarantined_at
from ${tablePath(target, input.quarantineStagingTable)} as q
where ${notPublished}
  -- a bad row inside the lookback window is read again by the next batches: quarantine it once
  and not exists (select 1 from ${tablePath(target, QUARANTINE_TABLE)} as seen where seen.table_name = q.table_name and seen.row_json = q.row_json)`);
  }

  if (contract.load.mode === 'full_refresh') {
    statements.push(`insert into ${batches} (${BATCH_COLUMNS})
select @batch_id, @table_name, @contract_version, @contract_hash, 'succeeded', @started_at, current_timestamp(), @watermark_from, @watermark_to, @watermark_to_key,
  @stage_uri, @rows_extracted, staged.n, 0, @rows_quarantined, @load_job_id, cast(null as string)
from (select count(*) as n from ${stage}) as staged
where ${notPublished}`);
    statements.push(`truncate table ${raw}`);
    statements.push(`insert into ${raw} (${columns.join(', ')}, _batch_id, _extracted_at, _contract_hash)
select ${staged.join(', ')}, @batch_id, @extracted_at, @contract_hash
from ${stage} as s`);
  } else {
    const cursor = contract.load.cursor;
    if (!cursor) throw new Error(`contract ${contract.name}: ${contract.load.mode} needs a cursor`);
    const partitionColumn = contract.columns.find((c) => c.name === contract.partition.column);
    const p = `r.${quoteBigQuery(contract.partition.column)}`;
    // The partition bounds let BigQuery prune the raw table (and satisfy require_partition_filter).
    const partitionFilter = partitionColumn?.mode === 'NULLABLE' ? `(${p} between @partition_lo and @partition_hi or ${p} is null)` : `${p} between @partition_lo and @partition_hi`;
    // A raw row matches only with the cursor of a staged row, so only the batch's cursor range can
    // match: implied by the match itself, it lets the engine skip the rest of those partitions (on
    // the embedded BigQuery, DuckDB's zone maps over rows landed in cursor order; a NULL cursor
    // never matches either way).
    const cursorFilter = hasCursorRange(contract) ? ` and r.${quoteBigQuery(cursor)} between @cursor_lo and @cursor_hi` : '';
    // The anti-join as a left join on the landed (key, cursor) pairs: an uncorrelated subquery, so
    // the engine builds its hash table from those raw rows alone and streams the staged rows past
    // it (a correlated NOT EXISTS made DuckDB first group every staged key, twice the CPU).
    const keys = [...contract.primary_key, cursor].map((k) => quoteBigQuery(k));
    const landedKeys = `(select distinct ${keys.map((k) => `r.${k}`).join(', ')} from ${raw} as r where ${partitionFilter}${cursorFilter})`;
    const match = keys.map((k) => `present.${k} = s.${k}`).join(' and ');
    // The anti-join runs once: insert the new rows first, then record how many it inserted
    // (@@row_count of that INSERT). A re-run of a committed script inserts nothing (every row is
    // present) and records nothing (the batch's succeeded row exists).
    statements.unshift('declare landed int64 default 0');
    statements.push(`insert into ${raw} (${columns.join(', ')}, _batch_id, _extracted_at, _contract_hash)
select ${staged.join(', ')}, @batch_id, @extracted_at, @contract_hash
from ${stage} as s
left join ${landedKeys} as present on ${match}
where present.${keys[0]} is null`);
    statements.push('set landed = @@row_count');
    statements.push(`insert into ${batches} (${BATCH_COLUMNS}, ${SNAPSHOT_COLUMN})
select @batch_id, @table_name, @contract_version, @contract_hash, 'succeeded', @started_at, current_timestamp(), @watermark_from, @watermark_to, @watermark_to_key,
  @stage_uri, @rows_extracted, landed, @rows_staged - landed, @rows_quarantined, @load_job_id, cast(null as string), @source_snapshot
from (select 1 as one)
where ${notPublished}`);
  }
  statements.push('commit transaction');
  // The script's result is its last statement's: the batch's counts as committed (also on a re-run).
  statements.push(`select rows_loaded, rows_skipped_duplicate from ${batches} where batch_id = @batch_id and status = 'succeeded' limit 1`);
  return `${statements.join(';\n')};`;
}

export async function publishBatch(target: BigQueryTarget, input: PublishInput): Promise<PublishOutcome> {
  const params: Record<string, Param> = {
    ...batchParams(input.record),
    extracted_at: { type: 'TIMESTAMP', value: input.extractedAt },
  };
  const cursor = input.contract.load.cursor;
  if (input.contract.load.mode !== 'full_refresh' && cursor) {
    const ranges = await stagedRanges(target, input.contract, input.stagingTable, cursor);
    params.partition_lo = ranges.partition.lo;
    params.partition_hi = ranges.partition.hi;
    if (ranges.cursor && hasCursorRange(input.contract)) {
      params.cursor_lo = ranges.cursor.lo;
      params.cursor_hi = ranges.cursor.hi;
    }
    params.rows_staged = { type: 'INT64', value: ranges.rows };
    params.source_snapshot = { type: 'STRING', value: input.record.sourceSnapshot ?? null };
  }
  delete params.error;
  const { rows, jobId } = await runQuery<{ rows_loaded: number; rows_skipped_duplicate: number }>(target, `publish ${input.contract.name}`, publishScript(target, input), params);
  const row = rows[0];
  if (!row) throw new Error(`batch ${input.record.batchId} of ${input.contract.name}: publish committed no export_batches row`);
  return { rowsLoaded: Number(row.rows_loaded), rowsSkippedDuplicate: Number(row.rows_skipped_duplicate), jobId };
}
