/**
 * INTERVAL literals with a STRING (data-types#construct_interval): `INTERVAL '<n>' <part>` and
 * `INTERVAL '<parts>' <from> TO <to>` ('Y-M D H:M:S[.F]' and each shorter range), read when the SQL is
 * translated, as ZetaSQL's IntervalValue::ParseFromString reads them: one sign on the year-month group,
 * one on the days, one on the time group; minutes and seconds not bounded by 60. The value is built by
 * bq_make_interval (interval-functions.ts), which checks BigQuery's range. A malformed string is
 * "Invalid INTERVAL value '...'"; more than 6 fractional digits (nanoseconds, which BigQuery does not
 * keep) stays loud.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isOp, type Token } from './tokenizer.js';

const PARTS = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND'] as const;
const INT64_MAX = 2n ** 63n - 1n;
const MICROS: Record<string, bigint> = { HOUR: 3_600_000_000n, MINUTE: 60_000_000n, SECOND: 1_000_000n, MILLISECOND: 1000n, MICROSECOND: 1n };

const invalid = (text: string): BigQueryApiError => new BigQueryApiError('invalidQuery', `Invalid INTERVAL value '${text}'`);

/** A decimal field as ZetaSQL's SimpleAtoi reads it into an INT64 (beyond: a malformed value). */
function int64(digits: string, text: string): bigint {
  const v = BigInt(digits);
  if (v > INT64_MAX || v < -INT64_MAX - 1n) throw invalid(text);
  return v;
}

/** Microseconds of a fraction's digits (more than 6 digits stay loud). */
function fractionMicros(digits: string | undefined): bigint {
  if (!digits) return 0n;
  if (digits.length > 6) throw unsupported('An INTERVAL with nanoseconds');
  return BigInt(digits.padEnd(6, '0'));
}

const make = (months: bigint, days: bigint, micros: bigint): string => `bq_make_interval(${months}, ${days}, ${micros})`;

/** `INTERVAL 'text' part` (part upper-cased: YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND). */
export function intervalFromString(text: string, part: string): string {
  if (text === '' || /^\s|\s$/.test(text)) throw invalid(text);
  if (part === 'SECOND' && text.includes('.')) {
    const m = /^([-+])?(\d*)\.(\d+)$/.exec(text);
    if (!m) throw invalid(text);
    const micros = (m[2] ? int64(m[2], text) : 0n) * 1_000_000n + fractionMicros(m[3]);
    return make(0n, 0n, m[1] === '-' ? -micros : micros);
  }
  if (!/^[-+]?\d+$/.test(text)) throw invalid(text);
  const v = int64(text, text);
  if (part === 'YEAR') return make(v * 12n, 0n, 0n);
  if (part === 'QUARTER') return make(v * 3n, 0n, 0n);
  if (part === 'MONTH') return make(v, 0n, 0n);
  if (part === 'WEEK') return make(0n, v * 7n, 0n);
  if (part === 'DAY') return make(0n, v, 0n);
  const per = MICROS[part];
  if (per === undefined) throw new BigQueryApiError('invalidQuery', `Unsupported interval datetime field ${part}`);
  return make(0n, 0n, v * per);
}

/** `INTERVAL 'text' from TO to` (both upper-cased). */
export function intervalFromRange(text: string, from: string, to: string): string {
  const [f, t] = [PARTS.indexOf(from as (typeof PARTS)[number]), PARTS.indexOf(to as (typeof PARTS)[number])];
  if (f < 0 || t < 0 || t <= f) throw new BigQueryApiError('invalidQuery', `Invalid interval datetime fields: ${from} TO ${to}`);
  const has = (p: (typeof PARTS)[number]): boolean => PARTS.indexOf(p) >= f && PARTS.indexOf(p) <= t;
  const groups: string[] = [];
  if (has('YEAR')) groups.push('([-+])?(\\d+)-(\\d+)');
  else if (has('MONTH')) groups.push('([-+])?()(\\d+)');
  if (has('DAY')) groups.push('([-+]?\\d+)');
  const time = (['HOUR', 'MINUTE', 'SECOND'] as const).filter(has);
  if (time.length > 0) {
    // a time group that starts at MINUTE is M:S; one that starts at HOUR is H, H:M or H:M:S
    groups.push(`([-+])?${time.map(() => '(\\d+)').join(':')}${has('SECOND') ? '(?:\\.(\\d+))?' : ''}`);
  }
  const m = new RegExp(`^${groups.join(' ')}$`).exec(text);
  if (!m) throw invalid(text);
  // captures in order: [month sign, years, months] [days] [time sign, its fields, fraction]
  let k = 1;
  const next = (): string | undefined => m[k++];
  let months = 0n;
  if (has('YEAR') || has('MONTH')) {
    const sign = next();
    const years = next();
    const mo = next()!;
    months = (years ? int64(years, text) * 12n : 0n) + int64(mo, text);
    if (sign === '-') months = -months;
  }
  const days = has('DAY') ? int64(next()!, text) : 0n;
  let micros = 0n;
  if (time.length > 0) {
    const sign = next();
    for (const p of time) micros += int64(next()!, text) * MICROS[p]!;
    if (has('SECOND')) micros += fractionMicros(next());
    if (sign === '-') micros = -micros;
  }
  return make(months, days, micros);
}

/**
 * `INTERVAL <expression> <part>` where the expression is more than one operand (`INTERVAL 10 * n + 5 DAY`):
 * the index of the part, the first interval unit at this level right after an operand, when everything
 * before it is numbers, names, parentheses and + - * / . (else undefined: the caller stays loud).
 */
export function intervalPartAt(tokens: Token[], start: number, closing: (open: number) => number, units: Set<string>): number | undefined {
  for (let k = start; k < tokens.length; ) {
    const x = tokens[k]!;
    if (isOp(x, '(')) k = closing(k) + 1;
    else if (isOp(x, '+', '-', '*', '/', '.') || x.kind === 'number') k++;
    else if (x.kind === 'ident' || x.kind === 'quoted') {
      const before = tokens[k - 1];
      const afterOperand = k > start && before !== undefined && (before.kind === 'number' || before.kind === 'ident' || before.kind === 'quoted' || isOp(before, ')'));
      if (x.kind === 'ident' && afterOperand && units.has(x.value.toUpperCase())) return k;
      if (afterOperand) return undefined;
      k++;
    } else return undefined;
  }
  return undefined;
}
