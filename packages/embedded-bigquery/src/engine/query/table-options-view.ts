/**
 * INFORMATION_SCHEMA.TABLE_OPTIONS: one row per option set on a table, view or materialized view,
 * at dataset or region level, with option_type and option_value as BigQuery prints them (values as
 * GoogleSQL literals: `"text"`, `[STRUCT("k", "v")]`, `TIMESTAMP "2025-01-01T00:00:00.000Z"`, `true`).
 * Options the embedded BigQuery does not keep (kms_key_name, ...) have no row.
 */
import type { TableResource } from '../types.js';
import { quoteString } from '../type-mapping.js';
import type { ResolvedTable } from '../sql/translator.js';

interface OptionRow {
  name: string;
  type: string;
  value: string;
}

/** A GoogleSQL string literal as BigQuery prints one: double quotes, backslash escapes. */
function stringLiteral(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A FLOAT64 option as a literal (`30.0`, `0.5`). */
function floatLiteral(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

export function optionRows(t: TableResource): OptionRow[] {
  const out: OptionRow[] = [];
  const mv = t.materializedView;
  if (t.description !== undefined) out.push({ name: 'description', type: 'STRING', value: stringLiteral(t.description) });
  if (t.friendlyName !== undefined) out.push({ name: 'friendly_name', type: 'STRING', value: stringLiteral(t.friendlyName) });
  if (t.expirationTime !== undefined) out.push({ name: 'expiration_timestamp', type: 'TIMESTAMP', value: `TIMESTAMP ${stringLiteral(new Date(Number(t.expirationTime)).toISOString())}` });
  const labels = Object.entries(t.labels ?? {});
  if (labels.length > 0) out.push({ name: 'labels', type: 'ARRAY<STRUCT<STRING, STRING>>', value: `[${labels.map(([k, v]) => `STRUCT(${stringLiteral(k)}, ${stringLiteral(v)})`).join(', ')}]` });
  const partitionMs = t.timePartitioning?.expirationMs;
  if (partitionMs !== undefined) out.push({ name: 'partition_expiration_days', type: 'FLOAT64', value: floatLiteral(Number(partitionMs) / 86400000) });
  if (t.requirePartitionFilter || t.timePartitioning?.requirePartitionFilter) out.push({ name: 'require_partition_filter', type: 'BOOL', value: 'true' });
  const staleness = mv?.maxStaleness ?? t.maxStaleness;
  if (staleness !== undefined) out.push({ name: 'max_staleness', type: 'INTERVAL', value: `INTERVAL ${stringLiteral(staleness)} YEAR TO SECOND` });
  if (mv) {
    out.push({ name: 'enable_refresh', type: 'BOOL', value: String(mv.enableRefresh) });
    out.push({ name: 'refresh_interval_minutes', type: 'FLOAT64', value: floatLiteral(Number(mv.refreshIntervalMs) / 60000) });
    if (mv.allowNonIncrementalDefinition !== undefined) out.push({ name: 'allow_non_incremental_definition', type: 'BOOL', value: String(mv.allowNonIncrementalDefinition) });
  }
  return out;
}

export async function tableOptionsView(tables: () => Promise<TableResource[]>): Promise<ResolvedTable> {
  const rows: string[] = [];
  for (const t of await tables()) {
    const ref = t.tableReference;
    for (const o of optionRows(t)) rows.push(`(${[ref.projectId, ref.datasetId, ref.tableId, o.name, o.type, o.value].map(quoteString).join(', ')})`);
  }
  const cols = 'table_catalog, table_schema, table_name, option_name, option_type, option_value';
  if (rows.length === 0) return { sql: `(SELECT ${cols.split(', ').map((c) => `CAST(NULL AS VARCHAR) AS ${c}`).join(', ')} WHERE false)` };
  return { sql: `(SELECT * FROM (VALUES ${rows.join(', ')}) AS o(${cols}))` };
}
