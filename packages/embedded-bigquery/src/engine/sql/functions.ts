/**
 * GoogleSQL functions → DuckDB. Only functions listed here are accepted: an unknown name fails
 * with invalidQuery rather than silently running a DuckDB function with other semantics.
 */
import { BigQueryApiError } from '../types.js';
import { quoteString } from '../type-mapping.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { INTERVAL_UNITS, unsupported, type CallArgs, type Translator } from './translator.js';
import { parseTypeAt } from './type-names.js';

type Handler = (a: CallArgs, t: Translator, raw: Token[], name: string) => string;

/** Same name and semantics in DuckDB. */
const PASSTHROUGH = [
  'ABS', 'SIGN', 'CEIL', 'CEILING', 'FLOOR', 'SQRT', 'EXP', 'LN', 'LOG10', 'POW', 'POWER', 'SIN', 'COS', 'TAN', 'ASIN', 'ACOS', 'ATAN', 'ATAN2',
  'SINH', 'COSH', 'TANH', 'ASINH', 'ACOSH', 'ATANH', 'COT', 'CBRT',
  'UPPER', 'LOWER', 'REPLACE', 'REVERSE', 'REPEAT', 'LEFT', 'RIGHT', 'ASCII',
  'STARTS_WITH', 'ENDS_WITH', 'TRIM', 'LTRIM', 'RTRIM', 'STRPOS', 'TRANSLATE',
  'COALESCE', 'IFNULL', 'NULLIF', 'IF',
  'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'STDDEV', 'STDDEV_SAMP', 'STDDEV_POP', 'VARIANCE', 'VAR_SAMP', 'VAR_POP', 'CORR', 'COVAR_POP', 'COVAR_SAMP',
  'ROW_NUMBER', 'RANK', 'DENSE_RANK', 'PERCENT_RANK', 'CUME_DIST', 'NTILE', 'LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE',
  'GROUPING', 'ROLLUP', 'CUBE', 'EXISTS', 'MD5', 'SHA256', 'SHA1',
];

const RENAMES: Record<string, string> = {
  IS_INF: 'isinf',
  IS_NAN: 'isnan',
  COUNTIF: 'count_if',
  LOGICAL_AND: 'bool_and',
  LOGICAL_OR: 'bool_or',
  BIT_AND: 'bit_and',
  BIT_OR: 'bit_or',
  BIT_XOR: 'bit_xor',
  ARRAY_REVERSE: 'list_reverse',
  TO_BASE64: 'to_base64',
  FROM_BASE64: 'from_base64',
  FROM_HEX: 'unhex',
  CHR: 'chr',
  RAND: 'random',
  GENERATE_UUID: 'gen_random_uuid',
};

const handlers = new Map<string, Handler>();
for (const n of PASSTHROUGH) handlers.set(n, (a, _t, _r, name) => `${name}(${a.all().join(', ')})`);
for (const [n, d] of Object.entries(RENAMES)) handlers.set(n, (a) => `${d}(${a.all().join(', ')})`);

function def(names: string | string[], h: Handler): void {
  for (const n of Array.isArray(names) ? names : [names]) handlers.set(n, h);
}

function argCount(a: CallArgs, name: string, min: number, max = min): void {
  if (a.tokens.length < min || a.tokens.length > max) {
    throw new BigQueryApiError('invalidQuery', `No matching signature for function ${name} with ${a.tokens.length} argument(s)`);
  }
}

/**
 * A time zone argument. GoogleSQL also accepts UTC offsets ('-08', '+05:30'); DuckDB knows whole-hour
 * offsets as Etc/GMT zones (with the sign inverted). Other offsets fail loudly.
 */
function tzArg(a: CallArgs, i: number): string {
  const toks = a.tokens[i] ?? [];
  if (toks.length === 1 && toks[0]!.kind === 'string') {
    const m = /^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(toks[0]!.value.trim());
    if (m) {
      if (m[3] && m[3] !== '00') throw unsupported(`Time zone offset ${toks[0]!.value}`);
      const hours = Number(m[2]);
      return quoteString(hours === 0 ? 'UTC' : `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`);
    }
  }
  return a.sql(i);
}

/** A date-part argument (MONTH, WEEK(MONDAY), ...) as upper-case text. */
function part(a: CallArgs, i: number, fn: string): string {
  const toks = a.tokens[i] ?? [];
  const text = toks.map((t) => t.value.toUpperCase()).join('');
  if (!/^[A-Z_]+(\([A-Z]+\))?$/.test(text)) throw new BigQueryApiError('invalidQuery', `${fn} expects a date part, got "${toks.map((t) => t.text).join(' ')}"`);
  return text;
}

function formatString(a: CallArgs, i: number): string {
  const toks = a.tokens[i] ?? [];
  if (toks.length === 1 && toks[0]!.kind === 'string') return quoteString(translateFormat(toks[0]!.value));
  return a.sql(i);
}

/** BigQuery format elements that strftime spells differently. */
function translateFormat(f: string): string {
  return f
    .replace(/%c/g, '%a %b %e %H:%M:%S %Y')
    .replace(/%x/g, '%m/%d/%y')
    .replace(/%X/g, '%H:%M:%S')
    .replace(/%F/g, '%Y-%m-%d')
    .replace(/%T/g, '%H:%M:%S')
    .replace(/%D/g, '%m/%d/%y')
    .replace(/%R/g, '%H:%M')
    .replace(/%E6S/g, '%S.%f')
    .replace(/%E3S/g, '%S.%g')
    .replace(/%E\*S/g, '%S.%f')
    .replace(/%Ez/g, '%z')
    .replace(/%k/g, '%-H')
    .replace(/%l/g, '%-I')
    .replace(/%e/g, '%-d')
    .replace(/%s/g, '%s');
}

function weekStart(p: string): number | undefined {
  const m = /^WEEK(?:\((SUNDAY|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY)\))?$/.exec(p);
  if (!m) return undefined;
  return ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'].indexOf(m[1] ?? 'SUNDAY');
}

/** Truncation of a DATE/TIMESTAMP/DATETIME expression x (kind says which) to a part. */
/** Microseconds per fixed-length part, for TIMESTAMP truncation by integer arithmetic. */
const FIXED_PART_MICROS: Record<string, string> = { MICROSECOND: '1', MILLISECOND: '1000', SECOND: '1000000', MINUTE: '60000000', HOUR: '3600000000', DAY: '86400000000' };

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

function addInterval(x: string, interval: Token[], t: Translator, sign: '+' | '-', kind: 'DATE' | 'TIMESTAMP' | 'DATETIME' | 'TIME', fn: string): string {
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
    return `make_timestamptz(epoch_us(CAST(${x} AS TIMESTAMPTZ)) ${sign} CAST(${amount} AS BIGINT) * ${micros})`;
  }
  const e = `(${x} ${sign} ${iv})`;
  if (kind === 'DATE') return `CAST(${e} AS DATE)`;
  if (kind === 'TIME') return `CAST(${e} AS TIME)`;
  return `CAST(${e} AS TIMESTAMP)`;
}

