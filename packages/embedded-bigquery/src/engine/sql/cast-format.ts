/**
 * `CAST(x AS STRING FORMAT 'format')` of a DATE, DATETIME, TIME or TIMESTAMP (format-elements#format_date_time_as_string):
 * the format's elements (YYYY, MON, DAY, HH24, A.M., TZH ...) left to right, longest first, with
 * BigQuery's case matching; literal punctuation, spaces and "quoted text" as written. The value's type,
 * which the SQL alone does not tell, is learned by a probe in the query layer (array-path-probe.ts).
 * Where the page and its examples disagree (D, DAY's padding, FFn's rounding), ZetaSQL's cast_date_time.cc decides. Anything else (another source type, a format that is not a literal, AT TIME ZONE other than UTC, a
 * string to date/time) stays loud.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteString } from '../type-mapping.js';
import type { ArrayPathSite, DuckType } from './array-paths.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { bytesFormatCast, stringOnly } from './cast-format-bytes.js';
import { stringToDateFormat } from './cast-format-parse.js';

const ELEMENTS = ['Y,YYY', 'A.M.', 'P.M.', 'HH24', 'HH12', 'MONTH', 'YYYY', 'RRRR', 'SSSSS', 'YYY', 'MON', 'DDD', 'DAY', 'TZH', 'TZM', 'FF', 'RR', 'YY', 'MM', 'DD', 'DY', 'HH', 'MI', 'SS', 'AM', 'PM', 'Y', 'D'];
const LITERALS = new Set(['-', '.', '/', ',', "'", ';', ':', ' ']);
const DATE_PARTS = new Set(['Y,YYY', 'YYYY', 'RRRR', 'YYY', 'YY', 'RR', 'Y', 'MM', 'MON', 'MONTH', 'DD', 'DDD', 'DAY', 'DY', 'D']);

/** The word `word` in the case the element `as` is written in (format-elements#case_matching_date_time). */
function caseMatched(word: string, as: string): string {
  const [a, b] = [as[0] ?? '', as[1] ?? ''];
  if (a === a.toLowerCase()) return `lower(${word})`;
  if (b !== '' && b === b.toUpperCase() && b !== b.toLowerCase()) return `upper(${word})`;
  return `(upper(${word}[1]) || lower(${word}[2:]))`;
}

const pad = (sql: string, n: number): string => `lpad(CAST(${sql} AS VARCHAR), ${n}, '0')`;

/** The pieces of the format: each an element (as written) or literal text. */
function elements(format: string): { element?: string; text?: string }[] {
  const out: { element?: string; text?: string }[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < format.length && format[j] !== '"'; j++) {
        if (format[j] === '\\' && (format[j + 1] === '"' || format[j + 1] === '\\')) j++;
        else if (format[j] === '\\') throw new BigQueryApiError('invalidQuery', `Unsupported escape sequence in the format string of CAST: ${format.slice(j, j + 2)}`);
        text += format[j];
      }
      if (j >= format.length) throw new BigQueryApiError('invalidQuery', 'Unterminated "text" in the format string of CAST');
      out.push({ text });
      i = j + 1;
      continue;
    }
    if (LITERALS.has(c)) {
      out.push({ text: c });
      i++;
      continue;
    }
    const upper = format.slice(i).toUpperCase();
    const element = ELEMENTS.find((e) => upper.startsWith(e));
    if (!element) throw new BigQueryApiError('invalidQuery', `Cannot find matching format element in the format string of CAST at "${format.slice(i)}"`);
    if (element === 'FF') {
      const n = format[i + 2];
      if (!n || n < '1' || n > '9') throw new BigQueryApiError('invalidQuery', `Cannot find matching format element in the format string of CAST at "${format.slice(i)}"`);
      out.push({ element: format.slice(i, i + 3) });
      i += 3;
      continue;
    }
    out.push({ element: format.slice(i, i + element.length) });
    i += element.length;
  }
  return out;
}

