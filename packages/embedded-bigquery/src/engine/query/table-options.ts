/** OPTIONS(...) of CREATE/ALTER TABLE → the table resource's fields; integer-range PARTITION BY. */
import { BigQueryApiError, type RangePartitioning, type TableResource } from '../types.js';
import type { OptionValue } from '../sql/ddl.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';

/**
 * `RANGE_BUCKET(col, GENERATE_ARRAY(start, end[, interval]))` → rangePartitioning (undefined for
 * any other PARTITION BY). BigQuery's rules: integer bounds, end > start, interval > 0, at most 10,000 partitions.
 */
export function rangeBucket(toks: Token[]): RangePartitioning | undefined {
  if (!isKeyword(toks[0], 'RANGE_BUCKET')) return undefined;
  const bad = (why: string): BigQueryApiError => new BigQueryApiError('invalidQuery', `PARTITION BY RANGE_BUCKET(<int64_column>, GENERATE_ARRAY(<start>, <end>[, <interval>])): ${why}`);
  const col = toks[2];
  if (!isOp(toks[1], '(') || !col || (col.kind !== 'ident' && col.kind !== 'quoted') || !isOp(toks[3], ',') || !isKeyword(toks[4], 'GENERATE_ARRAY') || !isOp(toks[5], '(')) throw bad('unexpected expression');
  const bounds: bigint[] = [];
  let k = 6;
  for (;;) {
    const negative = isOp(toks[k], '-');
    const n = toks[negative ? k + 1 : k];
    if (n?.kind !== 'number' || !/^\d+$/.test(n.value)) throw bad('the bounds must be integer literals');
    bounds.push(BigInt(negative ? `-${n.value}` : n.value));
    k += negative ? 2 : 1;
    if (isOp(toks[k], ',')) k++;
    else break;
  }
  if (!isOp(toks[k], ')') || !isOp(toks[k + 1], ')') || k + 2 !== toks.length || bounds.length < 2 || bounds.length > 3) throw bad('unexpected expression');
  const [start, end, interval = 1n] = bounds as [bigint, bigint, bigint?];
  if (end <= start || interval <= 0n) throw bad('the end must be above the start and the interval positive');
  if ((end - start + interval - 1n) / interval > 10_000n) throw bad('more than 10,000 partitions');
  return { field: col.value, range: { start: String(start), end: String(end), interval: String(interval) } };
}

/** Options only a materialized view takes (its refresh settings: materialized-views.ts reads them). */
const MATERIALIZED_ONLY = new Set(['enable_refresh', 'refresh_interval_minutes', 'allow_non_incremental_definition']);

export function tableOptions(o: Record<string, OptionValue>, partitioning: TableResource['timePartitioning'], clustering: string[] | undefined, materialized = false): Partial<TableResource> {
  const out: Partial<TableResource> = {};
  const known = new Set(['description', 'labels', 'friendly_name', 'expiration_timestamp', 'partition_expiration_days', 'require_partition_filter', 'kms_key_name', 'max_staleness']);
  for (const k of Object.keys(o)) if (!known.has(k) && !(materialized && MATERIALIZED_ONLY.has(k))) throw new BigQueryApiError('invalidQuery', `Unknown option: ${k}`);
  if (typeof o.friendly_name === 'string') out.friendlyName = o.friendly_name;
  if (typeof o.max_staleness === 'string' && !materialized) out.maxStaleness = o.max_staleness;
  if (typeof o.description === 'string') out.description = o.description;
  if (Array.isArray(o.labels)) out.labels = Object.fromEntries(o.labels);
  if (typeof o.expiration_timestamp === 'string') {
    const ms = Date.parse(o.expiration_timestamp.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00').replace(/ UTC$/, 'Z'));
    if (!Number.isNaN(ms)) out.expirationTime = String(ms);
  }
  if (partitioning) {
    out.timePartitioning = { ...partitioning };
    if (typeof o.partition_expiration_days === 'number') out.timePartitioning.expirationMs = String(Math.round(o.partition_expiration_days * 86400000));
    if (o.require_partition_filter === true) out.timePartitioning.requirePartitionFilter = true;
  }
  if (o.require_partition_filter === true) out.requirePartitionFilter = true;
  if (clustering && clustering.length > 0) out.clustering = { fields: clustering };
  return out;
}
