/**
 * Values Postgres holds but BigQuery cannot, as per-row SQL conditions (quarantine reasons), so one
 * such row never fails a load job or a publish and never reaches the dedup filter:
 * - TIMESTAMP / DATETIME / DATE outside 0001-01-01..9999-12-31 (year 10000+, BC, ±infinity);
 * - NUMERIC outside NUMERIC(38, 9) and BIGNUMERIC outside BIGNUMERIC(76.76, 38), NaN and ±Infinity;
 * - FLOAT64 read from a numeric beyond a double's range (the cast itself would fail the batch);
 *   NaN and ±Infinity are valid FLOAT64 values and pass;
 * - STRING / JSON / BYTES values longer than BigQuery's row limit, and invalid UTF-8 (possible only
 *   when the source database's encoding is SQL_ASCII, where Postgres stores bytes unchecked).
 * INT64 needs nothing: only int2/int4/int8 carry it, and text parsed as int8 fails on overflow.
 */
import type { ColumnContract } from '../../contracts/schema/index.js';

export interface LimitCheck {
  condition: string;
  rule: string;
}

/**
 * BigQuery's largest row in a JSON load job (100 MB per its quotas page). One cell can be no larger,
 * so a value over it is quarantined on its own column; a row whose cells only add up to more is
 * caught by the row check.
 */
export const MAX_ROW_BYTES = 100 * 1024 * 1024;

const TIMESTAMP_BOUNDS = { lo: '0001-01-01 00:00:00', hi: '9999-12-31 23:59:59.999999' };

/** Condition true when a date/time value lies outside BigQuery's range (±infinity included); null stays null. */
export function dateRangeCondition(udt: string, ref: string): string | undefined {
  switch (udt) {
    case 'timestamptz':
      return `not (${ref} between timestamptz '${TIMESTAMP_BOUNDS.lo}+00' and timestamptz '${TIMESTAMP_BOUNDS.hi}+00')`;
    case 'timestamp':
      return `not (${ref} between timestamp '${TIMESTAMP_BOUNDS.lo}' and timestamp '${TIMESTAMP_BOUNDS.hi}')`;
    case 'date':
      return `not (${ref} between date '0001-01-01' and date '9999-12-31')`;
    default:
      return undefined;
  }
}

/** The same range as a condition for Postgres's lastRowSql: rows whose cursor BigQuery cannot hold never set the watermark. */
export function inTimestampRange(ref: string): string {
  return `${ref} between timestamptz '${TIMESTAMP_BOUNDS.lo}+00' and timestamptz '${TIMESTAMP_BOUNDS.hi}+00'`;
}

const NUMERIC_LIMITS = {
  NUMERIC: { max: '99999999999999999999999999999.999999999', scale: 9, name: 'NUMERIC(38, 9)' },
  BIGNUMERIC: { max: '578960446186580977117854925043439539266.34992332820282019728792003956564819967', scale: 38, name: 'BIGNUMERIC(76.76, 38)' },
} as const;

/** Checks on a numeric-typed expression `n` that carries a NUMERIC or BIGNUMERIC contract column. */
export function numericChecks(type: 'NUMERIC' | 'BIGNUMERIC', n: string): LimitCheck[] {
  const limit = NUMERIC_LIMITS[type];
  return [
    { condition: `${n} in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric)`, rule: `${type} cannot hold NaN or Infinity` },
    { condition: `${n} not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) and abs(${n}) > ${limit.max}`, rule: `outside the range of ${limit.name}` },
    // Exact test: rounding to the scale loses nothing (1.50000000000 passes, 1.0000000001 does not).
    { condition: `${n} not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) and ${n} <> round(${n}, ${limit.scale})`, rule: `more than ${limit.scale} decimal places (${limit.name})` },
  ];
}

/** A numeric read as FLOAT64 past a double's range would fail the cast (and with it the batch). */
export function floatFromNumericCheck(n: string): LimitCheck {
  return {
    condition: `${n} not in ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) and (abs(${n}) > 1.7976931348623157e308 or (${n} <> 0 and abs(${n}) < 2.2250738585072014e-308))`,
    rule: "outside FLOAT64's range",
  };
}

/**
 * Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing past U+10FFFF), as a regular
 * expression over bytes: in a SQL_ASCII database Postgres's regex engine sees one character per byte.
 */
const UTF8_SEQUENCE =
  '^([\\x01-\\x7f]|[\\xc2-\\xdf][\\x80-\\xbf]|\\xe0[\\xa0-\\xbf][\\x80-\\xbf]|[\\xe1-\\xec\\xee\\xef][\\x80-\\xbf]{2}|\\xed[\\x80-\\x9f][\\x80-\\xbf]|\\xf0[\\x90-\\xbf][\\x80-\\xbf]{2}|[\\xf1-\\xf3][\\x80-\\xbf]{3}|\\xf4[\\x80-\\x8f][\\x80-\\xbf]{2})*$';

/** Condition true when text `t` is not valid UTF-8; only meaningful (and only used) in a SQL_ASCII database. */
export function invalidUtf8Condition(t: string): string {
  // The cheap all-ASCII test first: nearly every value passes it and skips the full pattern.
  return `${t} !~ '^[\\x01-\\x7f]*$' and ${t} !~ '${UTF8_SEQUENCE}'`;
}

/** Bytes a value takes in the NDJSON row, up to JSON escaping: BYTES travel as base64 (4 per 3). */
export function stagedBytes(type: ColumnContract['type'], ref: string): string {
  return type === 'BYTES' ? `((octet_length(${ref}) + 2) / 3 * 4)` : `octet_length(${ref}::text)`;
}

/** Contract types whose values have no fixed size in the row. */
export function isVariableLength(type: ColumnContract['type']): boolean {
  return type === 'STRING' || type === 'JSON' || type === 'BYTES';
}