/** The SQL of one element over v (a DATE, TIMESTAMP or TIME value). */
function elementSql(written: string, v: string, kind: 'date' | 'datetime' | 'time', timestamp: boolean): string {
  const e = written.toUpperCase();
  const hasDate = kind !== 'time';
  const hasTime = kind !== 'date';
  if (e === 'Y,YYY') throw new BigQueryApiError('invalidQuery', `Unsupported format element '${e}'`);
  // which parts each type has (cast_date_time.cc: DATE does not support 'HH24', TIME does not support 'YYYY')
  if (DATE_PARTS.has(e) && !hasDate) throw new BigQueryApiError('invalidQuery', `TIME does not support '${e}'`);
  if (!DATE_PARTS.has(e) && !e.startsWith('TZ') && !hasTime) throw new BigQueryApiError('invalidQuery', `DATE does not support '${e}'`);
  switch (e) {
    case 'YYYY':
    case 'RRRR':
      return pad(`year(${v})`, 4);
    case 'YYY':
      return pad(`year(${v}) % 1000`, 3);
    case 'YY':
    case 'RR':
      return pad(`year(${v}) % 100`, 2);
    case 'Y':
      return `CAST(year(${v}) % 10 AS VARCHAR)`;
    case 'MM':
      return pad(`month(${v})`, 2);
    case 'MON':
      return caseMatched(`strftime(${v}, '%b')`, written);
    case 'MONTH':
      return caseMatched(`strftime(${v}, '%B')`, written);
    case 'DD':
      return pad(`day(${v})`, 2);
    case 'DDD':
      return pad(`dayofyear(${v})`, 3);
    case 'DAY':
      // the page says padded to 9 characters; ZetaSQL's cast_date_time.cc (what BigQuery runs) formats %A unpadded, as the page's example shows
      return caseMatched(`strftime(${v}, '%A')`, written);
    case 'DY':
      return caseMatched(`strftime(${v}, '%a')`, written);
    case 'D':
      // Sunday is 1 (ZetaSQL's DayOfWeekIntegerSunToSat1To7; the page's example of 4 for a Thursday is a misprint)
      return `CAST(dayofweek(${v}) + 1 AS VARCHAR)`;
    case 'HH':
    case 'HH12':
      return pad(`(hour(${v}) + 11) % 12 + 1`, 2);
    case 'HH24':
      return pad(`hour(${v})`, 2);
    case 'MI':
      return pad(`minute(${v})`, 2);
    case 'SS':
      return pad(`second(${v})`, 2);
    case 'SSSSS':
      return pad(`hour(${v}) * 3600 + minute(${v}) * 60 + second(${v})`, 5);
    case 'AM':
    case 'PM':
    case 'A.M.':
    case 'P.M.': {
      const dots = e.includes('.');
      const [am, pm] = dots ? ['A.M.', 'P.M.'] : ['AM', 'PM'];
      const lower = written[0] === written[0]!.toLowerCase();
      return `CASE WHEN hour(${v}) < 12 THEN ${quoteString(lower ? am.toLowerCase() : am)} ELSE ${quoteString(lower ? pm.toLowerCase() : pm)} END`;
    }
    case 'TZH':
    case 'TZM':
      // only a TIMESTAMP has a time zone; the session's is UTC
      if (!timestamp) throw new BigQueryApiError('invalidQuery', `${kind === 'date' ? 'DATE' : kind === 'time' ? 'TIME' : 'DATETIME'} does not support '${e}'`);
      return `CASE WHEN ${v} IS NULL THEN NULL ELSE ${quoteString(e === 'TZH' ? '+00' : '00')} END`;
    default: {
      // FFn: the first n digits of the fraction, zeros past the microseconds (ZetaSQL formats %E<n>f, which truncates;
      // the page says rounded, its FF1 example of .16 shows 1)
      const n = Number(e.slice(2));
      const digits = pad(`microsecond(${v}) % 1000000`, 6);
      return n <= 6 ? `${digits}[1:${n}]` : `rpad(${digits}, ${n}, '0')`;
    }
  }
}

