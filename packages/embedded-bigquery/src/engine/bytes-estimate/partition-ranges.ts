/**
 * Hour and day partitions of a TIMESTAMP or DATETIME column, located without reading the other
 * columns: the kept partitions come from the partitioning column's extent alone (its first and
 * last values, floored to the unit, and whether it has NULLs), every partition start in it checked
 * against the query's condition, and the rows of the kept partitions are selected by ranges on the
 * raw column, which DuckDB answers from its zone maps instead of reading every row.
 */
import { VARCHAR, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { tableSql } from '../catalog.js';
import { quoteIdent } from '../type-mapping.js';
import type { TableReference } from '../types.js';

const UNIT_MICROS = { hour: 3_600_000_000n, day: 86_400_000_000n } as const;

export interface AlignedStart {
  unit: keyof typeof UNIT_MICROS;
  /** The partitioning column, quoted. */
  column: string;
  /** A row's partition start as epoch microseconds (NULL for the NULL partition). */
  key: string;
}

/**
 * For hour and day partitions of a timestamp column (`date_trunc('day', "ts")`), the same groups by
 * arithmetic on its epoch microseconds: the session time zone is UTC, so those partitions are
 * fixed lengths of time (floored, so instants before 1970 fall in theirs). DuckDB's date_trunc on
 * TIMESTAMPTZ goes through ICU for every row, over ten times the cost of the sums themselves; with
 * the key it runs once per partition, on the partition's first value.
 */
export function alignedStart(start: string): AlignedStart | undefined {
  const match = /^date_trunc\('(hour|day)', ("(?:[^"]|"")+")\)$/.exec(start);
  if (!match) return undefined;
  const unit = match[1] as keyof typeof UNIT_MICROS;
  const column = match[2] as string;
  return { unit, column, key: keyOf(column, unit) };
}

/** The partition key of a value `expr`: its epoch microseconds floored to the unit. */
function keyOf(expr: string, unit: keyof typeof UNIT_MICROS): string {
  const us = `epoch_us(${expr})`;
  const size = UNIT_MICROS[unit];
  return `(${us} - ((${us} % ${size}) + ${size}) % ${size})`;
}

/** The partitioning column's extent: the first and last partition keys (null when no row has a value), rows, NULL rows. */
export interface ColumnSpan {
  first: bigint | null;
  last: bigint | null;
  rows: number;
  nulls: number;
}

/** Partitions a span may hold at most for its kept partitions to be found by listing them; past it the grouped scan. */
const MAX_CANDIDATES = 50_000;

/** One scan of the partitioning column alone: its extent in partition keys and its NULLs. */
export async function columnSpan(conn: DuckDBConnection, ref: TableReference, aligned: AlignedStart): Promise<ColumnSpan> {
  const row = (await conn.runAndReadAll(
    `SELECT ${keyOf(`min(${aligned.column})`, aligned.unit)}, ${keyOf(`max(${aligned.column})`, aligned.unit)}, count(*), count(${aligned.column}) FROM ${tableSql(ref)}`,
  )).getRows()[0] ?? [];
  const key = (v: DuckDBValue | undefined) => (v === null || v === undefined ? null : BigInt(v as bigint));
  return { first: key(row[0]), last: key(row[1]), rows: Number(row[2] ?? 0), nulls: Number(row[2] ?? 0) - Number(row[3] ?? 0) };
}

/** The condition on a partition's start and its values (KeptPartitions). */
interface KeptCondition {
  sql: string;
  values: DuckDBValue[];
  column: string;
  duckType: string;
}

/**
 * The keys of the partitions within the span whose start passes the condition (null for the NULL
 * partition when the table has NULLs and the condition keeps it): every partition start from the
 * first to the last is checked, so one that holds no row may be among them, and adds no rows.
 * Undefined when the span holds more than MAX_CANDIDATES partitions.
 */
export async function keptKeys(conn: DuckDBConnection, span: ColumnSpan, aligned: AlignedStart, kept: KeptCondition): Promise<(bigint | null)[] | undefined> {
  const size = UNIT_MICROS[aligned.unit];
  const parts: string[] = [];
  if (span.first !== null && span.last !== null) {
    if ((span.last - span.first) / size + 1n > BigInt(MAX_CANDIDATES)) return undefined;
    parts.push(`SELECT k, CAST(make_timestamp(k) AS ${kept.duckType}) AS c FROM range(${span.first.toString()}::BIGINT, ${(span.last + size).toString()}::BIGINT, ${size.toString()}::BIGINT) r(k)`);
  }
  // named: it may be the only part (every partitioning value NULL), which names the union's columns
  if (span.nulls > 0) parts.push(`SELECT NULL::BIGINT AS k, NULL::${kept.duckType} AS c`);
  if (parts.length === 0) return [];
  const column = quoteIdent(kept.column);
  const rows = (await conn.runAndReadAll(
    `SELECT k FROM (SELECT k, c AS ${column} FROM (${parts.join(' UNION ALL ')})) WHERE ${kept.sql}`,
    kept.values, kept.values.map(() => VARCHAR),
  )).getRows();
  return rows.map(([k]) => (k === null || k === undefined ? null : BigInt(k as bigint)));
}

/**
 * DuckDB conditions that select exactly the rows of the kept partitions, one per run of adjacent
 * kept partitions, and `col IS NULL` for the NULL partition. Run one scan per condition: DuckDB
 * prunes row groups by a range, not by an OR of ranges.
 */
export function keptRanges(keys: (bigint | null)[], aligned: AlignedStart, duckType: string): string[] {
  const size = UNIT_MICROS[aligned.unit];
  const bound = (us: bigint) => `CAST(make_timestamp(${us.toString()}::BIGINT) AS ${duckType})`;
  const ordered = keys.filter((k): k is bigint => k !== null).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: string[] = [];
  for (let i = 0; i < ordered.length;) {
    let j = i;
    while (j + 1 < ordered.length && ordered[j + 1] === ordered[j]! + size) j++;
    out.push(`${aligned.column} >= ${bound(ordered[i]!)} AND ${aligned.column} < ${bound(ordered[j]! + size)}`);
    i = j + 1;
  }
  if (keys.includes(null)) out.push(`${aligned.column} IS NULL`);
  return out;
}

/** Each expression summed over the rows of every condition (the conditions select disjoint rows). */
export async function sumOverRanges(conn: DuckDBConnection, ref: TableReference, exprs: string[], ranges: string[]): Promise<number[]> {
  const totals = exprs.map(() => 0);
  if (ranges.length === 0 || exprs.length === 0) return totals;
  const sql = ranges.map((r) => `SELECT ${exprs.join(', ')} FROM ${tableSql(ref)} WHERE ${r}`).join(' UNION ALL ');
  for (const row of (await conn.runAndReadAll(sql)).getRows()) {
    row.forEach((v, i) => { totals[i]! += Number(v ?? 0); });
  }
  return totals;
}
