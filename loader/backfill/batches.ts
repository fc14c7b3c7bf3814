/**
 * Backfill at scale: `--from/--to` split into bounded cursor ranges, landed in order, each committed
 * as its own batch (an export_batches row with watermark_from/to = the range, never moving the
 * watermark; a range with no rows gets a row too, with 0 rows). A run killed halfway leaves a pass
 * whose first k ranges committed, in order, after anything older: the re-run resumes at range k,
 * redoing nothing that committed and losing nothing (the range in flight left no row and runs
 * again). A backfill whose every range has committed is a finished pass: running it again starts a
 * new pass, which is how rows committed late into the range are picked up.
 *
 * Ranges are inclusive at both ends, as the window filter is: [from, b1 - 1 µs], [b1, b2 - 1 µs], …,
 * [bn, to]. Postgres timestamps have microsecond resolution, so no row falls between two ranges
 * and none belongs to two.
 */
import { microsToIso } from '../../common/timestamps.js';
import type { LoadedContract, TableContract, TelemetryContract } from '../../contracts/schema/index.js';
import { BATCH_COLUMNS, batchParams, type BatchRecord } from '../lineage/export-batches.js';
import { loadTable, type BatchResult, type LoadContext } from '../load-table.js';
import { runQuery, tablePath, type BigQueryTarget } from '../publish/bigquery-target.js';
import { EXPORT_BATCHES_TABLE } from '../publish/raw-schema.js';

export const DEFAULT_BACKFILL_BATCH_SECONDS = 86_400;

export interface CursorRange {
  from: string;
  to: string;
}

