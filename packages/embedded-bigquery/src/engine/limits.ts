/**
 * BigQuery's limits the engine enforces, with BigQuery's wording: the DATE/DATETIME/TIMESTAMP
 * range (0001-01-01 to 9999-12-31; DuckDB's own range is far wider, so a year-10000 value would
 * otherwise be stored and rendered as `+010000-...`), and the row sizes of load jobs and insertAll.
 */
import { BigQueryApiError } from './types.js';

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z as microseconds since the epoch. */
export const MIN_MICROS = -62135596800000000n;
export const MAX_MICROS = 253402300799999999n;
/** 0001-01-01 and 9999-12-31 as days since the epoch. */
export const MIN_DAYS = -719162;
export const MAX_DAYS = 2932896;

export type RangedType = 'TIMESTAMP' | 'DATETIME' | 'DATE';

export const RANGE_MESSAGES: Record<RangedType, string> = {
  TIMESTAMP: 'TIMESTAMP value is out of allowed range: from 0001-01-01 00:00:00.000000+00 to 9999-12-31 23:59:59.999999+00.',
  DATETIME: 'DATETIME value is out of allowed range: from 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999.',
  DATE: 'DATE value is out of allowed range: from 0001-01-01 to 9999-12-31.',
};

/** Load jobs: "Maximum row and cell size" of CSV and JSON data is 100 MB. */
export const MAX_LOAD_ROW_BYTES = 100 * 1024 * 1024;
/** tabledata.insertAll: maximum row size 10 MB. */
export const MAX_INSERT_ROW_BYTES = 10 * 1024 * 1024;

/** SQL that is true when x (a DuckDB DATE, TIMESTAMP or TIMESTAMPTZ) lies outside BigQuery's range. */
export function outOfRangeSql(type: RangedType, x: string): string {
  if (type === 'DATE') return `(${x} < DATE '0001-01-01' OR ${x} > DATE '9999-12-31')`;
  return `(epoch_us(${x}) < ${MIN_MICROS} OR epoch_us(${x}) > ${MAX_MICROS})`;
}

/** Which range applies to a BigQuery column type, if any. */
export function rangedType(type: string): RangedType | undefined {
  return type === 'TIMESTAMP' || type === 'DATETIME' || type === 'DATE' ? type : undefined;
}

/** A value read back from DuckDB (microseconds or days) outside the range: BigQuery could never have produced it. */
export function checkMicros(type: 'TIMESTAMP' | 'DATETIME', micros: bigint): void {
  if (micros < MIN_MICROS || micros > MAX_MICROS) throw new BigQueryApiError('invalidQuery', RANGE_MESSAGES[type]);
}

export function checkDays(days: number): void {
  if (days < MIN_DAYS || days > MAX_DAYS) throw new BigQueryApiError('invalidQuery', RANGE_MESSAGES.DATE);
}

/** A DATE, DATETIME or TIMESTAMP literal's text must carry a four-digit year from 0001 (GoogleSQL's literal grammar). */
export function checkLiteralYear(type: string, text: string): void {
  const m = /^\s*(\d{4})-\d{1,2}-\d{1,2}(?![0-9])/.exec(text);
  if (!m || Number(m[1]) < 1) throw new BigQueryApiError('invalidQuery', `Invalid ${type} literal: ${JSON.stringify(text)}`);
}

/** x wrapped in the macro that fails (or, in SAFE. calls and SAFE_CAST, gives NULL) outside the range. */
export function rangeChecked(type: RangedType, x: string, safe = false): string {
  return `bq_check_${type.toLowerCase()}${safe ? '_safe' : ''}(${x})`;
}

/** The range-checking macros (installed with the others in sql/functions/macros.ts). */
export const RANGE_MACROS = (['TIMESTAMP', 'DATETIME', 'DATE'] as const).map(
  (t) => `CREATE OR REPLACE TEMP MACRO bq_check_${t.toLowerCase()}(x) AS CASE WHEN ${outOfRangeSql(t, 'x')} THEN error('${RANGE_MESSAGES[t]}') ELSE x END`,
);

/**
 * A column constraint keeping a top-level DATE/DATETIME/TIMESTAMP column in BigQuery's range, so
 * no INSERT, UPDATE or MERGE can store what BigQuery would refuse (operator arithmetic included).
 * The DATETIME form casts, so that a failure names its type (see rangeOfCheckFailure).
 */
export function rangeConstraint(type: string, mode: string | undefined, quotedName: string): string {
  const t = mode === 'REPEATED' ? undefined : rangedType(type);
  if (t === 'DATE') return ` CHECK (${quotedName} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31')`;
  if (t === 'TIMESTAMP') return ` CHECK (epoch_us(${quotedName}) BETWEEN ${MIN_MICROS} AND ${MAX_MICROS})`;
  if (t === 'DATETIME') return ` CHECK (epoch_us(CAST(${quotedName} AS TIMESTAMP)) BETWEEN ${MIN_MICROS} AND ${MAX_MICROS})`;
  return '';
}

/** The type whose range a DuckDB "CHECK constraint failed" message is about, when it is one of ours. */
export function rangeOfCheckFailure(message: string): RangedType | undefined {
  if (!/CHECK constraint failed/.test(message)) return undefined;
  if (message.includes(`BETWEEN ${MIN_MICROS} AND ${MAX_MICROS}`)) return /CAST\(.*TIMESTAMP/.test(message) ? 'DATETIME' : 'TIMESTAMP';
  if (/BETWEEN CAST\('0001-01-01' AS "?DATE"?\) AND CAST\('9999-12-31' AS "?DATE"?\)/.test(message)) return 'DATE';
  return undefined;
}
