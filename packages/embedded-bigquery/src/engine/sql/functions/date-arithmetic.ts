/** DATE/DATETIME/TIMESTAMP/TIME truncation, differences and interval arithmetic (_TRUNC, _DIFF, _ADD, _SUB, LAST_DAY). */
import { BigQueryApiError } from '../../types.js';
import { isKeyword, type Token } from '../tokenizer.js';
import type { TranslationContext } from '../translation-context.js';
import { FunctionTable, argCount } from './function-table.js';
import { rangeChecked } from '../../limits.js';
import { FIXED_PART_MICROS, part, weekStart } from './date-parts.js';
import { civilOf, dateOf, defaultZone, instantOf, isUtc, plainArg, timestampArg, zoneArg } from './time-zones.js';

export const DATE_ARITHMETIC_FUNCTIONS = new FunctionTable();
const def = DATE_ARITHMETIC_FUNCTIONS.def;

/** Truncation of a DATE/TIMESTAMP/DATETIME expression x (kind says which) to a part. */
function truncate(x: string, p: string, kind: 'DATE' | 'TIMESTAMP' | 'DATETIME' | 'TIME', fn: string): string {
  if (kind === 'TIMESTAMP') {
    // The session runs in UTC, so a TIMESTAMP (TIMESTAMPTZ) is truncated as its UTC civil time: by
    // integer arithmetic on microseconds for fixed parts, else on the naive timestamp. Both avoid
    // DuckDB's ICU calendar path, which is an order of magnitude slower.
    const us = `epoch_us(CAST(${x} AS TIMESTAMPTZ))`;
    const n = FIXED_PART_MICROS[p];
    if (n) return `make_timestamptz(${us} - ((${us} % ${n}) + ${n}) % ${n})`;
    return `make_timestamptz(epoch_us(${truncate(`make_timestamp(${us})`, p, 'DATETIME', fn)}))`;
  }
  const ws = weekStart(p);
  const castBack = (e: string): string => (kind === 'DATE' ? `CAST(${e} AS DATE)` : kind === 'TIME' ? `CAST(${e} AS TIME)` : `CAST(${e} AS TIMESTAMP)`);
  if (ws !== undefined) {
    // days since the most recent week start (DuckDB dayofweek: Sunday = 0)
    return castBack(`date_trunc('day', ${x}) - to_days(CAST((dayofweek(${x}) - ${ws} + 7) % 7 AS INTEGER))`);
  }
  const map: Record<string, string> = {
    MICROSECOND: 'microseconds', MILLISECOND: 'milliseconds', SECOND: 'second', MINUTE: 'minute', HOUR: 'hour', DAY: 'day',
    ISOWEEK: 'week', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year', ISOYEAR: 'isoyear',
  };
  const dp = map[p];
  if (!dp) throw new BigQueryApiError('invalidQuery', `A valid date part name is required but found ${p} in ${fn}`);
  if (dp === 'isoyear') return castBack(`date_trunc('week', make_date(CAST(isoyear(${x}) AS BIGINT), 1, 4))`);
  if (kind === 'TIME') return `CAST(date_trunc('${dp}', DATE '1970-01-01' + CAST(${x} AS TIME)) AS TIME)`;
  return castBack(`date_trunc('${dp}', ${x})`);
}

/** Number of `p` boundaries between b and a (DATE_DIFF semantics). */
function dateDiff(a: string, b: string, p: string, fn: string): string {
  const ws = weekStart(p);
  if (ws !== undefined || p === 'ISOWEEK') {
    // week boundaries crossed = whole weeks between the two week starts
    const start = ws ?? 1;
    const trunc = (x: string): string => `(CAST(${x} AS DATE) - CAST((dayofweek(CAST(${x} AS DATE)) - ${start} + 7) % 7 AS INTEGER))`;
    return `CAST(date_diff('day', ${trunc(b)}, ${trunc(a)}) / 7 AS BIGINT)`;
  }
  const map: Record<string, string> = { DAY: 'day', MONTH: 'month', QUARTER: 'quarter', YEAR: 'year', ISOWEEK: 'week', ISOYEAR: 'isoyear' };
  const dp = map[p];
  if (!dp) throw new BigQueryApiError('invalidQuery', `A valid date part name is required but found ${p} in ${fn}`);
  if (dp === 'isoyear') return `(isoyear(${a}) - isoyear(${b}))`;
  return `date_diff('${dp}', ${b}, ${a})`;
}

/** Whole `p` intervals between b and a (TIMESTAMP_DIFF semantics: truncated toward zero). */
function timeDiff(a: string, b: string, p: string, fn: string): string {
  const micros: Record<string, string> = { MICROSECOND: '1', MILLISECOND: '1000', SECOND: '1000000', MINUTE: '60000000', HOUR: '3600000000', DAY: '86400000000' };
  const m = micros[p];
  if (!m) {
    if (['WEEK', 'MONTH', 'QUARTER', 'YEAR'].includes(p) && fn.startsWith('DATETIME')) return dateDiff(`CAST(${a} AS DATE)`, `CAST(${b} AS DATE)`, p, fn);
    throw new BigQueryApiError('invalidQuery', `Unsupported date part ${p} for ${fn}`);
  }
  const diff = `(epoch_us(${a}) - epoch_us(${b}))`;
  return m === '1' ? diff : `CAST(trunc(${diff} / ${m}) AS BIGINT)`;
}

