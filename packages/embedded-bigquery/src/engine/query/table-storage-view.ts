/**
 * INFORMATION_SCHEMA.TABLE_STORAGE: one row per table and materialized view (logical views and
 * external tables have no storage), at dataset or region level. Logical bytes are BigQuery's
 * per-type value sizes summed over the rows (bytes-estimate/, the sizes totalBytesProcessed and
 * tables.get's numBytes use). Bytes are active until their data has gone 90 days without a change,
 * then long-term. The embedded BigQuery knows when a table was last written only since it started,
 * and not per partition: where that decides the split or storage_last_modified_time, reading that
 * column fails loudly (the other columns still answer). Physical (compressed) bytes, time travel
 * and fail-safe bytes and the project number are not known here: reading those columns (or `*`)
 * fails loudly instead of reading a guess.
 */
import type { TableResource } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { tableSql } from '../catalog.js';
import type { ResolvedTable } from '../sql/translator.js';
import { valueSizeSql } from '../bytes-estimate/index.js';
import type { QuerySession } from './session.js';

/** BigQuery moves a table's (partition's) bytes to long-term storage after 90 consecutive days without modification. */
const LONG_TERM_MS = 90 * 24 * 3600 * 1000;

/** BigQuery's columns, in its order. */
const COLUMNS = [
  'project_id VARCHAR', 'project_number BIGINT', 'table_catalog VARCHAR', 'table_schema VARCHAR', 'table_name VARCHAR', 'creation_time TIMESTAMPTZ',
  'total_rows BIGINT', 'total_partitions BIGINT', 'total_logical_bytes BIGINT', 'active_logical_bytes BIGINT',
  'long_term_logical_bytes BIGINT', 'current_physical_bytes BIGINT', 'total_physical_bytes BIGINT', 'active_physical_bytes BIGINT',
  'long_term_physical_bytes BIGINT', 'time_travel_physical_bytes BIGINT', 'storage_last_modified_time TIMESTAMPTZ', 'deleted BOOLEAN',
  'table_type VARCHAR', 'fail_safe_physical_bytes BIGINT',
];

/** A column the embedded BigQuery cannot give (compressed sizes, the project number): reading it fails loudly, the others still answer. */
function notKept(column: string): string {
  return `CAST(error(${quoteString(`INFORMATION_SCHEMA.TABLE_STORAGE.${column} is not supported by the embedded BigQuery: it stores no compressed (physical) bytes and has no project number`)}) AS BIGINT)`;
}

