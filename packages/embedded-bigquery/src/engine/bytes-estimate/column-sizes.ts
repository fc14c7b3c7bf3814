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
  private readonly cache = new Map<string, Map<string, Sizes>>();
  /** Per table: the sizes of each partition (by its start as text; null for the NULL partition), from one grouped scan. */
  private readonly partitions = new Map<string, Map<string | null, Sizes>>();

  invalidate(ref?: TableReference): void {
    if (!ref) {
      this.cache.clear();
      this.partitions.clear();
    } else {
      this.cache.delete(tableKey(ref));
      this.partitions.delete(tableKey(ref));
    }
  }

  async sizes(conn: DuckDBConnection, ref: TableReference, meta: TableResource, kept?: KeptPartitions): Promise<Map<string, number>> {
    const key = tableKey(ref);
    // a materialized view's rows change with its base tables, whose writes do not invalidate it: never kept
    if (meta.type === 'MATERIALIZED_VIEW') this.invalidate(ref);
    let perTable = this.cache.get(key);
    if (!perTable) {
      perTable = new Map();
      this.cache.set(key, perTable);
    }
    const which = kept?.key ?? '';
    const cached = perTable.get(which);
    if (cached) return cached;
    const sizes: Sizes = new Map();
    if (kept) {
      // sum the kept partitions' sizes: the condition is checked on partition starts, not on the rows
      const byPartition = await this.partitionSizes(conn, ref, meta, kept);
      const starts = [...byPartition.keys()];
      const column = quoteIdent(kept.column);
      const list = `$${kept.values.length + 1}`;
      const keptStarts = starts.length === 0 ? [] : (await conn.runAndReadAll(
        `SELECT CAST(${column} AS VARCHAR) FROM (SELECT CAST(unnest(CAST(${list} AS VARCHAR[])) AS ${kept.duckType}) AS ${column}) WHERE ${kept.sql}`,
        [...kept.values, listValue(starts)],
        // typed: a list whose first start is NULL (the NULL partition) is not inferred as text
        [...kept.values.map(() => VARCHAR), LIST(VARCHAR)],
      )).getRows();
      for (const [start] of keptStarts) {
        for (const [name, bytes] of byPartition.get(start === null ? null : String(start)) ?? []) sizes.set(name, (sizes.get(name) ?? 0) + bytes);
      }
      for (const f of meta.schema?.fields ?? []) if (!sizes.has(f.name.toLowerCase())) sizes.set(f.name.toLowerCase(), 0);
    } else {
      const row = (await this.scan(conn, ref, meta, ''))[0];
      (meta.schema?.fields ?? []).forEach((f, i) => sizes.set(f.name.toLowerCase(), Number(row?.[i] ?? 0)));
    }
    // one entry per distinct set of kept partitions (a checkpoint, a parameter value) until the table is written
    if (perTable.size >= MAX_KEPT_PER_TABLE) perTable.clear();
    perTable.set(which, sizes);
    return sizes;
  }

  private async partitionSizes(conn: DuckDBConnection, ref: TableReference, meta: TableResource, kept: KeptPartitions): Promise<Map<string | null, Sizes>> {
    const key = tableKey(ref);
    const cached = this.partitions.get(key);
    if (cached) return cached;
    const fields = meta.schema?.fields ?? [];
    const out = new Map<string | null, Sizes>();
    for (const row of await this.scan(conn, ref, meta, kept.start)) {
      const start = row[fields.length];
      out.set(start === null || start === undefined ? null : String(start), new Map(fields.map((f, i) => [f.name.toLowerCase(), Number(row[i] ?? 0)])));
    }
    this.partitions.set(key, out);
    return out;
  }

  /** Each column's bytes summed over the table, or per partition start (the last value of each row) when `groupBy` is given. */
  private async scan(conn: DuckDBConnection, ref: TableReference, meta: TableResource, groupBy: string): Promise<DuckDBValue[][]> {
    const exprs = (meta.schema?.fields ?? []).map((f) => `coalesce(sum(${valueSizeSql(f, quoteIdent(f.name))}), 0)`);
    const aligned = groupBy ? alignedStart(groupBy) : undefined;
    if (aligned) return (await conn.runAndReadAll(`SELECT ${[...exprs, `CAST(date_trunc('${aligned.unit}', min(${aligned.column})) AS VARCHAR)`].join(', ')} FROM ${tableSql(ref)} GROUP BY ${aligned.key}`)).getRows();
    if (groupBy) return (await conn.runAndReadAll(`SELECT ${[...exprs, `CAST(${groupBy} AS VARCHAR)`].join(', ')} FROM ${tableSql(ref)} GROUP BY ${exprs.length + 1}`)).getRows();
    if (exprs.length === 0) return [[]];
    return (await conn.runAndReadAll(`SELECT ${exprs.join(', ')} FROM ${tableSql(ref)}`)).getRows();
  }
}

const UNIT_MICROS = { hour: 3_600_000_000, day: 86_400_000_000 } as const;

/**
 * For hour and day partitions of a timestamp column (`date_trunc('day', "ts")`), the same groups by
 * arithmetic on its epoch microseconds: the session time zone is UTC, so those partitions are
 * fixed lengths of time (floored, so instants before 1970 fall in theirs). DuckDB's date_trunc on
 * TIMESTAMPTZ goes through ICU for every row, over ten times the cost of the sums themselves; with
 * the key it runs once per partition, on the partition's first value.
 */
function alignedStart(start: string): { unit: keyof typeof UNIT_MICROS; column: string; key: string } | undefined {
  const match = /^date_trunc\('(hour|day)', ("(?:[^"]|"")+")\)$/.exec(start);
  if (!match) return undefined;
  const unit = match[1] as keyof typeof UNIT_MICROS;
  const column = match[2] as string;
  const us = `epoch_us(${column})`;
  const size = UNIT_MICROS[unit];
  return { unit, column, key: `(${us} - ((${us} % ${size}) + ${size}) % ${size})` };
}

function tableKey(ref: TableReference): string {
  return `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
}
