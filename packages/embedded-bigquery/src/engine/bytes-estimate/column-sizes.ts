/**
 * Bytes per column as BigQuery's on-demand pricing counts them ("Data size calculation" in the
 * pricing reference), summed over a table's rows in DuckDB, optionally only over the partitions
 * a query keeps. Per value: INT64, FLOAT64, DATE, DATETIME, TIME and TIMESTAMP 8 bytes; BOOL 1;
 * NUMERIC 16; BIGNUMERIC 32; INTERVAL 16; STRING 2 + its UTF-8 bytes; BYTES 2 + its bytes; JSON
 * the UTF-8 bytes of its text; STRUCT the sum of its fields; ARRAY the sum of its elements; NULL 0.
 * GEOGRAPHY is not stored by the embedded BigQuery at all, so it has no size here.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { tableSql } from '../catalog.js';
import { quoteIdent } from '../type-mapping.js';
import type { TableFieldSchema, TableReference, TableResource } from '../types.js';

/** Partitions to count: a DuckDB condition over the table's rows, its values bound as parameters. */
export interface KeptPartitions {
  sql: string;
  values: DuckDBValue[];
  /** Identifies the condition and its values, for the cache. */
  key: string;
}

/** Sizes kept per table at most; past it the table's entries start over. */
const MAX_KEPT_PER_TABLE = 64;

const FIXED: Record<string, number> = {
  INTEGER: 8, INT64: 8, FLOAT: 8, FLOAT64: 8, DATE: 8, DATETIME: 8, TIME: 8, TIMESTAMP: 8,
  BOOLEAN: 1, BOOL: 1, NUMERIC: 16, BIGNUMERIC: 32, INTERVAL: 16,
};

/** DuckDB expression: the bytes of one value `expr` of this field (0 when NULL). */
export function valueSizeSql(field: Pick<TableFieldSchema, 'type' | 'mode' | 'fields'>, expr: string, depth = 0): string {
  if (field.mode === 'REPEATED') {
    const x = `bq_el${depth}`;
    const element = valueSizeSql({ type: field.type, ...(field.fields ? { fields: field.fields } : {}) }, x, depth + 1);
    return `coalesce(list_sum(list_transform(${expr}, ${x} -> ${element})), 0)`;
  }
  const type = field.type.toUpperCase();
  if (type === 'RECORD' || type === 'STRUCT') {
    const parts = (field.fields ?? []).map((f) => valueSizeSql(f, `(${expr}).${quoteIdent(f.name)}`, depth));
    return `(CASE WHEN ${expr} IS NULL THEN 0 ELSE ${parts.length > 0 ? parts.join(' + ') : '0'} END)`;
  }
  const fixed = FIXED[type];
  if (fixed !== undefined) return `(CASE WHEN ${expr} IS NULL THEN 0 ELSE ${fixed} END)`;
  switch (type) {
    case 'STRING': return `coalesce(2 + strlen(${expr}), 0)`;
    case 'BYTES': return `coalesce(2 + octet_length(${expr}), 0)`;
    case 'JSON': return `coalesce(strlen(CAST(${expr} AS VARCHAR)), 0)`;
    default: return `coalesce(strlen(CAST(${expr} AS VARCHAR)), 0)`;
  }
}

/** Sizes per column (lower-case names), cached per table and kept partitions until the table changes. */
export class ColumnSizes {
  private readonly cache = new Map<string, Map<string, Map<string, number>>>();

  invalidate(ref?: TableReference): void {
    if (!ref) this.cache.clear();
    else this.cache.delete(tableKey(ref));
  }

  async sizes(conn: DuckDBConnection, ref: TableReference, meta: TableResource, kept?: KeptPartitions): Promise<Map<string, number>> {
    const key = tableKey(ref);
    let perTable = this.cache.get(key);
    if (!perTable) {
      perTable = new Map();
      this.cache.set(key, perTable);
    }
    const which = kept?.key ?? '';
    const cached = perTable.get(which);
    if (cached) return cached;
    const fields = meta.schema?.fields ?? [];
    const sizes = new Map<string, number>();
    if (fields.length > 0) {
      const exprs = fields.map((f) => `coalesce(sum(${valueSizeSql(f, quoteIdent(f.name))}), 0)`);
      const sql = `SELECT ${exprs.join(', ')} FROM ${tableSql(ref)}${kept ? ` WHERE ${kept.sql}` : ''}`;
      const r = kept && kept.values.length > 0 ? await conn.runAndReadAll(sql, kept.values) : await conn.runAndReadAll(sql);
      const row = r.getRows()[0] ?? [];
      fields.forEach((f, i) => sizes.set(f.name.toLowerCase(), Number(row[i] ?? 0)));
    }
    // one entry per distinct set of kept partitions (a checkpoint, a parameter value) until the table is written
    if (perTable.size >= MAX_KEPT_PER_TABLE) perTable.clear();
    perTable.set(which, sizes);
    return sizes;
  }
}

function tableKey(ref: TableReference): string {
  return `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
}
