/**
 * Bytes per column as BigQuery's on-demand pricing counts them ("Data size calculation" in the
 * pricing reference), summed over a table's rows in DuckDB, optionally only over the partitions
 * a query keeps. Per value: INT64, FLOAT64, DATE, DATETIME, TIME and TIMESTAMP 8 bytes; BOOL 1;
 * NUMERIC 16; BIGNUMERIC 32; INTERVAL 16; STRING 2 + its UTF-8 bytes; BYTES 2 + its bytes; JSON
 * the UTF-8 bytes of its text; STRUCT the sum of its fields; ARRAY the sum of its elements; NULL 0.
 * GEOGRAPHY is not stored by the embedded BigQuery at all, so it has no size here.
 */
import { LIST, VARCHAR, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { tableSql } from '../catalog.js';
import { quoteIdent } from '../type-mapping.js';
import type { TableFieldSchema, TableReference, TableResource } from '../types.js';
import { alignedStart, columnSpan, keptKeys, keptRanges, sumOverRanges, type ColumnSpan } from './partition-ranges.js';

/** Partitions to count: a DuckDB condition over the partitioning column, its values bound as parameters. */
export interface KeptPartitions {
  sql: string;
  values: DuckDBValue[];
  /** Identifies the condition and its values, for the cache. */
  key: string;
  /** The partitioning column, its DuckDB type, and the SQL of a row's partition start over it. */
  column: string;
  duckType: string;
  start: string;
}

type Sizes = Map<string, number>;

/** Sizes kept per table at most; past it the table's entries start over. */
const MAX_KEPT_PER_TABLE = 64;
/** Range scans for one set of kept partitions at most (one per run of adjacent kept partitions). */
const MAX_RANGES = 32;

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

/**
 * DuckDB aggregate: the bytes of a column summed over the rows read (valueSizeSql summed, 0 over no
 * rows). A top-level column of a fixed size or a STRING, BYTES or JSON column counts its non-NULL
 * values instead of summing a CASE per row: the same sum, in about two thirds of the scan's time.
 */
export function columnSumSql(field: Pick<TableFieldSchema, 'name' | 'type' | 'mode' | 'fields'>): string {
  const c = quoteIdent(field.name);
  const type = field.type.toUpperCase();
  if (field.mode !== 'REPEATED') {
    const fixed = FIXED[type];
    if (fixed !== undefined) return `(count(${c}) * ${fixed})`;
    if (type === 'STRING') return `(coalesce(sum(strlen(${c})), 0) + 2 * count(${c}))`;
    if (type === 'BYTES') return `(coalesce(sum(octet_length(${c})), 0) + 2 * count(${c}))`;
    if (type === 'JSON') return `coalesce(sum(strlen(CAST(${c} AS VARCHAR))), 0)`;
  }
  return `coalesce(sum(${valueSizeSql(field, c)}), 0)`;
}

/** Sizes per column (lower-case names), cached per table and kept partitions until the table changes. */
export class ColumnSizes {
  private readonly cache = new Map<string, Map<string, Sizes>>();
  /** Per table: the sizes of each partition (by its start as text; null for the NULL partition), from one grouped scan. */
  private readonly partitions = new Map<string, Map<string | null, Sizes>>();
  /** Per table: the extent of its hour or day partitioning column, from a scan of that column alone. */
  private readonly spans = new Map<string, ColumnSpan>();

  invalidate(ref?: TableReference): void {
    if (!ref) {
      this.cache.clear();
      this.partitions.clear();
      this.spans.clear();
    } else {
      this.cache.delete(tableKey(ref));
      this.partitions.delete(tableKey(ref));
      this.spans.delete(tableKey(ref));
    }
  }

  /**
   * The sizes of the `wanted` columns (every column for 'all'): only columns not sized since the
   * table's last write are scanned, so a statement naming two columns of a wide table scans two.
   */
  async sizes(conn: DuckDBConnection, ref: TableReference, meta: TableResource, kept?: KeptPartitions, wanted: Set<string> | 'all' = 'all'): Promise<Map<string, number>> {
    const key = tableKey(ref);
    // a materialized view's rows change with its base tables, whose writes do not invalidate it: never kept
    if (meta.type === 'MATERIALIZED_VIEW') this.invalidate(ref);
    let perTable = this.cache.get(key);
    if (!perTable) {
      perTable = new Map();
      this.cache.set(key, perTable);
    }
    const which = kept?.key ?? '';
    let sizes = perTable.get(which);
    const fields = (meta.schema?.fields ?? []).filter((f) => (wanted === 'all' || wanted.has(f.name.toLowerCase())) && !sizes?.has(f.name.toLowerCase()));
    if (sizes && fields.length === 0) return sizes;
    const found: Sizes = new Map();
    if (kept && fields.length > 0) {
      // sum the kept partitions' sizes: the condition is checked on partition starts, not on the rows
      const ranged = this.partitions.has(key) ? undefined : await this.keptByRanges(conn, ref, fields, kept);
      if (ranged) {
        for (const [name, bytes] of ranged) found.set(name, bytes);
      } else {
        const byPartition = await this.partitionSizes(conn, ref, fields, kept);
        for (const start of await keptStarts(conn, kept, [...byPartition.keys()])) {
          for (const f of fields) {
            const name = f.name.toLowerCase();
            found.set(name, (found.get(name) ?? 0) + (byPartition.get(start)?.get(name) ?? 0));
          }
        }
      }
      for (const f of fields) if (!found.has(f.name.toLowerCase())) found.set(f.name.toLowerCase(), 0);
    } else if (fields.length > 0) {
      const row = (await this.scan(conn, ref, fields, ''))[0];
      fields.forEach((f, i) => found.set(f.name.toLowerCase(), Number(row?.[i] ?? 0)));
    }
    if (!sizes) {
      // one entry per distinct set of kept partitions (a checkpoint, a parameter value) until the table is written
      if (perTable.size >= MAX_KEPT_PER_TABLE) perTable.clear();
      sizes = new Map();
      perTable.set(which, sizes);
    }
    for (const [name, bytes] of found) sizes.set(name, bytes);
    return sizes;
  }

  /**
   * The kept partitions' sizes for hour and day partitions of a timestamp column, reading only
   * their rows: the kept partitions from the partitioning column's extent alone, then the sizes
   * over ranges of that column that DuckDB prunes by zone maps. Undefined (the caller runs the
   * grouped scan of the whole table, which then answers every other set of kept partitions from
   * the cache until the next write) for other partitionings, for an extent of more partitions
   * than can be listed cheaply, and when the kept partitions hold more than half of the table's
   * rows or would need more than MAX_RANGES scans: there the one grouped scan costs about as much.
   */
  private async keptByRanges(conn: DuckDBConnection, ref: TableReference, fields: TableFieldSchema[], kept: KeptPartitions): Promise<Sizes | undefined> {
    const aligned = alignedStart(kept.start);
    if (!aligned) return undefined;
    const key = tableKey(ref);
    let span = this.spans.get(key);
    if (!span) {
      span = await columnSpan(conn, ref, aligned);
      this.spans.set(key, span);
    }
    const keys = await keptKeys(conn, span, aligned, kept);
    if (!keys) return undefined;
    const ranges = keptRanges(keys, aligned, kept.duckType);
    if (ranges.length > MAX_RANGES) return undefined;
    const [keptRows = 0] = await sumOverRanges(conn, ref, ['count(*)'], ranges);
    if (keptRows * 2 > span.rows) return undefined;
    const totals = await sumOverRanges(conn, ref, fields.map(columnSumSql), ranges);
    return new Map(fields.map((f, i) => [f.name.toLowerCase(), totals[i] ?? 0]));
  }

  /** Each partition's sizes of `fields`, from one grouped scan of the columns not yet sized since the last write. */
  private async partitionSizes(conn: DuckDBConnection, ref: TableReference, fields: TableFieldSchema[], kept: KeptPartitions): Promise<Map<string | null, Sizes>> {
    const key = tableKey(ref);
    let out = this.partitions.get(key);
    const known = out ? (out.values().next().value as Sizes | undefined) : undefined;
    const missing = out ? fields.filter((f) => known !== undefined && !known.has(f.name.toLowerCase())) : fields;
    if (out && missing.length === 0) return out;
    out ??= new Map();
    const rows = await this.scan(conn, ref, missing, kept.start);
    for (const row of rows) {
      const start = row[missing.length];
      const at = start === null || start === undefined ? null : String(start);
      const sizes = out.get(at) ?? new Map<string, number>();
      missing.forEach((f, i) => sizes.set(f.name.toLowerCase(), Number(row[i] ?? 0)));
      out.set(at, sizes);
    }
    this.partitions.set(key, out);
    return out;
  }

  /** Each column's bytes summed over the table, or per partition start (the last value of each row) when `groupBy` is given. */
  private async scan(conn: DuckDBConnection, ref: TableReference, fields: TableFieldSchema[], groupBy: string): Promise<DuckDBValue[][]> {
    const exprs = fields.map(columnSumSql);
    const aligned = groupBy ? alignedStart(groupBy) : undefined;
    if (aligned) return (await conn.runAndReadAll(`SELECT ${[...exprs, `CAST(date_trunc('${aligned.unit}', min(${aligned.column})) AS VARCHAR)`].join(', ')} FROM ${tableSql(ref)} GROUP BY ${aligned.key}`)).getRows();
    if (groupBy) return (await conn.runAndReadAll(`SELECT ${[...exprs, `CAST(${groupBy} AS VARCHAR)`].join(', ')} FROM ${tableSql(ref)} GROUP BY ${exprs.length + 1}`)).getRows();
    if (exprs.length === 0) return [[]];
    return (await conn.runAndReadAll(`SELECT ${exprs.join(', ')} FROM ${tableSql(ref)}`)).getRows();
  }
}

/** The starts (as text; null for the NULL partition) among `starts` whose partitions the condition keeps. */
async function keptStarts(conn: DuckDBConnection, kept: KeptPartitions, starts: (string | null)[]): Promise<(string | null)[]> {
  if (starts.length === 0) return [];
  const column = quoteIdent(kept.column);
  const list = `$${kept.values.length + 1}`;
  const rows = (await conn.runAndReadAll(
    `SELECT CAST(${column} AS VARCHAR) FROM (SELECT CAST(unnest(CAST(${list} AS VARCHAR[])) AS ${kept.duckType}) AS ${column}) WHERE ${kept.sql}`,
    [...kept.values, listValue(starts)],
    // typed: a list whose first start is NULL (the NULL partition) is not inferred as text
    [...kept.values.map(() => VARCHAR), LIST(VARCHAR)],
  )).getRows();
  return rows.map(([start]) => (start === null || start === undefined ? null : String(start)));
}

function tableKey(ref: TableReference): string {
  return `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
}
