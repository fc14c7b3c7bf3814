/**
 * Hour and day partitions of a TIMESTAMP or DATETIME column, located without reading the other
 * columns: the partitions that exist come from the partitioning column alone (its epoch
 * microseconds, floored to the unit), and the rows of the partitions a query keeps are selected by
 * ranges on the raw column, which DuckDB answers from its zone maps instead of reading every row.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { tableSql } from '../catalog.js';
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
  const us = `epoch_us(${column})`;
  const size = UNIT_MICROS[unit];
  return { unit, column, key: `(${us} - ((${us} % ${size}) + ${size}) % ${size})` };
}

/** One partition that has rows: its start as text (what the grouped scan gives), its key, its rows. */
export interface PartitionStart {
  text: string | null;
  key: bigint | null;
  rows: number;
}

/** The table's partitions, from one grouped scan of the partitioning column. */
export async function partitionStarts(conn: DuckDBConnection, ref: TableReference, aligned: AlignedStart): Promise<PartitionStart[]> {
  const rows = (await conn.runAndReadAll(
    `SELECT ${aligned.key}, CAST(date_trunc('${aligned.unit}', min(${aligned.column})) AS VARCHAR), count(*) FROM ${tableSql(ref)} GROUP BY 1`,
  )).getRows();
  return rows.map(([key, text, n]) => ({
    key: key === null || key === undefined ? null : BigInt(key as bigint),
    text: text === null || text === undefined ? null : String(text),
    rows: Number(n),
  }));
}

/**
 * DuckDB conditions that select exactly the rows of the kept partitions, one per run of kept
 * partitions adjacent among those that exist (a gap without rows adds no rows), and `col IS NULL`
 * for the NULL partition. Run one scan per condition: DuckDB prunes row groups by a range, not by
 * an OR of ranges.
 */
export function keptRanges(all: PartitionStart[], kept: Set<string | null>, aligned: AlignedStart, duckType: string): string[] {
  const size = UNIT_MICROS[aligned.unit];
  const bound = (us: bigint) => `CAST(make_timestamp(${us.toString()}::BIGINT) AS ${duckType})`;
  const ordered = all.filter((p) => p.key !== null).sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : 0));
  const out: string[] = [];
  let first: bigint | null = null;
  let last: bigint | null = null;
  const close = () => {
    if (first !== null && last !== null) out.push(`${aligned.column} >= ${bound(first)} AND ${aligned.column} < ${bound(last + size)}`);
    first = null;
    last = null;
  };
  for (const p of ordered) {
    if (!kept.has(p.text)) {
      close();
      continue;
    }
    first ??= p.key;
    last = p.key;
  }
  close();
  if (all.some((p) => p.key === null && kept.has(null))) out.push(`${aligned.column} IS NULL`);
  return out;
}

/** Each size expression summed over the rows of every condition (the conditions select disjoint rows). */
export async function sumOverRanges(conn: DuckDBConnection, ref: TableReference, exprs: string[], ranges: string[]): Promise<number[]> {
  const totals = exprs.map(() => 0);
  if (ranges.length === 0 || exprs.length === 0) return totals;
  const sql = ranges.map((r) => `SELECT ${exprs.join(', ')} FROM ${tableSql(ref)} WHERE ${r}`).join(' UNION ALL ');
  for (const row of (await conn.runAndReadAll(sql)).getRows() as DuckDBValue[][]) {
    row.forEach((v, i) => { totals[i]! += Number(v ?? 0); });
  }
  return totals;
}
