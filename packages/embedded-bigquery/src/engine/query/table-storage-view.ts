/**
 * INFORMATION_SCHEMA.TABLE_STORAGE: one row per table and materialized view (logical views and
 * external tables have no storage), at dataset or region level. Logical bytes are BigQuery's
 * per-type value sizes summed over the rows (bytes-estimate/, the sizes totalBytesProcessed and
 * tables.get's numBytes use). Bytes are active until the table has gone 90 days without a change,
 * then long-term (BigQuery counts that per partition; the embedded BigQuery knows when the table
 * last changed, not each partition). Physical (compressed) bytes, time travel and fail-safe bytes
 * and the project number are not known here, so those columns are absent: a query naming them
 * fails instead of reading a guess.
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

const COLUMNS = [
  'project_id VARCHAR', 'table_catalog VARCHAR', 'table_schema VARCHAR', 'table_name VARCHAR', 'creation_time TIMESTAMPTZ',
  'total_rows BIGINT', 'total_partitions BIGINT', 'total_logical_bytes BIGINT', 'active_logical_bytes BIGINT',
  'long_term_logical_bytes BIGINT', 'storage_last_modified_time TIMESTAMPTZ', 'deleted BOOLEAN', 'table_type VARCHAR',
];

export async function tableStorageView(s: QuerySession, tables: () => Promise<TableResource[]>): Promise<ResolvedTable> {
  const stored = (await tables()).filter((t) => t.type !== 'VIEW');
  const now = Date.now();
  const selects = stored.map((t) => {
    const ref = t.tableReference;
    const changed = Math.max(Number(t.lastModifiedTime ?? t.creationTime ?? 0), s.core.locks.lastChange(`${ref.projectId}:${ref.datasetId}.${ref.tableId}`));
    const longTerm = now - changed >= LONG_TERM_MS;
    const fields = t.schema?.fields ?? [];
    const bytes = fields.length === 0 ? '0' : `coalesce(sum(${fields.map((f) => valueSizeSql(f, quoteIdent(f.name))).join(' + ')}), 0)`;
    const id = partitionIdSql(t);
    const type = t.type === 'MATERIALIZED_VIEW' ? 'MATERIALIZED VIEW' : t.type === 'SNAPSHOT' ? 'SNAPSHOT' : t.cloneDefinition ? 'CLONE' : 'BASE TABLE';
    return `SELECT ${[
      quoteString(ref.projectId), quoteString(ref.projectId), quoteString(ref.datasetId), quoteString(ref.tableId),
      `make_timestamptz(${Number(t.creationTime ?? 0)} * 1000)`,
      'count(*)', id ? `count(DISTINCT ${id})` : '0',
      `CAST(${bytes} AS BIGINT)`, longTerm ? '0' : `CAST(${bytes} AS BIGINT)`, longTerm ? `CAST(${bytes} AS BIGINT)` : '0',
      `make_timestamptz(${changed} * 1000)`, 'false', quoteString(type),
    ].map((v, i) => `${v} AS ${COLUMNS[i]!.split(' ')[0]}`).join(', ')} FROM ${tableSql(ref)}`;
  });
  if (selects.length === 0) return { sql: `(SELECT ${COLUMNS.map((c) => `CAST(NULL AS ${c.split(' ')[1]}) AS ${c.split(' ')[0]}`).join(', ')} WHERE false)` };
  return { sql: `(${selects.join(' UNION ALL ')})` };
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