/**
 * CAST(value AS STRING FORMAT format) for a value of DuckDB type `type`. `format` is the literal's text, or
 * undefined when the format is another expression (its SQL `formatSql`); `safe`: SAFE_CAST.
 */
export function castToStringFormat(value: string, type: DuckType, format: string | undefined, formatSql: string, safe = false): string {
  const name = type.kind === 'other' ? type.text : '';
  if (name === 'BLOB') return bytesFormatCast(value, formatSql, true, safe);
  const kind = name === 'DATE' ? 'date' : name === 'TIME' ? 'time' : name === 'TIMESTAMP' || name === 'TIMESTAMP WITH TIME ZONE' ? 'datetime' : undefined;
  // a format that is not a literal: NULL when it is NULL (whatever the value), else loud
  if (format === undefined) return `CASE WHEN (${formatSql}) IS NULL THEN CAST(NULL AS VARCHAR) ELSE error(${quoteString(`CAST ... FORMAT of a ${name || 'non-BYTES'} value with a format that is not a literal${LOUD}`)}) END`;
  if (!kind) {
    // a NULL number with a plain digits format (format-elements#format_numeric_type_as_string) is NULL; any other number stays loud
    if (NUMERIC_TYPES.test(name) && /^(FM)?[90]+([.][90]*)?$/i.test(format)) {
      return `CASE WHEN (${value}) IS NULL THEN CAST(NULL AS VARCHAR) ELSE error(${quoteString(`CAST ... FORMAT of a number${LOUD}`)}) END`;
    }
    throw unsupported(`CAST ... FORMAT of a ${name || type.kind.toUpperCase()} value (only BYTES, DATE, DATETIME, TIME and TIMESTAMP to STRING)`);
  }
  const timestamp = name === 'TIMESTAMP WITH TIME ZONE';
  // TIMESTAMP parts in UTC (the session zone), as BigQuery formats a TIMESTAMP without AT TIME ZONE
  const v = timestamp ? `CAST(${value} AS TIMESTAMP)` : value;
  const pieces = elements(format).map((p) => (p.element !== undefined ? elementSql(p.element, '__bq_v', kind, timestamp) : quoteString(p.text!)));
  const body = pieces.length === 0 ? `CASE WHEN __bq_v IS NULL THEN NULL ELSE '' END` : pieces.join(' || ');
  // the value once, through a one-element list (no repeated evaluation of the expression)
  return `list_transform([${v}], __bq_v -> ${body})[1]`;
}

const LOUD = ' is not supported by the embedded BigQuery';
const NUMERIC_TYPES = /^(BIGINT|INTEGER|DOUBLE|FLOAT|DECIMAL\(\d+,\d+\)|HUGEINT)$/;

/** The key of ArrayPathTypes for the CAST at source offset `at`: the type of its value. */
export const castFormatKey = (at: number): string => `${at}:cast-format`;

/** Every `CAST(x AS STRING FORMAT '...')` of the statement, as sites whose value's type the query layer probes. */
export function castFormatSites(tokens: Token[]): ArrayPathSite[] {
  const out: ArrayPathSite[] = [];
  for (let k = 0; k < tokens.length; k++) {
    if (!isKeyword(tokens[k], 'CAST', 'SAFE_CAST') || !isOp(tokens[k + 1], '(')) continue;
    const parts = castFormatParts(tokens, k + 1);
    if (parts && !parts.valueType) out.push({ at: tokens[k]!.start, key: castFormatKey(tokens[k]!.start), from: k, to: parts.close + 1, parts: [] });
  }
  return out;
}

/**
 * For the CAST whose `(` is at `open`: the token ranges of its value and of its format, and the format's
 * text when it is a literal, when it is `x AS STRING FORMAT f` (with no AT TIME ZONE: that stays loud).
 */