def(['DATE_TRUNC'], (a, _t, _r, n) => (argCount(a, n, 2), truncate(`bq_date(${a.sql(0)})`, part(a, 1, n), 'DATE', n)));
def(['TIMESTAMP_TRUNC'], (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  if (a.tokens.length === 3) {
    const tz = tzArg(a, 2);
    return `timezone(${tz}, ${truncate(`timezone(${tz}, ${a.sql(0)})`, part(a, 1, n), 'DATETIME', n)})`;
  }
  return truncate(a.sql(0), part(a, 1, n), 'TIMESTAMP', n);
});
def(['DATETIME_TRUNC'], (a, _t, _r, n) => (argCount(a, n, 2), truncate(a.sql(0), part(a, 1, n), 'DATETIME', n)));
def(['TIME_TRUNC'], (a, _t, _r, n) => (argCount(a, n, 2), truncate(a.sql(0), part(a, 1, n), 'TIME', n)));
def(['DATE_DIFF'], (a, _t, _r, n) => (argCount(a, n, 3), dateDiff(`bq_date(${a.sql(0)})`, `bq_date(${a.sql(1)})`, part(a, 2, n), n)));
def(['TIMESTAMP_DIFF', 'DATETIME_DIFF', 'TIME_DIFF'], (a, _t, _r, n) => {
  argCount(a, n, 3);
  const wrap = (x: string): string =>
    n === 'TIME_DIFF' ? `(DATE '1970-01-01' + CAST(${x} AS TIME))` : n === 'TIMESTAMP_DIFF' ? `CAST(${x} AS TIMESTAMPTZ)` : `CAST(${x} AS TIMESTAMP)`;
  const p = part(a, 2, n);
  // DATETIME_DIFF counts date-part boundaries for DAY and longer parts
  if (n === 'DATETIME_DIFF' && ['DAY', 'MONTH', 'QUARTER', 'YEAR', 'ISOYEAR', 'ISOWEEK'].includes(p) || (n === 'DATETIME_DIFF' && weekStart(p) !== undefined)) {
    return dateDiff(`CAST(${a.sql(0)} AS DATE)`, `CAST(${a.sql(1)} AS DATE)`, p, n);
  }
  return timeDiff(wrap(a.sql(0)), wrap(a.sql(1)), p, n);
});
def(['DATE_ADD', 'DATE_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(`CAST(${a.sql(0)} AS DATE)`, a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'DATE', n)));
def(['TIMESTAMP_ADD', 'TIMESTAMP_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(a.sql(0), a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'TIMESTAMP', n)));
def(['DATETIME_ADD', 'DATETIME_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(a.sql(0), a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'DATETIME', n)));
def(['TIME_ADD', 'TIME_SUB'], (a, t, _r, n) => (argCount(a, n, 2), addInterval(a.sql(0), a.tokens[1]!, t, n.endsWith('ADD') ? '+' : '-', 'TIME', n)));

def('EXTRACT', (_a, t, raw, n) => {
  const fromAt = raw.findIndex((x) => isKeyword(x, 'FROM'));
  if (fromAt < 1) throw new BigQueryApiError('invalidQuery', 'Syntax error: EXTRACT(part FROM expression)');
  const p = raw.slice(0, fromAt).map((x) => x.value.toUpperCase()).join('');
  let rest = raw.slice(fromAt + 1);
  let tz: string | undefined;
  const atAt = rest.findIndex((x, i) => isKeyword(x, 'AT') && isKeyword(rest[i + 1], 'TIME') && isKeyword(rest[i + 2], 'ZONE'));
  if (atAt >= 0) {
    tz = t.sub(rest.slice(atAt + 3));
    rest = rest.slice(0, atAt);
  }
  const source = t.sub(rest);
  if (tz) return extractPart(p, `timezone(${tz}, ${source})`, n);
  // a TIMESTAMP is read as its UTC civil time without DuckDB's ICU calendar (the session runs in UTC)
  const civil = `make_timestamp(epoch_us(TRY_CAST(${source} AS TIMESTAMPTZ)))`;
  return `CASE WHEN typeof(${source}) = 'TIMESTAMP WITH TIME ZONE' THEN ${extractPart(p, civil, n)} ELSE ${extractPart(p, source, n)} END`;
});

/**
 * WEEK(<weekday>): weeks start on that weekday and days before its first occurrence in the year
 * are week 0. With s = days from 1 January to that first weekday, week = floor((dayofyear - 1 + 7 - s) / 7).
 */
function weekNumber(x: string, ws: number): string {
  const s = `((${ws} - dayofweek(make_date(year(${x}), 1, 1)) + 7) % 7)`;
  return `CAST(floor((dayofyear(${x}) - 1 + 7 - ${s}) / 7) AS BIGINT)`;
}

function extractPart(p: string, x: string, n: string): string {
  switch (p) {
    case 'DAYOFWEEK': return `(dayofweek(${x}) + 1)`;
    case 'DAYOFYEAR': return `dayofyear(${x})`;
    case 'DAY': case 'MONTH': case 'YEAR': case 'QUARTER': case 'HOUR': case 'MINUTE': return `extract(${p.toLowerCase()} FROM ${x})`;
    case 'SECOND': return `CAST(floor(extract(second FROM ${x})) AS BIGINT)`;
    case 'MILLISECOND': return `(extract(millisecond FROM ${x}) % 1000)`;
    case 'MICROSECOND': return `(extract(microsecond FROM ${x}) % 1000000)`;
    case 'ISOWEEK': return `week(${x})`;
    case 'ISOYEAR': return `isoyear(${x})`;
    case 'WEEK': return weekNumber(x, 0);
    case 'DATE': return `CAST(${x} AS DATE)`;
    case 'TIME': return `CAST(${x} AS TIME)`;
    case 'DATETIME': return `CAST(${x} AS TIMESTAMP)`;
    default: {
      const ws = weekStart(p);
      if (ws !== undefined) {
        return weekNumber(x, ws);
      }
      throw new BigQueryApiError('invalidQuery', `A valid date part name is required but found ${p} in ${n}`);
    }
  }
}

def(['CAST', 'SAFE_CAST'], (_a, t, raw, n) => {
  const asAt = lastTopLevelAs(raw);
  if (asAt < 1) throw new BigQueryApiError('invalidQuery', `Syntax error: ${n}(expression AS type)`);
  const [type, end] = parseTypeAt(raw, asAt + 1);
  if (end < raw.length) {
    if (isKeyword(raw[end], 'FORMAT')) throw unsupported('CAST ... FORMAT');
    throw new BigQueryApiError('invalidQuery', `Syntax error near "${raw[end]!.text}" in ${n}`);
  }
  const target = type.field.type;
  const fn = n === 'SAFE_CAST' ? 'TRY_CAST' : 'CAST';
  const inner = raw.slice(0, asAt);
  if (['FLOAT', 'INTEGER', 'NUMERIC', 'BIGNUMERIC'].includes(target) && type.field.mode !== 'REPEATED' && isJsonValueCall(inner)) {
    // CAST(JSON_VALUE(j, p) AS FLOAT64): one JSON pass. A scalar converts exactly as JSON_VALUE's text
    // would; an object or array (where JSON_VALUE gives NULL) makes CAST fail loudly, SAFE_CAST give NULL.
    const args = t.splitArgs(t.tokens.indexOf(inner[2]!), t.tokens.indexOf(inner[inner.length - 1]!));
    const path = args[1] ? t.sub(args[1]) : "'$'";
    const extracted = `json_extract_string(${t.sub(args[0]!)}, ${path})`;
    if (target === 'INTEGER') return `bq_int64${fn === 'TRY_CAST' ? '_safe' : ''}(${extracted})`;
    return `${fn}(${extracted} AS ${type.duck})`;
  }
  const expr = t.sub(inner);
  if (target === 'DATE' && type.field.mode !== 'REPEATED' && fn === 'CAST') return `bq_date(${expr})`;
  if (target === 'BOOLEAN' && type.field.mode !== 'REPEATED') {
    // BigQuery accepts only 'true'/'false' (any case) for STRING → BOOL
    return `${fn}(CASE WHEN typeof(${expr}) = 'VARCHAR' AND lower(CAST(${expr} AS VARCHAR)) NOT IN ('true', 'false') THEN 'invalid' ELSE ${expr} END AS BOOLEAN)`;
  }
  if (target === 'INTEGER' && type.field.mode !== 'REPEATED') {
    // FLOAT64 → INT64 rounds half away from zero (DuckDB: half to even); a STRING must spell an
    // integer (decimal or 0x hex), where DuckDB would round '1.5'
    const safe = fn === 'TRY_CAST' ? '_safe' : '';
    return `CASE WHEN typeof(${expr}) IN ('DOUBLE', 'FLOAT') THEN ${fn}(round(TRY_CAST(${expr} AS DOUBLE)) AS BIGINT) WHEN typeof(${expr}) = 'VARCHAR' THEN bq_int64${safe}(TRY_CAST(${expr} AS VARCHAR)) ELSE ${fn}(${expr} AS BIGINT) END`;
  }
  if (target === 'STRING' && type.field.mode !== 'REPEATED') return `bq_to_string(${expr})`;
  if (target === 'BYTES' && type.field.mode !== 'REPEATED') {
    // STRING → BYTES is the UTF-8 encoding (DuckDB's VARCHAR → BLOB cast only takes escaped ASCII)
    return `CASE WHEN typeof(${expr}) = 'VARCHAR' THEN encode(TRY_CAST(${expr} AS VARCHAR)) ELSE ${fn}(${expr} AS BLOB) END`;
  }
  return `${fn}(${expr} AS ${type.duck})`;
});

/** The tokens are exactly JSON_VALUE(...) / JSON_EXTRACT_SCALAR(...) with a literal path (or none). */
function isJsonValueCall(toks: Token[]): boolean {
  if (toks.length < 4 || !isKeyword(toks[0], 'JSON_VALUE', 'JSON_EXTRACT_SCALAR') || !isOp(toks[1], '(') || !isOp(toks[toks.length - 1], ')')) return false;
  let depth = 0;
  for (let i = 1; i < toks.length; i++) {
    if (isOp(toks[i], '(', '[')) depth++;
    if (isOp(toks[i], ')', ']')) depth--;
    if (depth === 0 && i < toks.length - 1) return false;
  }
  const comma = toks.findIndex((x, i) => i > 1 && isOp(x, ','));
  if (comma < 0) return true;
  // only a plain '$.a.b' path: bracketed keys need jsonPath's rewriting
  const path = toks.slice(comma + 1, -1);
  return path.length === 1 && path[0]!.kind === 'string' && !path[0]!.value.includes('[');
}

function lastTopLevelAs(raw: Token[]): number {
  let depth = 0;
  let found = -1;
  raw.forEach((x, i) => {
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && isKeyword(x, 'AS')) found = i;
  });
  return found;
}

// strings
def(['CONCAT'], (a) => (a.tokens.length === 1 ? a.sql(0) : `(${a.all().join(' || ')})`));
def(['SUBSTR', 'SUBSTRING'], (a, _t, _r, n) => (argCount(a, n, 2, 3), `bq_substr(${a.sql(0)}, ${a.sql(1)}, ${a.tokens.length === 3 ? a.sql(2) : 'NULL'})`));
def(['SPLIT'], (a, _t, _r, n) => (argCount(a, n, 1, 2), `string_split(${a.sql(0)}, ${a.tokens.length === 2 ? a.sql(1) : "','"})`));
def(['REGEXP_CONTAINS'], (a, _t, _r, n) => (argCount(a, n, 2), `regexp_matches(${a.sql(0)}, ${a.sql(1)})`));
def(['REGEXP_EXTRACT', 'REGEXP_SUBSTR'], (a, _t, _r, n) => {
  argCount(a, n, 2, 2);
  const g = captureGroup(a, n);
  return `CASE WHEN regexp_matches(${a.sql(0)}, ${a.sql(1)}) THEN regexp_extract(${a.sql(0)}, ${a.sql(1)}, ${g}) END`;
});
def(['REGEXP_EXTRACT_ALL'], (a, _t, _r, n) => (argCount(a, n, 2), `regexp_extract_all(${a.sql(0)}, ${a.sql(1)}, ${captureGroup(a, n)})`));
def(['REGEXP_REPLACE'], (a, _t, _r, n) => (argCount(a, n, 3), `regexp_replace(${a.sql(0)}, ${a.sql(1)}, ${a.sql(2)}, 'g')`));
def(['FORMAT'], (a) => `printf(${a.all().join(', ')})`);
def(['TO_HEX'], (a) => `lower(hex(${a.sql(0)}))`);
def(['INITCAP'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const delims = a.tokens.length === 2 ? a.sql(1) : quoteString(' \t\n\r[](){}/|\\<>!?@"^#$&~_,.:;*%+-');
  const s = a.sql(0);
  // a character is upper-cased when it starts the string or follows a delimiter
  return `array_to_string(list_transform(range(length(${s})), i -> CASE WHEN i = 0 OR contains(${delims}, substring(${s}, i, 1)) THEN upper(substring(${s}, i + 1, 1)) ELSE lower(substring(${s}, i + 1, 1)) END), '')`;
});
def(['SAFE_CONVERT_BYTES_TO_STRING'], (a) => `TRY_CAST(${a.sql(0)} AS VARCHAR)`);
def(['BYTE_LENGTH', 'OCTET_LENGTH'], (a) => `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN octet_length(TRY_CAST(${a.sql(0)} AS BLOB)) ELSE strlen(TRY_CAST(${a.sql(0)} AS VARCHAR)) END`);
def(['LPAD', 'RPAD'], (a, _t, _r, n) => (argCount(a, n, 2, 3), `${n.toLowerCase()}(${a.sql(0)}, CAST(${a.sql(1)} AS INTEGER), ${a.tokens.length === 3 ? a.sql(2) : "' '"})`));
def('LAST_DAY', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const p = a.tokens.length === 2 ? part(a, 1, n) : 'MONTH';
  const d = `CAST(${a.sql(0)} AS DATE)`;
  if (p === 'MONTH') return `last_day(${d})`;
  const unit = p === 'YEAR' ? 'year' : p === 'QUARTER' ? 'quarter' : p === 'ISOYEAR' ? undefined : undefined;
  if (unit) return `CAST(date_trunc('${unit}', ${d}) + INTERVAL 1 ${unit.toUpperCase()} - INTERVAL 1 DAY AS DATE)`;
  const ws = weekStart(p) ?? (p === 'ISOWEEK' ? 1 : undefined);
  if (ws !== undefined) return `CAST(${d} - CAST((dayofweek(${d}) - ${ws} + 7) % 7 AS INTEGER) + 6 AS DATE)`;
  throw new BigQueryApiError('invalidQuery', `Unsupported date part ${p} for LAST_DAY`);
});
def(['STRING'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  if (a.tokens.length === 2) return `strftime(timezone(${a.sql(1)}, ${a.sql(0)}), '%Y-%m-%d %H:%M:%S%z')`;
  const x = a.sql(0);
  return `CASE WHEN typeof(${x}) = 'JSON' THEN bq_json_strict(TRY_CAST(${x} AS JSON), ['VARCHAR'], 'STRING', json_extract_string(TRY_CAST(${x} AS JSON), '$')) ELSE bq_to_string(${x}) END`;
});

function captureGroup(a: CallArgs, n: string): number {
  const re = a.tokens[1];
  if (!re || re.length !== 1 || re[0]!.kind !== 'string') throw unsupported(`${n} with a non-literal pattern`);
  const groups = (re[0]!.value.match(/(?<!\\)\((?!\?)/g) ?? []).length;
  if (groups > 1) throw new BigQueryApiError('invalidQuery', `Regular expressions passed into extraction functions must not have more than 1 capturing group`);
  return groups;
}

// math
def('LOG', (a, _t, _r, n) => (argCount(a, n, 1, 2), a.tokens.length === 1 ? `ln(${a.sql(0)})` : `(ln(${a.sql(0)}) / ln(${a.sql(1)}))`));
def('MOD', (a, _t, _r, n) => (argCount(a, n, 2), `bq_mod(${a.sql(0)}, ${a.sql(1)})`));
def('DIV', (a, _t, _r, n) => (argCount(a, n, 2), `bq_div(${a.sql(0)}, ${a.sql(1)})`));
def('IEEE_DIVIDE', (a, _t, _r, n) => (argCount(a, n, 2), `(CAST(${a.sql(0)} AS DOUBLE) / CAST(${a.sql(1)} AS DOUBLE))`));
def('SAFE_DIVIDE', (a, _t, _r, n) => (argCount(a, n, 2), `CASE WHEN ${a.sql(1)} = 0 THEN NULL ELSE CAST(${a.sql(0)} AS DOUBLE) / ${a.sql(1)} END`));
def(['SAFE_MULTIPLY', 'SAFE_ADD', 'SAFE_SUBTRACT'], (a, _t, _r, n) => {
  argCount(a, n, 2);
  const op = n === 'SAFE_MULTIPLY' ? '*' : n === 'SAFE_ADD' ? '+' : '-';
  return `bq_safe_arith(${a.sql(0)}, ${a.sql(1)}, '${op}')`;
});
def('SAFE_NEGATE', (a) => `(-${a.sql(0)})`);
def('ROUND', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  // DuckDB rounds DOUBLE and DECIMAL half away from zero, as BigQuery does
  return a.tokens.length === 2 ? `round(${a.sql(0)}, ${a.sql(1)})` : `round(${a.sql(0)})`;
});
def(['TRUNC'], (a, _t, _r, n) => (argCount(a, n, 1, 2), a.tokens.length === 2 ? `trunc(${a.sql(0)}, ${a.sql(1)})` : `trunc(${a.sql(0)})`));
def(['GREATEST', 'LEAST'], (a, _t, _r, n) => {
  const args = a.all();
  // BigQuery returns NULL if any argument is NULL; DuckDB skips NULLs
  return `CASE WHEN ${args.map((x) => `(${x}) IS NULL`).join(' OR ')} THEN NULL ELSE ${n.toLowerCase()}(${args.join(', ')}) END`;
});
def('RANGE_BUCKET', (a) => `len(list_filter(${a.sql(1)}, x -> x <= ${a.sql(0)}))`);

// aggregates
def('ARRAY_AGG', (a, t, raw) => aggregateWithModifiers(t, raw, 'ARRAY_AGG', a.windowed));
def('STRING_AGG', (_a, t, raw) => aggregateWithModifiers(t, raw, 'STRING_AGG'));
def(['APPROX_COUNT_DISTINCT'], (a) => `count(DISTINCT ${a.sql(0)})`);
def('APPROX_QUANTILES', (a) => `quantile_disc(${a.sql(0)}, [${quantiles(a)}])`);
def(['ARRAY_CONCAT_AGG'], (a) => `flatten(list(${a.sql(0)}))`);

function quantiles(a: CallArgs): string {
  const tok = a.tokens[1];
  if (!tok || tok.length !== 1 || tok[0]!.kind !== 'number') throw unsupported('APPROX_QUANTILES with a non-literal number of quantiles');
  const n = Number(tok[0]!.value);
  return Array.from({ length: n + 1 }, (_, i) => String(i / n)).join(', ');
}

function aggregateWithModifiers(t: Translator, raw: Token[], fn: 'ARRAY_AGG' | 'STRING_AGG', windowed = false): string {
  let toks = raw;
  let limit: string | undefined;
  let ignoreNulls = false;
  const find = (pred: (x: Token, i: number) => boolean): number => {
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const x = toks[i]!;
      if (isOp(x, '(', '[')) depth++;
      else if (isOp(x, ')', ']')) depth--;
      else if (depth === 0 && pred(x, i)) return i;
    }
    return -1;
  };
  const limAt = find((x) => isKeyword(x, 'LIMIT'));
  if (limAt >= 0) {
    limit = t.sub(toks.slice(limAt + 1));
    toks = toks.slice(0, limAt);
  }
  const ignAt = find((x, i) => isKeyword(x, 'IGNORE', 'RESPECT') && isKeyword(toks[i + 1], 'NULLS'));
  if (ignAt >= 0) {
    ignoreNulls = isKeyword(toks[ignAt], 'IGNORE');
    toks = [...toks.slice(0, ignAt), ...toks.slice(ignAt + 2)];
  }
  const body = t.sub(toks);
  if (fn === 'STRING_AGG') {
    if (!limit) return `string_agg(${body})`;
    // STRING_AGG(x, sep ORDER BY ... LIMIT n): the first n values in order, joined
    const distinct = isKeyword(toks[0], 'DISTINCT');
    const ord = orderAt(toks);
    const split = (() => {
      let depth = 0;
      for (let i = distinct ? 1 : 0; i < ord; i++) {
        if (isOp(toks[i], '(', '[')) depth++;
        else if (isOp(toks[i], ')', ']')) depth--;
        else if (depth === 0 && isOp(toks[i], ',')) return i;
      }
      return -1;
    })();
    const value = t.sub(toks.slice(distinct ? 1 : 0, split < 0 ? ord : split));
    const sep = split < 0 ? "','" : t.sub(toks.slice(split + 1, ord));
    const order = ord < toks.length ? ` ${t.sub(toks.slice(ord))}` : '';
    return `array_to_string(list_slice(list(${distinct ? 'DISTINCT ' : ''}${value}${order}) FILTER (WHERE (${value}) IS NOT NULL), 1, ${limit}), ${sep})`;
  }
  const firstArg = t.sub(toks.slice(isKeyword(toks[0], 'DISTINCT') ? 1 : 0, orderAt(toks)));
  // BigQuery: an ARRAY_AGG result may not contain NULL (error) unless IGNORE NULLS drops them
  // as a window function the NULL check cannot wrap the call (DuckDB binds OVER to the outer expression)
  let e = ignoreNulls ? `list(${body}) FILTER (WHERE (${firstArg}) IS NOT NULL)` : windowed ? `list(${body})` : `bq_check_no_nulls(list(${body}))`;
  if (limit) e = `list_slice(${e}, 1, ${limit})`;
  return e;
}

function orderAt(toks: Token[]): number {
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const x = toks[i]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && isKeyword(x, 'ORDER') && isKeyword(toks[i + 1], 'BY')) return i;
  }
  return toks.length;
}


def('ANY_VALUE', (_a, t, raw, n) => {
  const havingAt = raw.findIndex((x) => isKeyword(x, 'HAVING'));
  if (havingAt < 0) return `any_value(${t.sub(raw)})`;
  const dir = raw[havingAt + 1]?.value.toUpperCase();
  if (dir !== 'MAX' && dir !== 'MIN') throw new BigQueryApiError('invalidQuery', `Syntax error: ${n}(x HAVING MAX|MIN y)`);
  return `arg_${dir.toLowerCase()}(${t.sub(raw.slice(0, havingAt))}, ${t.sub(raw.slice(havingAt + 2))})`;
});
def(['LENGTH', 'CHAR_LENGTH', 'CHARACTER_LENGTH'], (a, _t, _r, n) => {
  argCount(a, n, 1);
  return `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN octet_length(TRY_CAST(${a.sql(0)} AS BLOB)) ELSE length(TRY_CAST(${a.sql(0)} AS VARCHAR)) END`;
});
def('INSTR', (a, _t, _r, n) => {
  argCount(a, n, 2, 4);
  return `bq_instr(${a.sql(0)}, ${a.sql(1)}, ${a.tokens.length >= 3 ? a.sql(2) : '1'}, ${a.tokens.length >= 4 ? a.sql(3) : '1'})`;
});
def('UNICODE', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN ${a.sql(0)} = '' THEN 0 ELSE unicode(${a.sql(0)}) END`));
def('EDIT_DISTANCE', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  if (a.tokens.length === 3) {
    const m = a.tokens[2]!;
    if (!(isKeyword(m[0], 'MAX_DISTANCE') && isOp(m[1], '=>'))) throw new BigQueryApiError('invalidQuery', `${n}: the third argument must be max_distance => n`);
    return `least(levenshtein(${a.sql(0)}, ${a.sql(1)}), ${t.sub(m.slice(2))})`;
  }
  return `levenshtein(${a.sql(0)}, ${a.sql(1)})`;
});
def('TO_CODE_POINTS', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN error('TO_CODE_POINTS of BYTES is not supported by the embedded BigQuery') ELSE list_transform(string_split(TRY_CAST(${a.sql(0)} AS VARCHAR), ''), c -> unicode(c)) END`));
def('CODE_POINTS_TO_STRING', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN list_contains(list_transform(${a.sql(0)}, x -> x IS NULL), true) THEN NULL ELSE array_to_string(list_transform(${a.sql(0)}, x -> chr(CAST(x AS INTEGER))), '') END`));
def(['SEC', 'CSC', 'SECH', 'CSCH', 'COTH'], (a, _t, _r, n) => {
  argCount(a, n, 1);
  const x = a.sql(0);
  const e = { SEC: `cos(${x})`, CSC: `sin(${x})`, SECH: `cosh(${x})`, CSCH: `sinh(${x})`, COTH: `tanh(${x})` }[n]!;
  return `bq_divide(1.0, ${e})`;
});
def('COSINE_DISTANCE', (a, _t, _r, n) => (argCount(a, n, 2), `(1 - list_cosine_similarity(CAST(${a.sql(0)} AS DOUBLE[]), CAST(${a.sql(1)} AS DOUBLE[])))`));
def('EUCLIDEAN_DISTANCE', (a, _t, _r, n) => (argCount(a, n, 2), `list_distance(CAST(${a.sql(0)} AS DOUBLE[]), CAST(${a.sql(1)} AS DOUBLE[]))`));
def(['PERCENTILE_CONT', 'PERCENTILE_DISC'], (a, t, _r, n) => {
  argCount(a, n, 2);
  if (!a.windowed) throw new BigQueryApiError('invalidQuery', `${n} must be used with an OVER clause`);
  const p = a.tokens[1]!;
  if (p.some((x) => isKeyword(x, 'RESPECT', 'IGNORE'))) throw unsupported(`${n} with RESPECT NULLS`);
  return `quantile_${n === 'PERCENTILE_CONT' ? 'cont' : 'disc'}(${a.sql(0)}, ${t.sub(p)})`;
});
def('JSON_OBJECT', (a) => {
  const first = a.tokens[0]?.[0];
  if (a.tokens.length === 2 && (isOp(first, '[') || isKeyword(first, 'ARRAY', 'ARRAY_AGG', 'CAST', 'SPLIT', 'GENERATE_ARRAY'))) {
    // JSON_OBJECT(keys, values): a MAP serializes as a JSON object
    return `CASE WHEN len(${a.sql(0)}) <> len(${a.sql(1)}) THEN error('The number of keys and values must match') ELSE CAST(to_json(map(CAST(${a.sql(0)} AS VARCHAR[]), ${a.sql(1)})) AS JSON) END`;
  }
  const args = a.all();
  if (args.length % 2 !== 0) throw unsupported('JSON_OBJECT with arrays of keys and values');
  const pairs: string[] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push(`${args[i]}, ${args[i + 1]}`);
  return `json_object(${pairs.join(', ')})`;
});
def('JSON_ARRAY', (a) => `json_array(${a.all().join(', ')})`);

// arrays
def('ARRAY_LENGTH', (a) => `len(${a.sql(0)})`);
def('ARRAY_CONCAT', (a) => a.all().reduce((acc, x) => `list_concat(${acc}, ${x})`));
def('ARRAY_TO_STRING', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  if (a.tokens.length === 3) return `array_to_string(list_transform(${a.sql(0)}, x -> coalesce(x, ${a.sql(2)})), ${a.sql(1)})`;
  return `array_to_string(${a.sql(0)}, ${a.sql(1)})`;
});
def('GENERATE_ARRAY', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const step = a.tokens.length === 3 ? a.sql(2) : '1';
  return `CASE WHEN (${a.sql(0)}) IS NULL OR (${a.sql(1)}) IS NULL OR (${step}) IS NULL THEN NULL ELSE generate_series(${a.sql(0)}, ${a.sql(1)}, ${step}) END`;
});
def('GENERATE_DATE_ARRAY', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  const step = a.tokens.length === 3 ? t.sub(a.tokens[2]!) : 'INTERVAL 1 DAY';
  return `CASE WHEN (${a.sql(0)}) IS NULL OR (${a.sql(1)}) IS NULL THEN NULL ELSE CAST(generate_series(CAST(${a.sql(0)} AS TIMESTAMP), CAST(${a.sql(1)} AS TIMESTAMP), ${step}) AS DATE[]) END`;
});
def('GENERATE_TIMESTAMP_ARRAY', (a, t, _r, n) => (argCount(a, n, 3), `generate_series(CAST(${a.sql(0)} AS TIMESTAMPTZ), CAST(${a.sql(1)} AS TIMESTAMPTZ), ${t.sub(a.tokens[2]!)})`));
def('ARRAY', (_a, t, raw) => {
  if (!isKeyword(raw[0], 'SELECT', 'WITH') && !isOp(raw[0], '(')) throw unsupported('ARRAY(...) without a subquery');
  return `ARRAY(${t.sub(raw)})`;
});
def('ARRAY_INCLUDES', (a) => `list_contains(${a.sql(0)}, ${a.sql(1)})`);
def('ARRAY_FIRST', (a) => `${a.sql(0)}[1]`);
def('ARRAY_LAST', (a) => `${a.sql(0)}[-1]`);

// dates and times
def('CURRENT_TIMESTAMP', () => 'get_current_timestamp()');
def('CURRENT_DATE', (a) => (a.tokens.length === 1 ? `CAST(timezone(${tzArg(a, 0)}, get_current_timestamp()) AS DATE)` : 'CAST(get_current_timestamp() AS DATE)'));
def('CURRENT_DATETIME', (a) => (a.tokens.length === 1 ? `CAST(timezone(${tzArg(a, 0)}, get_current_timestamp()) AS TIMESTAMP)` : 'CAST(get_current_timestamp() AS TIMESTAMP)'));
def('CURRENT_TIME', () => 'CAST(CAST(get_current_timestamp() AS TIMESTAMP) AS TIME)');
def('DATE', (a, _t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) return `make_date(${a.all().join(', ')})`;
  if (a.tokens.length === 2) return `CAST(timezone(${tzArg(a, 1)}, ${a.sql(0)}) AS DATE)`;
  return `bq_date(${a.sql(0)})`;
});
def('DATETIME', (a, _t, _r, n) => {
  argCount(a, n, 1, 6);
  if (a.tokens.length === 6) return `make_timestamp(${a.all().join(', ')})`;
  if (a.tokens.length === 2) {
    return `CASE WHEN typeof(${a.sql(1)}) = 'TIME' THEN CAST(CAST(${a.sql(0)} AS DATE) + CAST(${a.sql(1)} AS TIME) AS TIMESTAMP) ELSE CAST(timezone(CAST(${a.sql(1)} AS VARCHAR), CAST(${a.sql(0)} AS TIMESTAMPTZ)) AS TIMESTAMP) END`;
  }
  return `CAST(${a.sql(0)} AS TIMESTAMP)`;
});
def('TIME', (a, _t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) return `make_time(${a.all().join(', ')})`;
  return `CAST(${a.sql(0)} AS TIME)`;
});
def('TIMESTAMP', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  if (a.tokens.length === 2) return `timezone(${tzArg(a, 1)}, CAST(${a.sql(0)} AS TIMESTAMP))`;
  return `CAST(${a.sql(0)} AS TIMESTAMPTZ)`;
});
def('FORMAT_DATE', (a, _t, _r, n) => (argCount(a, n, 2), `strftime(CAST(${a.sql(1)} AS DATE), ${formatString(a, 0)})`));
def('FORMAT_DATETIME', (a, _t, _r, n) => (argCount(a, n, 2), `strftime(CAST(${a.sql(1)} AS TIMESTAMP), ${formatString(a, 0)})`));
def('FORMAT_TIME', (a, _t, _r, n) => (argCount(a, n, 2), `strftime(TIMESTAMP '1970-01-01' + CAST(${a.sql(1)} AS TIME), ${formatString(a, 0)})`));
def('FORMAT_TIMESTAMP', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const tz = a.tokens.length === 3 ? tzArg(a, 2) : "'UTC'";
  return `strftime(timezone(${tz}, CAST(${a.sql(1)} AS TIMESTAMPTZ)), ${formatString(a, 0).replace(/%Z/g, 'UTC')})`;
});
def('PARSE_DATE', (a, _t, _r, n) => (argCount(a, n, 2), `CAST(strptime(${a.sql(1)}, ${formatString(a, 0)}) AS DATE)`));
def('PARSE_DATETIME', (a, _t, _r, n) => (argCount(a, n, 2), `CAST(strptime(${a.sql(1)}, ${formatString(a, 0)}) AS TIMESTAMP)`));
def('PARSE_TIME', (a, _t, _r, n) => (argCount(a, n, 2), `CAST(strptime(${a.sql(1)}, ${formatString(a, 0)}) AS TIME)`));
def('PARSE_TIMESTAMP', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const parsed = `strptime(${a.sql(1)}, ${formatString(a, 0)})`;
  if (a.tokens.length === 3) return `timezone(${tzArg(a, 2)}, CAST(${parsed} AS TIMESTAMP))`;
  return `CAST(${parsed} AS TIMESTAMPTZ)`;
});
def('UNIX_SECONDS', (a) => `CAST(floor(epoch_us(${a.sql(0)}) / 1000000) AS BIGINT)`);
def('UNIX_MILLIS', (a) => `CAST(floor(epoch_us(${a.sql(0)}) / 1000) AS BIGINT)`);
def('UNIX_MICROS', (a) => `epoch_us(${a.sql(0)})`);
def('UNIX_DATE', (a) => `date_diff('day', DATE '1970-01-01', ${a.sql(0)})`);
def('DATE_FROM_UNIX_DATE', (a) => `CAST(DATE '1970-01-01' + to_days(CAST(${a.sql(0)} AS INTEGER)) AS DATE)`);
def('TIMESTAMP_SECONDS', (a) => `make_timestamptz(CAST(${a.sql(0)} AS BIGINT) * 1000000)`);
def('TIMESTAMP_MILLIS', (a) => `make_timestamptz(CAST(${a.sql(0)} AS BIGINT) * 1000)`);
def('TIMESTAMP_MICROS', (a) => `make_timestamptz(CAST(${a.sql(0)} AS BIGINT))`);

// JSON
def(['JSON_VALUE', 'JSON_EXTRACT_SCALAR'], (a, _t, _r, n) => (argCount(a, n, 1, 2), `bq_json_value(${a.sql(0)}, ${jsonPath(a)})`));
def(['JSON_QUERY', 'JSON_EXTRACT'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const e = `json_extract(${a.sql(0)}, ${jsonPath(a)})`;
  // a STRING input gives a STRING result, a JSON input a JSON result
  return `CASE WHEN typeof(${a.sql(0)}) = 'JSON' THEN ${e} ELSE nullif(CAST(${e} AS VARCHAR), 'null') END`;
});
def(['JSON_QUERY_ARRAY', 'JSON_EXTRACT_ARRAY'], (a) => `CAST(json_extract(${a.sql(0)}, ${jsonPath(a)} || '[*]') AS VARCHAR[])`);
def(['JSON_VALUE_ARRAY', 'JSON_EXTRACT_STRING_ARRAY'], (a) => `json_extract_string(${a.sql(0)}, ${jsonPath(a)} || '[*]')`);
def('PARSE_JSON', (a, _t, _r, n) => (argCount(a, n, 1), `json(${a.sql(0)})`));
def('TO_JSON', (a) => `CASE WHEN regexp_matches(typeof(${a.sql(0)}), 'TIME|BLOB|DECIMAL|INTERVAL') THEN error('TO_JSON of TIMESTAMP, DATETIME, TIME, NUMERIC, BYTES or INTERVAL values is not supported by the embedded BigQuery') ELSE to_json(${a.sql(0)}) END`);
// DuckDB renders TIMESTAMP/DATETIME/TIME/NUMERIC/BYTES in JSON differently from BigQuery: fail rather than answer wrong
def('TO_JSON_STRING', (a, _t, _r, n) => (argCount(a, n, 1, 2), `CASE WHEN regexp_matches(typeof(${a.sql(0)}), 'TIME|BLOB|DECIMAL|INTERVAL') THEN error('TO_JSON_STRING of TIMESTAMP, DATETIME, TIME, NUMERIC, BYTES or INTERVAL values is not supported by the embedded BigQuery') ELSE CAST(to_json(${a.sql(0)}) AS VARCHAR) END`));
def('JSON_TYPE', (a) => `CASE json_type(CAST(${a.sql(0)} AS JSON)) WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' ELSE 'number' END`);
// LAX_ conversions follow the JSON value's type (json_type: VARCHAR, BOOLEAN, BIGINT, UBIGINT, DOUBLE, ...)
def('LAX_STRING', (a) => `bq_lax_string(${a.sql(0)})`);
def('LAX_INT64', (a) => `bq_lax_int64(${a.sql(0)})`);
def('LAX_FLOAT64', (a) => `bq_lax_float64(${a.sql(0)})`);
def('LAX_BOOL', (a) => `bq_lax_bool(${a.sql(0)})`);
def('INT64', (a) => `bq_json_strict(${a.sql(0)}, ['BIGINT', 'UBIGINT', 'DOUBLE'], 'INT64', TRY_CAST(json_extract_string(${a.sql(0)}, '$') AS BIGINT))`);
def('FLOAT64', (a) => `bq_json_strict(${a.sql(0)}, ['BIGINT', 'UBIGINT', 'DOUBLE'], 'FLOAT64', TRY_CAST(json_extract_string(${a.sql(0)}, '$') AS DOUBLE))`);
def('BOOL', (a) => `bq_json_strict(${a.sql(0)}, ['BOOLEAN'], 'BOOL', TRY_CAST(json_extract_string(${a.sql(0)}, '$') AS BOOLEAN))`);

function jsonPath(a: CallArgs): string {
  if (a.tokens.length < 2) return "'$'";
  const t = a.tokens[1]!;
  if (t.length === 1 && t[0]!.kind === 'string') {
    return quoteString(t[0]!.value.replace(/\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/g, (_m, x: string | undefined, y: string | undefined) => `."${(x ?? y ?? '').replace(/"/g, '\\"')}"`));
  }
  return a.sql(1);
}

def(['SESSION_USER'], () => "'embedded@landform.local'");

const UNSUPPORTED_PREFIXES = ['ST_', 'ML.', 'AI.', 'NET.', 'HLL_COUNT.', 'KEYS.', 'AEAD.', 'DETERMINISTIC_', 'VECTOR_SEARCH', 'EXTERNAL_QUERY', 'OBJ.'];

export function translateFunction(name: string, args: CallArgs, t: Translator, raw: Token[]): string {
  let safe = false;
  let fn = name;
  if (fn.startsWith('SAFE.')) {
    safe = true;
    fn = fn.slice(5);
  }
  const h = handlers.get(fn);
  if (!h) {
    if (UNSUPPORTED_PREFIXES.some((p) => fn.startsWith(p))) throw unsupported(`Function ${fn}`);
    throw new BigQueryApiError('invalidQuery', `Function not found: ${name.toLowerCase()} (or it is not supported by the embedded BigQuery)`);
  }
  const sql = h(args, t, raw, fn);
  // SAFE.: errors become NULL. Our own error() calls are swapped for NULL (error() is volatile, TRY()
  // refuses volatile functions), then TRY() catches DuckDB's own errors.
  return safe ? `TRY(${withoutErrors(sql)})` : sql;
}

/** Replace error(...) calls by NULL and our raising macros by their _safe twins. */
export function withoutErrors(sql: string): string {
  let out = sql.replace(/\b(bq_[a-z0-9_]+)\(/g, (m, name: string) => (RAISING_MACROS.has(name) ? `${name}_safe(` : m));
  for (;;) {
    const at = out.search(/\berror\(/);
    if (at < 0) return out;
    let depth = 0;
    let end = at + 5;
    for (; end < out.length; end++) {
      if (out[end] === "'") {
        end = out.indexOf("'", end + 1);
        while (out[end + 1] === "'") end = out.indexOf("'", end + 2);
        continue;
      }
      if (out[end] === '(') depth++;
      if (out[end] === ')' && --depth === 0) break;
    }
    out = `${out.slice(0, at)}NULL${out.slice(end + 1)}`;
  }
}

/** Macros installed on every connection (temporary: nothing is written to the database file). */
const BASE_MACROS = [
  `CREATE OR REPLACE TEMP MACRO bq_substr(s, p, l) AS CASE WHEN l < 0 THEN error('Third argument in SUBSTR() cannot be negative') ELSE substring(s, CASE WHEN p = 0 THEN 1 WHEN p < 0 THEN greatest(length(s) + p + 1, 1) ELSE p END, coalesce(l, length(s) + 1)) END`,
  `CREATE OR REPLACE TEMP MACRO bq_divide(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE a / b END`,
  // arrays are 1-based in DuckDB and fail out of bounds in BigQuery; a JSON array subscript is 0-based and gives NULL
  // (the JSON/list choice is made on the index only, so the element keeps its own type)
  `CREATE OR REPLACE TEMP MACRO bq_offset(arr, i) AS CASE WHEN typeof(arr) <> 'JSON' AND (i < 0 OR i >= len(arr)) THEN error('Array index ' || i || ' is out of bounds (overflow)') ELSE arr[i + CASE WHEN typeof(arr) = 'JSON' THEN 0 ELSE 1 END] END`,
  `CREATE OR REPLACE TEMP MACRO bq_json_strict(j, types, name, v) AS CASE WHEN j IS NULL THEN NULL WHEN list_contains(types, json_type(j)) THEN v ELSE error('The provided JSON input is not ' || CASE name WHEN 'INT64' THEN 'an integer' WHEN 'FLOAT64' THEN 'a number' WHEN 'BOOL' THEN 'a boolean' ELSE 'a string' END) END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_bool(j) AS CASE json_type(j) WHEN 'BOOLEAN' THEN CAST(json_extract_string(j, '$') AS BOOLEAN) WHEN 'VARCHAR' THEN CASE lower(json_extract_string(j, '$')) WHEN 'true' THEN true WHEN 'false' THEN false END WHEN 'BIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) <> 0 WHEN 'UBIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) <> 0 WHEN 'DOUBLE' THEN CAST(json_extract_string(j, '$') AS DOUBLE) <> 0 END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_int64(j) AS CASE json_type(j) WHEN 'BOOLEAN' THEN CASE WHEN CAST(json_extract_string(j, '$') AS BOOLEAN) THEN 1 ELSE 0 END WHEN 'VARCHAR' THEN TRY_CAST(round(TRY_CAST(json_extract_string(j, '$') AS DOUBLE)) AS BIGINT) WHEN 'BIGINT' THEN TRY_CAST(json_extract_string(j, '$') AS BIGINT) WHEN 'UBIGINT' THEN TRY_CAST(json_extract_string(j, '$') AS BIGINT) WHEN 'DOUBLE' THEN TRY_CAST(round(CAST(json_extract_string(j, '$') AS DOUBLE)) AS BIGINT) END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_float64(j) AS CASE json_type(j) WHEN 'VARCHAR' THEN TRY_CAST(json_extract_string(j, '$') AS DOUBLE) WHEN 'BIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) WHEN 'UBIGINT' THEN CAST(json_extract_string(j, '$') AS DOUBLE) WHEN 'DOUBLE' THEN CAST(json_extract_string(j, '$') AS DOUBLE) END`,
  `CREATE OR REPLACE TEMP MACRO bq_lax_string(j) AS CASE json_type(j) WHEN 'NULL' THEN NULL WHEN 'OBJECT' THEN NULL WHEN 'ARRAY' THEN NULL ELSE json_extract_string(j, '$') END`,
  `CREATE OR REPLACE TEMP MACRO bq_mod(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE a % b END`,
  `CREATE OR REPLACE TEMP MACRO bq_div(a, b) AS CASE WHEN b = 0 THEN error('division by zero: ' || a || ' / ' || b) ELSE CAST(trunc(a / b) AS BIGINT) END`,
  `CREATE OR REPLACE TEMP MACRO bq_safe_arith(a, b, op) AS TRY(CASE op WHEN '*' THEN a * b WHEN '+' THEN a + b ELSE a - b END)`,
  `CREATE OR REPLACE TEMP MACRO bq_check_no_nulls(l) AS CASE WHEN list_contains(list_transform(l, x -> x IS NULL), true) THEN error('Array cannot have a null element; error in writing field') ELSE l END`,
  // json_value gives NULL for objects/arrays and the JSON text of a scalar; unquote that small text
  `CREATE OR REPLACE TEMP MACRO bq_json_value(j, p) AS json_extract_string(json_value(j, p), '$')`,
  // UTC civil time of a TIMESTAMP without DuckDB's ICU calendar (the session time zone is always UTC);
  // other types take the plain cast.
  `CREATE OR REPLACE TEMP MACRO bq_date(x) AS CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(make_timestamp(epoch_us(TRY_CAST(x AS TIMESTAMPTZ))) AS DATE) ELSE CAST(x AS DATE) END`,
  `CREATE OR REPLACE TEMP MACRO bq_int64(s) AS CASE WHEN s IS NULL THEN NULL WHEN regexp_full_match(s, '\\s*[+-]?[0-9]+\\s*') THEN CAST(trim(s) AS BIGINT) WHEN regexp_full_match(s, '\\s*[+-]?0[xX][0-9a-fA-F]+\\s*') THEN CASE WHEN starts_with(trim(s), '-') THEN -CAST(substring(trim(s), 2) AS BIGINT) ELSE CAST(ltrim(trim(s), '+') AS BIGINT) END ELSE error('Bad int64 value: ' || s) END`,
  `CREATE OR REPLACE TEMP MACRO bq_instr(s, sub, pos, occ) AS CASE WHEN s IS NULL OR sub IS NULL OR pos IS NULL OR occ IS NULL THEN NULL WHEN pos = 0 OR occ <= 0 THEN error('INSTR: position must not be 0 and occurrence must be positive') ELSE coalesce((CASE WHEN pos > 0 THEN list_filter(range(1, length(s) + 1), i -> i >= pos AND substring(s, i, length(sub)) = sub) ELSE list_reverse(list_filter(range(1, length(s) + 1), i -> i <= length(s) + pos + 1 AND substring(s, i, length(sub)) = sub)) END)[occ], 0) END`,
  `CREATE OR REPLACE TEMP MACRO bq_to_string(x) AS CASE
     WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN regexp_replace(strftime(CAST(x AS TIMESTAMPTZ), '%Y-%m-%d %H:%M:%S.%f'), '\\.?0*$', '') || '+00'
     WHEN typeof(x) = 'TIMESTAMP' THEN regexp_replace(strftime(CAST(x AS TIMESTAMP), '%Y-%m-%d %H:%M:%S.%f'), '\\.?0*$', '')
     WHEN typeof(x) = 'DOUBLE' AND CAST(x AS DOUBLE) = trunc(CAST(x AS DOUBLE)) AND abs(CAST(x AS DOUBLE)) < 1e15 THEN CAST(CAST(x AS BIGINT) AS VARCHAR)
     WHEN typeof(x) = 'BLOB' THEN decode(TRY_CAST(x AS BLOB))
     WHEN typeof(x) LIKE 'DECIMAL%' THEN regexp_replace(regexp_replace(CAST(x AS VARCHAR), '(\\.\\d*?)0+$', '\\1'), '\\.$', '')
     ELSE CAST(x AS VARCHAR) END`,
];

const RAISING_MACROS = new Set(BASE_MACROS.filter((m) => /\berror\(/.test(m)).map((m) => /MACRO (bq_[a-z0-9_]+)/.exec(m)![1]!));

/** Every macro, plus a `_safe` twin of each one that raises (NULL instead of the error) for SAFE. calls. */
export const MACROS = [
  ...BASE_MACROS,
  ...BASE_MACROS.filter((m) => /\berror\(/.test(m)).map((m) => withoutErrors(m.replace(/MACRO (bq_[a-z0-9_]+)/, 'MACRO $1_safe'))),
];

export { INTERVAL_UNITS };
