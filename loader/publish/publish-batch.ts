/**
 * Publishes a loaded staging table in ONE multi-statement transaction: the quarantined rows, the
 * export_batches row (which is what moves the watermark), and the raw rows not already present,
 * matched on (primary key, cursor). A crash before COMMIT leaves nothing; a re-run re-extracts the
 * same window and inserts only what is missing. Re-running the same script after a lost response
 * is harmless too: every insert is guarded by the batch's own succeeded row. An incremental batch
 * that is all its table does under the lease frees the lease in the same script, right after COMMIT.
 */
import { quoteBigQuery } from './sql.js';
import type { ColumnContract, TableContract } from '../../contracts/schema/index.js';
import { stagedType, type StageFormat } from '../source/stage-format.js';
import { BATCH_COLUMNS, SNAPSHOT_COLUMN, batchParams, type BatchRecord } from '../lineage/export-batches.js';
import { runQuery, tablePath, type BigQueryTarget, type Param } from './bigquery-target.js';
import { EXPORT_BATCHES_TABLE, LEASES_TABLE, QUARANTINE_TABLE, contractFields } from './raw-schema.js';

export interface PublishInput {
  contract: TableContract;
  contractHash: string;
  record: BatchRecord;
  stagingTable: string;
  quarantineStagingTable: string | null;
  extractedAt: string;
  /** How the staging table was filled; Parquet stages JSON columns as STRING, parsed here. */
  format?: StageFormat;
  /** The lease owner whose lease of the table the transaction frees (incremental and append batches only). */
  freeLeaseOf?: string;
}

export interface PublishOutcome {
  rowsLoaded: number;
  rowsSkippedDuplicate: number;
  jobId: string;
  /** Whether the script freed the lease (`freeLeaseOf`); false when it was not asked to or could not. */
  leaseFreed: boolean;
}

type RangeType = 'TIMESTAMP' | 'DATE';

function rangeType(contract: TableContract, column: string): RangeType | null {
  const type = contract.columns.find((c) => c.name === column)?.type;
  return type === 'DATE' ? 'DATE' : type === 'TIMESTAMP' ? 'TIMESTAMP' : null;
}

/**
 * Script variables of the staged batch's range of the partitioning column and of the cursor (in one
 * scan of the staging table, at the script's start) and its row count: the anti-join reads only
 * those partitions of the raw table, and in them only rows whose cursor falls in the batch's range
 * (a row can match only with an equal cursor). Variables, not a subquery in the filter: BigQuery
 * prunes partitions on a filter whose values are constant when the statement starts, as script
 * variables are (the embedded BigQuery gives DuckDB their values, so its zone maps skip row groups).
 */
const PARTITION_LO = '_landform_partition_lo';
const PARTITION_HI = '_landform_partition_hi';
const CURSOR_LO = '_landform_cursor_lo';
const CURSOR_HI = '_landform_cursor_hi';
const ROWS_STAGED = '_landform_rows_staged';