function addInterval(x: string, interval: Token[], t: TranslationContext, sign: '+' | '-', kind: 'DATE' | 'TIMESTAMP' | 'DATETIME' | 'TIME', fn: string): string {
  if (!isKeyword(interval[0], 'INTERVAL')) throw new BigQueryApiError('invalidQuery', `${fn} expects an INTERVAL as its second argument`);
  const iv = t.sub(interval);
  const unit = interval[interval.length - 1]!.value.toUpperCase();
  if (kind === 'DATE' && !['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'].includes(unit)) {
    throw new BigQueryApiError('invalidQuery', `Unsupported date part ${unit} for ${fn}`);
  }
  if (kind === 'TIMESTAMP') {
    // TIMESTAMP_ADD takes MICROSECOND..DAY only (a day is 24 hours): integer microseconds, no ICU calendar
    const micros = FIXED_PART_MICROS[unit];
    if (!micros) throw new BigQueryApiError('invalidQuery', `TIMESTAMP_ADD does not support the ${unit} date part when the time zone is UTC`);
    const amount = t.sub(interval.slice(1, -1));
    return rangeChecked('TIMESTAMP', `make_timestamptz(epoch_us(CAST(${x} AS TIMESTAMPTZ)) ${sign} CAST(${amount} AS BIGINT) * ${micros})`);
  }
  const e = `(${x} ${sign} ${iv})`;
  if (kind === 'DATE') return rangeChecked('DATE', `CAST(${e} AS DATE)`);
  if (kind === 'TIME') return `CAST(${e} AS TIME)`;
  return rangeChecked('DATETIME', `CAST(${e} AS TIMESTAMP)`);
}

def(['DATE_TRUNC'], (a, t, _r, n) => (argCount(a, n, 2), truncate(dateOf(plainArg(a, 0), defaultZone(t)), part(a, 1, n), 'DATE', n)));
def(['TIMESTAMP_TRUNC'], (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  const z = a.tokens.length === 3 ? zoneArg(a, 2) : defaultZone(t);
  const p = part(a, 1, n);
  // parts of a minute or less end at the same instants in every zone (offsets are whole minutes)
  if (isUtc(z) || ['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE'].includes(p)) return truncate(timestampArg(a, t, 0), p, 'TIMESTAMP', n);
  // the civil time in the zone truncated, read back in the zone
  return instantOf(truncate(civilOf(`CAST(${timestampArg(a, t, 0)} AS TIMESTAMPTZ)`, z), p, 'DATETIME', n), z);
});
def(['DATETIME_TRUNC'], (a, _t, _r, n) => (argCount(a, n, 2), truncate(plainArg(a, 0), part(a, 1, n), 'DATETIME', n)));
def(['TIME_TRUNC'], (a, _t, _r, n) => (argCount(a, n, 2), truncate(plainArg(a, 0), part(a, 1, n), 'TIME', n)));
def(['DATE_DIFF'], (a, t, _r, n) => (argCount(a, n, 3), dateDiff(dateOf(plainArg(a, 0), defaultZone(t)), dateOf(plainArg(a, 1), defaultZone(t)), part(a, 2, n), n)));
def(['TIMESTAMP_DIFF', 'DATETIME_DIFF', 'TIME_DIFF'], (a, t, _r, n) => {
  argCount(a, n, 3);
  const arg = (i: number): string => (n === 'TIMESTAMP_DIFF' ? timestampArg(a, t, i) : plainArg(a, i));
  const wrap = (x: string): string =>
    n === 'TIME_DIFF' ? `(DATE '1970-01-01' + CAST(${x} AS TIME))` : n === 'TIMESTAMP_DIFF' ? `CAST(${x} AS TIMESTAMPTZ)` : `CAST(${x} AS TIMESTAMP)`;
  const p = part(a, 2, n);
  // DATETIME_DIFF counts date-part boundaries for DAY and longer parts
  if (n === 'DATETIME_DIFF' && ['DAY', 'MONTH', 'QUARTER', 'YEAR', 'ISOYEAR', 'ISOWEEK'].includes(p) || (n === 'DATETIME_DIFF' && weekStart(p) !== undefined)) {
    return dateDiff(`CAST(${plainArg(a, 0)} AS DATE)`, `CAST(${plainArg(a, 1)} AS DATE)`, p, n);
  }
  return timeDiff(wrap(arg(0)), wrap(arg(1)), p, n);
});
def(['DATE_ADD', 'DATE_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(`CAST(${plainArg(a, 0)} AS DATE)`, a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'DATE', n)));
def(['TIMESTAMP_ADD', 'TIMESTAMP_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(timestampArg(a, t, 0), a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'TIMESTAMP', n)));
def(['DATETIME_ADD', 'DATETIME_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(plainArg(a, 0), a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'DATETIME', n)));
def(['TIME_ADD', 'TIME_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(plainArg(a, 0), a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'TIME', n)));
def('LAST_DAY', (a, t, _r, n) => {
  argCount(a, n, 1, 2);
  const p = a.tokens.length === 2 ? part(a, 1, n) : 'MONTH';
  // a DATE or DATETIME (BigQuery takes no TIMESTAMP here); a TIMESTAMP would be read in the default zone
  const d = isUtc(defaultZone(t)) ? `CAST(${plainArg(a, 0)} AS DATE)` : dateOf(plainArg(a, 0), defaultZone(t));
  if (p === 'MONTH') return `last_day(${d})`;
  const unit = p === 'YEAR' ? 'year' : p === 'QUARTER' ? 'quarter' : p === 'ISOYEAR' ? undefined : undefined;
  if (unit) return `CAST(date_trunc('${unit}', ${d}) + INTERVAL 1 ${unit.toUpperCase()} - INTERVAL 1 DAY AS DATE)`;
  const ws = weekStart(p) ?? (p === 'ISOWEEK' ? 1 : undefined);
  if (ws !== undefined) return `CAST(${d} - CAST((dayofweek(${d}) - ${ws} + 7) % 7 AS INTEGER) + 6 AS DATE)`;
  throw new BigQueryApiError('invalidQuery', `Unsupported date part ${p} for LAST_DAY`);
});