export function castFormatParts(
  tokens: Token[],
  open: number,
): { value: [number, number]; format: string | undefined; formatRange: [number, number]; close: number; valueType?: DuckType } | undefined {
  let depth = 0;
  let asAt = -1;
  let formatAt = -1;
  let close = -1;
  let zoned = false;
  for (let k = open + 1; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) {
      if (depth === 0) {
        close = k;
        break;
      }
      depth--;
    } else if (depth === 0 && asAt < 0 && isKeyword(x, 'AS')) asAt = k;
    else if (depth === 0 && asAt >= 0 && formatAt < 0 && isKeyword(x, 'FORMAT')) formatAt = k;
    else if (depth === 0 && formatAt >= 0 && isKeyword(x, 'AT') && isKeyword(tokens[k + 1], 'TIME')) zoned = true;
  }
  if (close < 0 || asAt < 0 || formatAt < 0 || zoned) return undefined;
  if (formatAt !== asAt + 2 || !isKeyword(tokens[asAt + 1], 'STRING') || close === formatAt + 1) return undefined;
  const literal = close === formatAt + 2 && tokens[formatAt + 1]?.kind === 'string' ? tokens[formatAt + 1]!.value : undefined;
  // a BYTES literal needs no probe (a statement probes at most 8 values)
  const valueType: DuckType | undefined = asAt === open + 2 && tokens[open + 1]!.kind === 'bytes' ? { kind: 'other', text: 'BLOB' } : undefined;
  return { value: [open + 1, asAt], format: literal, formatRange: [formatAt + 1, close], close, ...(valueType ? { valueType } : {}) };
}

/**
 * CAST(x AS <type> FORMAT f ...) where the translator's CAST goes (raw: the tokens inside the parentheses,
 * `formatAt` the FORMAT keyword's index): STRING to BYTES; a NULL format to a date/time type is NULL; any
 * other (a string parsed as a date or time, AT TIME ZONE, a STRING target whose value's type was not learned) stays loud.
 */
export function castFormatTo(raw: Token[], asAt: number, formatAt: number, target: string, safe: boolean, sub: (tokens: Token[]) => string): string {
  const zoneAt = raw.findIndex((x, k) => k > formatAt && isKeyword(x, 'AT') && isKeyword(raw[k + 1], 'TIME'));
  const value = sub(raw.slice(0, asAt));
  const format = sub(raw.slice(formatAt + 1, zoneAt < 0 ? raw.length : zoneAt));
  if (target === 'BYTES' && zoneAt < 0) return bytesFormatCast(value, format, false, safe);
  if (['DATE', 'DATETIME', 'TIME', 'TIMESTAMP'].includes(target) && zoneAt < 0) {
    // a STRING parsed as a DATE with a YYYY/MM/DD format literal (cast-format-parse.ts)
    const literal = zoneAt < 0 && raw.length === formatAt + 2 && raw[formatAt + 1]!.kind === 'string' ? raw[formatAt + 1]!.value : undefined;
    const parsed = target === 'DATE' ? stringToDateFormat(value, literal, safe) : undefined;
    const duck = target === 'DATE' ? 'DATE' : target === 'TIME' ? 'TIME' : target === 'DATETIME' ? 'TIMESTAMP' : 'TIMESTAMPTZ';
    if (parsed) return `CASE WHEN typeof(${value}) NOT IN ('VARCHAR', '"NULL"') THEN CAST(${stringOnly(value, target)} AS ${duck}) ELSE ${parsed} END`;
    return `CASE WHEN typeof(${value}) NOT IN ('VARCHAR', '"NULL"') THEN CAST(${stringOnly(value, target)} AS ${duck}) WHEN (${format}) IS NULL THEN CAST(NULL AS ${duck}) ELSE error(${quoteString(`CAST of a STRING to ${target} with FORMAT${LOUD}`)}) END`;
  }
  throw unsupported('CAST ... FORMAT');
}
