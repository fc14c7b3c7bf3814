/** Date and time constructors, EXTRACT, FORMAT_/PARSE_ and UNIX_ conversions. */
import { BigQueryApiError } from '../../types.js';
import { isKeyword } from '../tokenizer.js';
import { FunctionTable, argCount } from './function-table.js';
import { rangeChecked } from '../../limits.js';
import { formatString, translateFormat, tzArg, weekStart } from './date-parts.js';
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';

export const DATE_FUNCTIONS = new FunctionTable();
const def = DATE_FUNCTIONS.def;

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

def('CURRENT_TIMESTAMP', () => 'get_current_timestamp()');
def('CURRENT_DATE', (a) => (a.tokens.length === 1 ? `CAST(timezone(${tzArg(a, 0)}, get_current_timestamp()) AS DATE)` : 'CAST(get_current_timestamp() AS DATE)'));
def('CURRENT_DATETIME', (a) => (a.tokens.length === 1 ? `CAST(timezone(${tzArg(a, 0)}, get_current_timestamp()) AS TIMESTAMP)` : 'CAST(get_current_timestamp() AS TIMESTAMP)'));
def('CURRENT_TIME', () => 'CAST(CAST(get_current_timestamp() AS TIMESTAMP) AS TIME)');
def('DATE', (a, _t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) return rangeChecked('DATE', `make_date(${a.all().join(', ')})`);
  if (a.tokens.length === 2) return rangeChecked('DATE', `CAST(timezone(${tzArg(a, 1)}, ${a.sql(0)}) AS DATE)`);
  // a STRING argument is read as a TIMESTAMP (its zone kept, UTC without one), as GoogleSQL coerces it here
  return rangeChecked('DATE', `bq_date(${asTimestampIfString(a.sql(0))})`);
});
def('DATETIME', (a, _t, _r, n) => {
  argCount(a, n, 1, 6);
  if (a.tokens.length === 6) return rangeChecked('DATETIME', `make_timestamp(${a.all().join(', ')})`);
  if (a.tokens.length === 2) {
    return rangeChecked('DATETIME', `CASE WHEN typeof(${a.sql(1)}) = 'TIME' THEN CAST(CAST(${a.sql(0)} AS DATE) + CAST(${a.sql(1)} AS TIME) AS TIMESTAMP) ELSE CAST(timezone(CAST(${a.sql(1)} AS VARCHAR), CAST(${a.sql(0)} AS TIMESTAMPTZ)) AS TIMESTAMP) END`);
  }
  return rangeChecked('DATETIME', `CAST(${a.sql(0)} AS TIMESTAMP)`);
});
def('TIME', (a, _t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) return `make_time(${a.all().join(', ')})`;
  // TIME(timestamp): its UTC time of day (DuckDB has no TIMESTAMPTZ to TIME cast without ICU); a STRING is a TIMESTAMP here
  const x = a.sql(0);
  const instant = `CAST(CAST(${x} AS VARCHAR) AS TIMESTAMPTZ)`;
  if (a.tokens.length === 2) return `CAST(timezone(${tzArg(a, 1)}, ${instant}) AS TIME)`;
  return `CASE WHEN typeof(${x}) IN ('VARCHAR', 'TIMESTAMP WITH TIME ZONE') THEN CAST(make_timestamp(epoch_us(${instant})) AS TIME) ELSE CAST(${x} AS TIME) END`;
});
/**
 * x as a TIMESTAMP: a STRING is read as one (DATE('2019-08-01 03:00:00+05') is 2019-07-31 in UTC); a DATE,
 * DATETIME or TIMESTAMP keeps its UTC civil date (the session time zone is UTC).
 */
function asTimestampIfString(x: string): string {
  return `CASE WHEN typeof(${x}) = 'VARCHAR' THEN CAST(CAST(${x} AS VARCHAR) AS TIMESTAMPTZ) ELSE CAST(${x} AS TIMESTAMPTZ) END`;
}
def('TIMESTAMP', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  if (a.tokens.length === 2) return rangeChecked('TIMESTAMP', `timezone(${tzArg(a, 1)}, CAST(${a.sql(0)} AS TIMESTAMP))`);
  return rangeChecked('TIMESTAMP', `CAST(${a.sql(0)} AS TIMESTAMPTZ)`);
});
// strftime pads years to 4 digits; BigQuery's formatter does not pad them the same way, so years
// before 1000 with a year element fail rather than print a different year
const earlyYear = (x: string, f: string, n: string): string =>
  `CASE WHEN year(${x}) < 1000 AND regexp_matches(${f}, '%[YFGc]') THEN error('${n} of a year before 1000 is not supported by the embedded BigQuery') ELSE strftime(${x}, ${f}) END`;
