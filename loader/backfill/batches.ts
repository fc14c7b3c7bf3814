/**
 * Backfill at scale: `--from/--to` split into bounded cursor ranges, each landed and committed as
 * its own batch (export_batches row with watermark_from/to = the range, never moving the
 * watermark). A re-run of the same backfill skips every range already committed under the same
 * contract hash, so a month-long backfill killed halfway resumes where it stopped, redoing nothing
 * that committed and losing nothing (the range in flight left no batch row and runs again).
 *
 * Ranges are inclusive at both ends, as the window filter is: [from, b1 - 1 µs], [b1, b2 - 1 µs], …,
 * [bn, to]. Postgres timestamps have microsecond resolution, so no row falls between two ranges
 * and none belongs to two.
 */
import { microsToIso } from '../../common/timestamps.js';
import type { LoadedContract, TableContract, TelemetryContract } from '../../contracts/schema/index.js';
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

/** Ranges of this table committed by earlier backfill batches under `contractHash`, as `fromMicros..toMicros`. */
export async function committedRanges(target: BigQueryTarget, table: string, contractHash: string): Promise<Set<string>> {
  const { rows } = await runQuery<{ f: string; t: string }>(
    target,
    'committed backfill ranges',
    `select cast(unix_micros(watermark_from) as string) as f, cast(unix_micros(watermark_to) as string) as t
from ${tablePath(target, EXPORT_BATCHES_TABLE)}
where table_name = @table_name and status = 'succeeded' and contract_hash = @contract_hash
  and watermark_to_key is null and watermark_from is not null and watermark_to is not null`,
    { table_name: { type: 'STRING', value: table }, contract_hash: { type: 'STRING', value: contractHash } },
  );
  return new Set(rows.map((r) => rangeKey(r.f, r.t)));
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
  const done = await committedRanges(target, name, loaded.hash);
  const pending = ranges.filter((r) => !done.has(rangeKey(isoToMicros(r.from), isoToMicros(r.to))));
  const summary = { ranges: ranges.length, alreadyCommitted: ranges.length - pending.length, batchIds: [] as string[] };
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
    if (result.status === 'succeeded') {
      summary.batchIds.push(result.batchId);
      total.status = 'succeeded';
    }
    if (result.status === 'failed') {
      total.status = 'failed';
      total.error = `${result.error ?? 'failed'} (backfill range ${range.from}..${range.to}; ${summary.batchIds.length + summary.alreadyCommitted} of ${summary.ranges} ranges committed; run the same backfill again to resume)`;
      return total;
    }
  }
  return total;
}