/** ISO 8601 (up to microseconds, any offset) → microseconds since the epoch. */
export function isoToMicros(iso: string): bigint {
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i.exec(iso.trim());
  const ms = Date.parse(match ? `${match[1]}${match[3]}` : iso);
  if (Number.isNaN(ms)) throw new Error(`not an ISO 8601 timestamp: ${iso}`);
  const fraction = (match?.[2] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(fraction || '0');
}

/** [from, to] cut into consecutive ranges of at most `seconds`, the last one ending at `to`. */
export function backfillRanges(from: string, to: string, seconds: number): CursorRange[] {
  const start = isoToMicros(from);
  const end = isoToMicros(to);
  if (start > end) throw new Error(`backfill: from ${from} is after to ${to}`);
  const step = BigInt(Math.max(1, Math.round(seconds * 1e6)));
  const ranges: CursorRange[] = [];
  for (let lo = start; lo <= end; lo += step) {
    const hi = lo + step - 1n < end ? lo + step - 1n : end;
    ranges.push({ from: microsToIso(lo), to: microsToIso(hi) });
  }
  return ranges;
}

const rangeKey = (fromMicros: string | bigint, toMicros: string | bigint) => `${String(fromMicros)}..${String(toMicros)}`;

/** When each range of this table last committed under `contractHash` (finished_at, µs), keyed `fromMicros..toMicros`. */
export async function committedRanges(target: BigQueryTarget, table: string, contractHash: string): Promise<Map<string, bigint>> {
  const { rows } = await runQuery<{ f: string; t: string; at: string }>(
    target,
    'committed backfill ranges',
    `select cast(unix_micros(watermark_from) as string) as f, cast(unix_micros(watermark_to) as string) as t, cast(unix_micros(max(finished_at)) as string) as at
from ${tablePath(target, EXPORT_BATCHES_TABLE)}
where table_name = @table_name and status = 'succeeded' and contract_hash = @contract_hash
  and watermark_to_key is null and watermark_from is not null and watermark_to is not null
group by 1, 2`,
    { table_name: { type: 'STRING', value: table }, contract_hash: { type: 'STRING', value: contractHash } },
  );
  return new Map(rows.map((r) => [rangeKey(r.f, r.t), BigInt(r.at)]));
}

/**
 * Where a pass over `ranges` resumes: the first range with no commit, or whose last commit is older
 * than its predecessor's (it belongs to an earlier pass). A finished pass (every range committed,
 * in order) starts again at 0.
 */
export function resumeIndex(ranges: CursorRange[], committed: Map<string, bigint>): number {
  let previous = -1n;
  for (let i = 0; i < ranges.length; i++) {
    const range = ranges[i] as CursorRange;
    const at = committed.get(rangeKey(isoToMicros(range.from), isoToMicros(range.to)));
    if (at === undefined || at < previous) return i;
    previous = at;
  }
  return 0;
}

/** The lineage row of a range that held no rows, so a resumed pass knows it was done. */
async function recordEmptyRange(ctx: LoadContext, loaded: LoadedContract<TableContract>, range: CursorRange, batchId: string): Promise<void> {
  const record: BatchRecord = {
    batchId,
    table: loaded.contract.name,
    contractVersion: String(loaded.contract.version),
    contractHash: loaded.hash,
    status: 'succeeded',
    startedAt: new Date().toISOString(),
    watermarkFrom: range.from,
    watermarkTo: range.to,
    watermarkToKey: null,
    stageUri: null,
    rowsExtracted: 0,
    rowsQuarantined: 0,
    loadJobId: null,
    error: null,
  };
  const params = batchParams(record);
  delete params.error;
  await runQuery(
    ctx.target,
    'record empty backfill range',
    `insert into ${tablePath(ctx.target, EXPORT_BATCHES_TABLE)} (${BATCH_COLUMNS})
values (@batch_id, @table_name, @contract_version, @contract_hash, 'succeeded', @started_at, current_timestamp(), @watermark_from, @watermark_to, @watermark_to_key, @stage_uri, @rows_extracted, 0, 0, @rows_quarantined, @load_job_id, cast(null as string))`,
    params,
  );
}

/**
 * Lands the backfill of one table range by range, stopping at the first failed range (a re-run
 * resumes there). The result sums the ranges' counts; `backfill` says how many there were, how
 * many an earlier run had committed, and which batches this run published.
 */
export async function runBackfill(ctx: LoadContext, loaded: LoadedContract<TableContract>, metrics: TelemetryContract | undefined, backfill: CursorRange): Promise<BatchResult> {
  const { config, target } = ctx;
  const name = loaded.contract.name;
  const ranges = backfillRanges(backfill.from, backfill.to, config.backfillBatchSeconds ?? DEFAULT_BACKFILL_BATCH_SECONDS);
  const start = resumeIndex(ranges, await committedRanges(target, name, loaded.hash));
  const pending = ranges.slice(start);
  const summary = { ranges: ranges.length, alreadyCommitted: start, batchIds: [] as string[] };
  ctx.logger.info({ table: name, ranges: summary.ranges, alreadyCommitted: summary.alreadyCommitted }, 'backfill planned');
  const total: BatchResult = {
    table: name,
    batchId: '',
    status: 'empty',
    rowsExtracted: 0,
    rowsLoaded: 0,
    rowsSkippedDuplicate: 0,
    rowsQuarantined: 0,
    watermarkFrom: backfill.from,
    watermarkTo: backfill.to,
    contractHash: loaded.hash,
    backfill: summary,
  };
  for (const range of pending) {
    const result = await loadTable({ ...ctx, config: { ...config, backfill: range } }, loaded, metrics);
    total.batchId = result.batchId;
    total.rowsExtracted += result.rowsExtracted;
    total.rowsLoaded += result.rowsLoaded;
    total.rowsSkippedDuplicate += result.rowsSkippedDuplicate;
    total.rowsQuarantined += result.rowsQuarantined;
    if (result.status === 'empty') {
      // Best effort: without the row, a resumed pass only checks this empty range again.
      await recordEmptyRange(ctx, loaded, range, result.batchId).catch((error: unknown) => ctx.logger.warn({ table: name, range, err: (error as Error).message }, 'could not record the empty backfill range'));
    }
    if (result.status === 'succeeded' || result.status === 'empty') summary.batchIds.push(result.batchId);
    if (result.status === 'succeeded') total.status = 'succeeded';
    if (result.status === 'failed') {
      total.status = 'failed';
      total.error = `${result.error ?? 'failed'} (backfill range ${range.from}..${range.to}; ${summary.batchIds.length + summary.alreadyCommitted} of ${summary.ranges} ranges committed; run the same backfill again to resume)`;
      return total;
    }
  }
  return total;
}