function stagedRangeStatements(contract: TableContract, stage: string, cursor: string): string[] {
  const partition = contract.partition.column;
  const partitionType = rangeType(contract, partition) ?? 'TIMESTAMP';
  const cursorType = hasCursorRange(contract) ? rangeType(contract, cursor) : null;
  const names = [PARTITION_LO, PARTITION_HI, ...(cursorType ? [CURSOR_LO, CURSOR_HI] : []), ROWS_STAGED];
  const values = [`min(${quoteBigQuery(partition)})`, `max(${quoteBigQuery(partition)})`, ...(cursorType ? [`min(${quoteBigQuery(cursor)})`, `max(${quoteBigQuery(cursor)})`] : []), 'count(*)'];
  return [
    `declare ${PARTITION_LO}, ${PARTITION_HI} ${partitionType}`,
    ...(cursorType ? [`declare ${CURSOR_LO}, ${CURSOR_HI} ${cursorType}`] : []),
    `declare ${ROWS_STAGED} int64 default 0`,
    `set (${names.join(', ')}) = (select as struct ${values.join(', ')} from ${stage})`,
  ];
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
    const partitionFilter = partitionColumn?.mode === 'NULLABLE' ? `(${p} between ${PARTITION_LO} and ${PARTITION_HI} or ${p} is null)` : `${p} between ${PARTITION_LO} and ${PARTITION_HI}`;
    // A raw row matches only with the cursor of a staged row, so only the batch's cursor range can
    // match: implied by the match itself, it lets the engine skip the rest of those partitions (on
    // the embedded BigQuery, DuckDB's zone maps over rows landed in cursor order; a NULL cursor
    // never matches either way).
    const cursorFilter = hasCursorRange(contract) ? ` and r.${quoteBigQuery(cursor)} between ${CURSOR_LO} and ${CURSOR_HI}` : '';
    // The anti-join as a left join on the landed (key, cursor) pairs: an uncorrelated subquery, so
    // the engine builds its hash table from those raw rows alone and streams the staged rows past
    // it (a correlated NOT EXISTS made DuckDB first group every staged key, twice the CPU).
    const keys = [...contract.primary_key, cursor].map((k) => quoteBigQuery(k));
    const landedKeys = `(select distinct ${keys.map((k) => `r.${k}`).join(', ')} from ${raw} as r where ${partitionFilter}${cursorFilter})`;
    const match = keys.map((k) => `present.${k} = s.${k}`).join(' and ');
    // The anti-join runs once: insert the new rows first, then record how many it inserted
    // (@@row_count of that INSERT). A re-run of a committed script inserts nothing (every row is
    // present) and records nothing (the batch's succeeded row exists).
    // DECLARE only at the script's start, before the transaction.
    statements.unshift('declare landed, recorded int64 default 0', 'declare lease_freed bool default false', ...stagedRangeStatements(contract, stage, cursor));
    statements.push(`insert into ${raw} (${columns.join(', ')}, _batch_id, _extracted_at, _contract_hash)
select ${staged.join(', ')}, @batch_id, @extracted_at, @contract_hash
from ${stage} as s
left join ${landedKeys} as present on ${match}
where present.${keys[0]} is null`);
    statements.push('set landed = @@row_count');
    statements.push(`insert into ${batches} (${BATCH_COLUMNS}, ${SNAPSHOT_COLUMN})
select @batch_id, @table_name, @contract_version, @contract_hash, 'succeeded', @started_at, current_timestamp(), @watermark_from, @watermark_to, @watermark_to_key,
  @stage_uri, @rows_extracted, landed, ${ROWS_STAGED} - landed, @rows_quarantined, @load_job_id, cast(null as string), @source_snapshot
from (select 1 as one)
where ${notPublished}`);
    statements.push('set recorded = @@row_count');
  }
  statements.push('commit transaction');
  if (input.freeLeaseOf !== undefined) {
    // After the commit, not in the transaction (the run's own lease renewals update the table too,
    // and a transaction that meets a concurrent update is aborted); its failure is caught, so a
    // committed batch is never reported failed for it: the caller then frees the lease itself. A
    // re-run of a committed script changes nothing here (nor a lease another run took since).
    statements.push(`begin
  update ${tablePath(target, LEASES_TABLE)} set owner = null, acquired_at = null, expires_at = null where table_name = @table_name and owner = @lease_owner;
  set lease_freed = true;
exception when error then
  set lease_freed = false;
end`);
  }
  // The script's result is its last SELECT's: the batch's counts as committed (also on a re-run,
  // which records nothing and reads them back; an incremental script that recorded them has them).
  const committed = (extra: string) => `select rows_loaded, rows_skipped_duplicate${extra} from ${batches} where batch_id = @batch_id and status = 'succeeded' limit 1`;
  statements.push(contract.load.mode === 'full_refresh' ? committed('') : `if recorded = 1 then
  select landed as rows_loaded, ${ROWS_STAGED} - landed as rows_skipped_duplicate, lease_freed;
else
  ${committed(', lease_freed')};
end if`);
  return `${statements.join(';\n')};`;
}

export async function publishBatch(target: BigQueryTarget, input: PublishInput): Promise<PublishOutcome> {
  const params: Record<string, Param> = {
    ...batchParams(input.record),
    extracted_at: { type: 'TIMESTAMP', value: input.extractedAt },
  };
  const cursor = input.contract.load.cursor;
  if (input.contract.load.mode !== 'full_refresh' && cursor) {
    params.source_snapshot = { type: 'STRING', value: input.record.sourceSnapshot ?? null };
  }
  if (input.freeLeaseOf !== undefined) {
    if (input.contract.load.mode === 'full_refresh') throw new Error(`batch ${input.record.batchId} of ${input.contract.name}: a full refresh's publish does not free the lease (a re-run of its script after the lease went to another run would truncate that run's rows)`);
    params.lease_owner = { type: 'STRING', value: input.freeLeaseOf };
  }
  delete params.error;
  const { rows, jobId } = await runQuery<{ rows_loaded: number; rows_skipped_duplicate: number; lease_freed?: boolean | null }>(target, `publish ${input.contract.name}`, publishScript(target, input), params);
  const row = rows[0];
  if (!row) throw new Error(`batch ${input.record.batchId} of ${input.contract.name}: publish committed no export_batches row`);
  return { rowsLoaded: Number(row.rows_loaded), rowsSkippedDuplicate: Number(row.rows_skipped_duplicate), jobId, leaseFreed: row.lease_freed === true };
}
