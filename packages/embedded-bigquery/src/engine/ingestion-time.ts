/**
 * Ingestion-time partitioning (`PARTITION BY _PARTITIONDATE`, `DATE(_PARTITIONTIME)`,
 * `TIMESTAMP_TRUNC(_PARTITIONTIME, HOUR)`, or `timePartitioning` with no field): the DuckDB table
 * carries two hidden columns, `_PARTITIONTIME` (TIMESTAMP, the ingestion time truncated to the
 * partition unit) and `_PARTITIONDATE` (its DATE), filled by their DEFAULTs when rows arrive. They
 * are left out of the table's schema, `SELECT *`, tabledata and INFORMATION_SCHEMA.COLUMNS, as
 * BigQuery's pseudo-columns are, and can be selected and filtered by name. A partition decorator
 * (`table$20240105`) on a load or insertAll puts the rows in that partition instead.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError, type TableReference, type TableResource } from './types.js';
import { quoteString } from './type-mapping.js';
import { tableSql } from './catalog.js';

export const PSEUDO_COLUMNS = ['_PARTITIONTIME', '_PARTITIONDATE'] as const;

export function isIngestionTime(meta: Pick<TableResource, 'timePartitioning' | 'type'> | undefined): boolean {
  return !!meta?.timePartitioning && !meta.timePartitioning.field && meta.type !== 'VIEW';
}

export function isPseudoColumn(name: string): boolean {
  return /^_PARTITION(TIME|DATE)$/i.test(name);
}

const UNITS: Record<string, string> = { HOUR: 'hour', DAY: 'day', MONTH: 'month', YEAR: 'year' };

function unitOf(meta: TableResource): string {
  return UNITS[meta.timePartitioning?.type ?? 'DAY'] ?? 'day';
}

/** Each pseudo-column's DEFAULT: now, truncated to the partition unit (or a decorator's partition). */
function defaults(meta: TableResource, at?: string): [string, string] {
  const time = at ? `TIMESTAMPTZ ${quoteString(at)}` : `date_trunc(${quoteString(unitOf(meta))}, current_timestamp)`;
  return [time, `CAST(${time} AS DATE)`];
}

/** Adds the hidden columns to a table that lacks them (rows already there were ingested now), or resets their DEFAULTs. */
export async function ensurePseudoColumns(conn: DuckDBConnection, meta: TableResource, present: ReadonlySet<string>): Promise<void> {
  const target = tableSql(meta.tableReference);
  const [time, date] = defaults(meta);
  // (ADD COLUMN ... DEFAULT <not a constant> fails inside a transaction once the configuration is
  // locked, DuckDB 1.5: so the column is added bare, given its DEFAULT, and the rows already there filled)
  for (const [name, type, value] of [['_PARTITIONTIME', 'TIMESTAMPTZ', time], ['_PARTITIONDATE', 'DATE', date]] as const) {
    const added = !present.has(name.toLowerCase());
    if (added) await conn.run(`ALTER TABLE ${target} ADD COLUMN ${name} ${type}`);
    await conn.run(`ALTER TABLE ${target} ALTER COLUMN ${name} SET DEFAULT ${value}`);
    if (added) await conn.run(`UPDATE ${target} SET ${name} = ${value}`);
  }
}

/**
 * After a statement that may have set `_PARTITIONTIME` (INSERT naming it, UPDATE SET it): every
 * value must be a partition boundary, as BigQuery requires, and `_PARTITIONDATE` follows it.
 */
export async function syncPartitionDate(conn: DuckDBConnection, meta: TableResource): Promise<void> {
  const target = tableSql(meta.tableReference);
  const unit = quoteString(unitOf(meta));
  const off = await conn.runAndReadAll(`SELECT count(*) FROM ${target} WHERE _PARTITIONTIME IS NULL OR _PARTITIONTIME <> date_trunc(${unit}, _PARTITIONTIME)`);
  if (Number(off.getRows()[0]?.[0] ?? 0) > 0) {
    const { datasetId, tableId } = meta.tableReference;
    throw new BigQueryApiError('invalidQuery', `_PARTITIONTIME of ${datasetId}.${tableId} must be a ${unitOf(meta)} boundary (for example TIMESTAMP("2017-05-01") for a day), never NULL`);
  }
  await conn.run(`UPDATE ${target} SET _PARTITIONDATE = CAST(_PARTITIONTIME AS DATE) WHERE _PARTITIONDATE IS DISTINCT FROM CAST(_PARTITIONTIME AS DATE)`);
}

/** `table$YYYYMMDD` (or `$YYYYMMDDHH`, `$YYYYMM`, `$YYYY`): the table and the partition's start as a UTC timestamp. */
export function splitDecorator(ref: TableReference): { ref: TableReference; partition?: string } {
  const at = ref.tableId.indexOf('$');
  if (at < 0) return { ref };
  const id = ref.tableId.slice(at + 1);
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?$/.exec(id);
  if (!m) throw new BigQueryApiError('invalid', `Invalid partition decorator "$${id}" of table ${ref.tableId.slice(0, at)}: use $YYYYMMDD (or $YYYYMMDDHH, $YYYYMM, $YYYY)`);
  const [, y, mo = '01', d = '01', h = '00'] = m;
  const iso = `${y}-${mo}-${d}T${h}:00:00Z`;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 13) !== iso.slice(0, 13)) {
    throw new BigQueryApiError('invalid', `Invalid partition decorator "$${id}" of table ${ref.tableId.slice(0, at)}: not a date`);
  }
  return { ref: { ...ref, tableId: ref.tableId.slice(0, at) }, partition: `${y}-${mo}-${d} ${h}:00:00+00` };
}

/** A decorated write's table must be ingestion-time partitioned, and the decorator must name one of its partitions. */
export function checkDecorated(meta: TableResource, partition: string): void {
  const ref = meta.tableReference;
  if (!isIngestionTime(meta)) {
    throw new BigQueryApiError('invalid', `Writing to a partition decorator is supported by the embedded BigQuery only for ingestion-time partitioned tables; ${ref.datasetId}.${ref.tableId} is not one`);
  }
  const unit = unitOf(meta);
  const [date, time] = partition.split(' ');
  const [, mo, d] = date!.split('-');
  const exact = unit === 'hour' || (time === '00:00:00+00' && (unit === 'day' || (d === '01' && (unit === 'month' || mo === '01'))));
  if (!exact) throw new BigQueryApiError('invalid', `Partition decorator of ${ref.datasetId}.${ref.tableId} does not match its ${unit} partitioning`);
}

/**
 * fn with the pseudo-columns' DEFAULTs pointing at one partition (a decorated write; the caller
 * holds the table's write turn, so no other write sees them), set back however fn ends;
 * WRITE_TRUNCATE of a decorated write empties only that partition first.
 */
export async function intoPartition<T>(conn: DuckDBConnection, meta: TableResource, partition: string, truncate: boolean, fn: () => Promise<T>): Promise<T> {
  const target = tableSql(meta.tableReference);
  const point = async ([time, date]: [string, string]): Promise<void> => {
    await conn.run(`ALTER TABLE ${target} ALTER COLUMN _PARTITIONTIME SET DEFAULT ${time}`);
    await conn.run(`ALTER TABLE ${target} ALTER COLUMN _PARTITIONDATE SET DEFAULT ${date}`);
  };
  const at = defaults(meta, partition);
  if (truncate) await conn.run(`DELETE FROM ${target} WHERE _PARTITIONTIME = ${at[0]}`);
  await point(at);
  try {
    return await fn();
  } finally {
    await point(defaults(meta));
  }
}