def('FORMAT_DATE', (a, _t, _r, n) => (argCount(a, n, 2), earlyYear(`CAST(${a.sql(1)} AS DATE)`, formatString(a, 0), n)));
def('FORMAT_DATETIME', (a, _t, _r, n) => (argCount(a, n, 2), earlyYear(`CAST(${a.sql(1)} AS TIMESTAMP)`, formatString(a, 0), n)));
def('FORMAT_TIME', (a, _t, _r, n) => (argCount(a, n, 2), `strftime(DATE '1970-01-01' + CAST(${a.sql(1)} AS TIME), ${formatString(a, 0)})`));
def('FORMAT_TIMESTAMP', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const tz = a.tokens.length === 3 ? tzArg(a, 2) : "'UTC'";
  const ts = `CAST(${a.sql(1)} AS TIMESTAMPTZ)`;
  const local = `timezone(${tz}, ${ts})`;
  const f = a.tokens[0]!;
  if (f.length !== 1 || f[0]!.kind !== 'string' || !/%(E?z|Z)/.test(f[0]!.value)) return `strftime(${local}, ${formatString(a, 0)})`;
  // %z / %Ez are the zone's offset at that instant and %Z its name: strftime on the local civil time
  // would print UTC's, so the offset is computed and spliced in; a zone name other than UTC fails loudly
  const utc = tz === "'UTC'" || /^'(UTC|Etc\/UTC|Z)'$/i.test(tz);
  if (!utc && f[0]!.value.includes('%Z')) throw unsupported('FORMAT_TIMESTAMP with %Z in a time zone other than UTC');
  const minutes = `CAST((epoch_us(${local}) - epoch_us(${ts})) // 60000000 AS BIGINT)`;
  const offset = (sep: string): string =>
    `(CASE WHEN ${minutes} < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(${minutes}) // 60 AS VARCHAR), 2, '0') || '${sep}' || lpad(CAST(abs(${minutes}) % 60 AS VARCHAR), 2, '0'))`;
  const pieces = f[0]!.value.split(/(%Ez|%z|%Z)/).map((p) => (p === '%Ez' ? offset(':') : p === '%z' ? offset('') : p === '%Z' ? "'UTC'" : p === '' ? "''" : `strftime(${local}, ${quoteString(translateFormat(p))})`));
  return `(${pieces.join(' || ')})`;
});
def('PARSE_DATE', (a, _t, _r, n) => (argCount(a, n, 2), rangeChecked('DATE', `CAST(strptime(${a.sql(1)}, ${formatString(a, 0)}) AS DATE)`)));
def('PARSE_DATETIME', (a, _t, _r, n) => (argCount(a, n, 2), rangeChecked('DATETIME', `CAST(strptime(${a.sql(1)}, ${formatString(a, 0)}) AS TIMESTAMP)`)));
def('PARSE_TIME', (a, _t, _r, n) => (argCount(a, n, 2), `CAST(strptime(${a.sql(1)}, ${formatString(a, 0)}) AS TIME)`));
def('PARSE_TIMESTAMP', (a, _t, _r, n) => {
  argCount(a, n, 2, 3);
  const parsed = `strptime(${a.sql(1)}, ${formatString(a, 0)})`;
  if (a.tokens.length === 3) return rangeChecked('TIMESTAMP', `timezone(${tzArg(a, 2)}, CAST(${parsed} AS TIMESTAMP))`);
  return rangeChecked('TIMESTAMP', `CAST(${parsed} AS TIMESTAMPTZ)`);
});
def('UNIX_SECONDS', (a) => `CAST(floor(epoch_us(${a.sql(0)}) / 1000000) AS BIGINT)`);
def('UNIX_MILLIS', (a) => `CAST(floor(epoch_us(${a.sql(0)}) / 1000) AS BIGINT)`);
def('UNIX_MICROS', (a) => `epoch_us(${a.sql(0)})`);
def('UNIX_DATE', (a) => `date_diff('day', DATE '1970-01-01', ${a.sql(0)})`);
def('DATE_FROM_UNIX_DATE', (a) => rangeChecked('DATE', `CAST(DATE '1970-01-01' + to_days(CAST(${a.sql(0)} AS INTEGER)) AS DATE)`));
def('TIMESTAMP_SECONDS', (a) => rangeChecked('TIMESTAMP', `make_timestamptz(CAST(${a.sql(0)} AS BIGINT) * 1000000)`));
def('TIMESTAMP_MILLIS', (a) => rangeChecked('TIMESTAMP', `make_timestamptz(CAST(${a.sql(0)} AS BIGINT) * 1000)`));
def('TIMESTAMP_MICROS', (a) => rangeChecked('TIMESTAMP', `make_timestamptz(CAST(${a.sql(0)} AS BIGINT))`));