export async function tableStorageView(s: QuerySession, tables: () => Promise<TableResource[]>): Promise<ResolvedTable> {
  const stored = (await tables()).filter((t) => t.type !== 'VIEW');
  const now = Date.now();
  const selects = stored.map((t) => {
    const ref = t.tableReference;
    const created = Number(t.creationTime ?? 0);
    const changed = lastDataChange(s, t);
    const fields = t.schema?.fields ?? [];
    const bytes = fields.length === 0 ? '0' : `coalesce(sum(${fields.map((f) => valueSizeSql(f, quoteIdent(f.name))).join(' + ')}), 0)`;
    const id = partitionIdSql(t);
    const name = `${ref.datasetId}.${ref.tableId}`;
    // all bytes are active while the table is younger than 90 days, all long-term once its data went 90 days unchanged;
    // otherwise the split needs each partition's last change (partitioned) or the table's (unknown before this server started)
    const tier = now - created < LONG_TERM_MS ? 'active' : changed !== undefined && now - changed >= LONG_TERM_MS ? 'long' : changed !== undefined && !id ? 'active' : undefined;
    const unknown = (what: string): string => `error(${quoteString(`INFORMATION_SCHEMA.TABLE_STORAGE.${what} of ${name} is not supported by the embedded BigQuery: it needs when the ${id ? "table's partitions were" : 'table was'} last written, which it does not know for writes before this server started or per partition`)})`;
    const active = tier === 'active' ? `CAST(${bytes} AS BIGINT)` : tier === 'long' ? '0' : unknown('active_logical_bytes');
    const longTerm = tier === 'long' ? `CAST(${bytes} AS BIGINT)` : tier === 'active' ? '0' : unknown('long_term_logical_bytes');
    const type = t.type === 'MATERIALIZED_VIEW' ? 'MATERIALIZED VIEW' : t.type === 'SNAPSHOT' ? 'SNAPSHOT' : t.cloneDefinition ? 'CLONE' : 'BASE TABLE';
    return `SELECT ${[
      quoteString(ref.projectId), notKept('project_number'), quoteString(ref.projectId), quoteString(ref.datasetId), quoteString(ref.tableId),
      `make_timestamptz(${Number(t.creationTime ?? 0)} * 1000)`,
      'count(*)', id ? `count(DISTINCT ${id})` : '0',
      `CAST(${bytes} AS BIGINT)`, `CAST(${active} AS BIGINT)`, `CAST(${longTerm} AS BIGINT)`,
      ...['current', 'total', 'active', 'long_term', 'time_travel'].map((k) => notKept(`${k}_physical_bytes`)),
      changed !== undefined ? `make_timestamptz(${changed} * 1000)` : `CAST(${unknown('storage_last_modified_time')} AS TIMESTAMPTZ)`, 'false', quoteString(type),
      notKept('fail_safe_physical_bytes'),
    ].map((v, i) => `${v} AS ${COLUMNS[i]!.split(' ')[0]}`).join(', ')} FROM ${tableSql(ref)}`;
  });
  if (selects.length === 0) return { sql: `(SELECT ${COLUMNS.map((c) => `CAST(NULL AS ${c.split(' ')[1]}) AS ${c.split(' ')[0]}`).join(', ')} WHERE false)` };
  return { sql: `(${selects.join(' UNION ALL ')})` };
}

/**
 * When the table's data last changed, where the engine knows it: its last write since this server
 * started, or its creation when it was created since then and not written after (a
 * materialized view changes with its base tables: unknown). Undefined otherwise.
 */
function lastDataChange(s: QuerySession, t: TableResource): number | undefined {
  if (t.type === 'MATERIALIZED_VIEW') return undefined;
  const ref = t.tableReference;
  const { at, since } = s.core.locks.recordedWrite(`${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
  if (at !== undefined) return at;
  const created = Number(t.creationTime ?? 0);
  return created >= since ? created : undefined;
}

const PARTITION_FORMATS: Record<string, string> = { HOUR: '%Y%m%d%H', DAY: '%Y%m%d', MONTH: '%Y%m', YEAR: '%Y' };

/** DuckDB expression: a row's partition id as BigQuery names it (undefined for a table that is not partitioned). */
export function partitionIdSql(t: TableResource): string | undefined {
  const tp = t.timePartitioning;
  const rp = t.rangePartitioning;
  if (rp) {
    // a range partition is named by its start; NULLs and values outside the range have their own
    const [c, start, end, step] = [quoteIdent(rp.field), rp.range.start, rp.range.end, rp.range.interval];
    return `CASE WHEN ${c} IS NULL THEN '__NULL__' WHEN ${c} < ${start} OR ${c} >= ${end} THEN '__UNPARTITIONED__' ELSE CAST(${start} + ((${c} - ${start}) // ${step}) * ${step} AS VARCHAR) END`;
  }
  if (!tp) return undefined;
  const fmt = PARTITION_FORMATS[tp.type ?? 'DAY'];
  if (!fmt) throw unsupported(`INFORMATION_SCHEMA partitions of partitioning type ${tp.type}`);
  // a TIMESTAMP partitions by its UTC date; strftime on TIMESTAMPTZ would use the session zone (UTC here);
  // an ingestion-time table by its hidden _PARTITIONTIME
  return `coalesce(strftime(${tp.field ? quoteIdent(tp.field) : '_PARTITIONTIME'}, ${quoteString(fmt)}), '__NULL__')`;
}

