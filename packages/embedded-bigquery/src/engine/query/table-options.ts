/** OPTIONS(...) of CREATE/ALTER TABLE → the table resource's fields. */
import { BigQueryApiError, type TableResource } from '../types.js';
import type { OptionValue } from '../sql/ddl.js';

export function tableOptions(o: Record<string, OptionValue>, partitioning: TableResource['timePartitioning'], clustering: string[] | undefined): Partial<TableResource> {
  const out: Partial<TableResource> = {};
  const known = new Set(['description', 'labels', 'friendly_name', 'expiration_timestamp', 'partition_expiration_days', 'require_partition_filter', 'kms_key_name', 'max_staleness', 'enable_refresh', 'refresh_interval_minutes']);
  for (const k of Object.keys(o)) if (!known.has(k)) throw new BigQueryApiError('invalidQuery', `Unknown option: ${k}`);
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
