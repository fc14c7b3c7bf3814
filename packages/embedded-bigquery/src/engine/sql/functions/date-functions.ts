/** Date and time constructors, EXTRACT, FORMAT_/PARSE_ and UNIX_ conversions. */
import { BigQueryApiError } from '../../types.js';
import { isKeyword } from '../tokenizer.js';
import { FunctionTable, argCount } from './function-table.js';
import { rangeChecked } from '../../limits.js';
import { formatString, translateFormat, weekStart } from './date-parts.js';
import { civilOf, dateOf, defaultZone, instantOf, isUtc, parseZone, plainArg, timestampArg, toTimestamp, zoneArg, type Zone } from './time-zones.js';
import type { Token } from '../tokenizer.js';
import type { TranslationContext } from '../translation-context.js';
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';

export const DATE_FUNCTIONS = new FunctionTable();
const def = DATE_FUNCTIONS.def;

def('EXTRACT', (_a, t, raw, n) => {
  const fromAt = raw.findIndex((x) => isKeyword(x, 'FROM'));
  if (fromAt < 1) throw new BigQueryApiError('invalidQuery', 'Syntax error: EXTRACT(part FROM expression)');
  const p = raw.slice(0, fromAt).map((x) => x.value.toUpperCase()).join('');
  let rest = raw.slice(fromAt + 1);
  let zone: Zone | undefined;
  const atAt = rest.findIndex((x, i) => isKeyword(x, 'AT') && isKeyword(rest[i + 1], 'TIME') && isKeyword(rest[i + 2], 'ZONE'));
  if (atAt >= 0) {
    zone = zoneOfTokens(t, rest.slice(atAt + 3));
    rest = rest.slice(0, atAt);
  }
  const source = t.sub(rest);
  if (zone) return extractPart(p, civilOf(`CAST(${source} AS TIMESTAMPTZ)`, zone), n);
  // a TIMESTAMP is read as its civil time in the default zone (in UTC without DuckDB's ICU calendar)
  const civil = civilOf(`TRY_CAST(${source} AS TIMESTAMPTZ)`, defaultZone(t));
  return `CASE WHEN typeof(${source}) = 'TIMESTAMP WITH TIME ZONE' THEN ${extractPart(p, civil, n)} ELSE ${extractPart(p, source, n)} END`;
});

/** The zone after AT TIME ZONE: a literal checked now, else read per row. */
function zoneOfTokens(t: TranslationContext, toks: Token[]): Zone {
  return toks.length === 1 && toks[0]!.kind === 'string' ? parseZone(toks[0]!.value) : { kind: 'expr', sql: t.sub(toks) };
}

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
/** The zone argument i when the call has it, else the statement's default zone. */
const zoneAt = (a: Parameters<typeof zoneArg>[0], t: TranslationContext, i: number): Zone => (a.tokens.length > i ? zoneArg(a, i) : defaultZone(t));
const NOW = 'get_current_timestamp()';
def('CURRENT_DATE', (a, t) => `CAST(${civilOf(NOW, zoneAt(a, t, 0))} AS DATE)`);
def('CURRENT_DATETIME', (a, t) => civilOf(NOW, zoneAt(a, t, 0)));
def('CURRENT_TIME', (a, t) => `CAST(${civilOf(NOW, zoneAt(a, t, 0))} AS TIME)`);
def('DATE', (a, t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) return rangeChecked('DATE', `make_date(${a.all().join(', ')})`);
  const z = defaultZone(t);
  if (a.tokens.length === 2) return rangeChecked('DATE', `CAST(${civilOf(toTimestamp(plainArg(a, 0), z), zoneArg(a, 1))} AS DATE)`);
  // a STRING argument is read as a TIMESTAMP (its zone kept, the default zone without one), as GoogleSQL coerces it here
  const x = plainArg(a, 0);
  if (isUtc(z)) return rangeChecked('DATE', dateOf(asTimestampIfString(x), z));
  return rangeChecked('DATE', `CASE WHEN typeof(${x}) IN ('VARCHAR', 'TIMESTAMP WITH TIME ZONE') THEN CAST(${civilOf(toTimestamp(x, z), z)} AS DATE) ELSE CAST(${x} AS DATE) END`);
});
def('DATETIME', (a, t, _r, n) => {
  argCount(a, n, 1, 6);
  if (a.tokens.length === 6) return rangeChecked('DATETIME', `make_timestamp(${a.all().join(', ')})`);
  const z = defaultZone(t);
  if (a.tokens.length === 2) {
    const b = a.tokens[1]!;
    // DATETIME(timestamp, zone) or DATETIME(date, time): a string literal second is a zone
    const inZone = (zone: Zone): string => civilOf(toTimestamp(plainArg(a, 0), z), zone);
    if (b.length === 1 && b[0]!.kind === 'string') return rangeChecked('DATETIME', inZone(zoneArg(a, 1)));
    return rangeChecked('DATETIME', `CASE WHEN typeof(${plainArg(a, 1)}) = 'TIME' THEN CAST(CAST(${plainArg(a, 0)} AS DATE) + CAST(${plainArg(a, 1)} AS TIME) AS TIMESTAMP) ELSE ${inZone({ kind: 'expr', sql: `CAST(${plainArg(a, 1)} AS VARCHAR)` })} END`);
  }
  const x = plainArg(a, 0);
  if (isUtc(z)) return rangeChecked('DATETIME', `CAST(${x} AS TIMESTAMP)`);
  return rangeChecked('DATETIME', `CASE WHEN typeof(${x}) = 'TIMESTAMP WITH TIME ZONE' THEN ${civilOf(`TRY_CAST(${x} AS TIMESTAMPTZ)`, z)} ELSE CAST(${x} AS TIMESTAMP) END`);
});
def('TIME', (a, t, _r, n) => {
  argCount(a, n, 1, 3);
  if (a.tokens.length === 3) return `make_time(${a.all().join(', ')})`;
  // TIME(timestamp): its time of day in the zone (DuckDB has no TIMESTAMPTZ to TIME cast without ICU); a STRING is a TIMESTAMP here
  const x = plainArg(a, 0);
  const z = defaultZone(t);
  if (a.tokens.length === 2) return `CAST(${civilOf(toTimestamp(x, z), zoneArg(a, 1))} AS TIME)`;
  const instant = isUtc(z) ? `CAST(CAST(${x} AS VARCHAR) AS TIMESTAMPTZ)` : toTimestamp(x, z);
  return `CASE WHEN typeof(${x}) IN ('VARCHAR', 'TIMESTAMP WITH TIME ZONE') THEN CAST(${civilOf(instant, z)} AS TIME) ELSE CAST(${x} AS TIME) END`;
});
/**
 * x as a TIMESTAMP: a STRING is read as one (DATE('2019-08-01 03:00:00+05') is 2019-07-31 in UTC); a DATE,
 * DATETIME or TIMESTAMP is kept as it is (DATE() then takes its civil date).
 */
function asTimestampIfString(x: string): string {
  return `CASE WHEN typeof(${x}) = 'VARCHAR' THEN CAST(CAST(${x} AS VARCHAR) AS TIMESTAMPTZ) ELSE CAST(${x} AS TIMESTAMPTZ) END`;
}
def('TIMESTAMP', (a, t, _r, n) => {
  argCount(a, n, 1, 2);
  if (a.tokens.length === 2) return rangeChecked('TIMESTAMP', instantOf(`CAST(${plainArg(a, 0)} AS TIMESTAMP)`, zoneArg(a, 1)));
  return rangeChecked('TIMESTAMP', toTimestamp(plainArg(a, 0), defaultZone(t)));
});
// strftime pads years to 4 digits; BigQuery's formatter does not pad them the same way, so years
// before 1000 with a year element fail rather than print a different year
const earlyYear = (x: string, f: string, n: string): string =>
  `CASE WHEN year(${x}) < 1000 AND regexp_matches(${f}, '%[YFGc]') THEN error('${n} of a year before 1000 is not supported by the embedded BigQuery') ELSE strftime(${x}, ${f}) END`;
def('FORMAT_DATE', (a, _t, _r, n) => (argCount(a, n, 2), earlyYear(`CAST(${plainArg(a, 1)} AS DATE)`, formatString(a, 0), n)));
def('FORMAT_DATETIME', (a, _t, _r, n) => (argCount(a, n, 2), earlyYear(`CAST(${plainArg(a, 1)} AS TIMESTAMP)`, formatString(a, 0), n)));
def('FORMAT_TIME', (a, _t, _r, n) => (argCount(a, n, 2), `strftime(DATE '1970-01-01' + CAST(${plainArg(a, 1)} AS TIME), ${formatString(a, 0)})`));
def('FORMAT_TIMESTAMP', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  const z = zoneAt(a, t, 2);
  const ts = `CAST(${timestampArg(a, t, 1)} AS TIMESTAMPTZ)`;
  const local = civilOf(ts, z);
  const f = a.tokens[0]!;
  const literal = f.length === 1 && f[0]!.kind === 'string';
  // a format read at run time may hold %z, %Z or %s, which strftime on the civil time would print as UTC's
  if (!literal && !isUtc(z)) throw unsupported('FORMAT_TIMESTAMP with a format that is not a literal, in a time zone other than UTC');
  if (!literal || !/%(E?z|Z|s)/.test(f[0]!.value)) return `strftime(${local}, ${formatString(a, 0)})`;
  // %z / %Ez are the zone's offset at that instant, %Z its name and %s the seconds since the epoch: strftime
  // on the local civil time would print UTC's, so they are computed and spliced in; %Z in a zone other than UTC fails loudly
  if (!isUtc(z) && f[0]!.value.includes('%Z')) throw unsupported('FORMAT_TIMESTAMP with %Z in a time zone other than UTC');
  const minutes = `CAST((epoch_us(${local}) - epoch_us(${ts})) // 60000000 AS BIGINT)`;
  const offset = (sep: string): string =>
    `(CASE WHEN ${minutes} < 0 THEN '-' ELSE '+' END || lpad(CAST(abs(${minutes}) // 60 AS VARCHAR), 2, '0') || '${sep}' || lpad(CAST(abs(${minutes}) % 60 AS VARCHAR), 2, '0'))`;
  const piece = (p: string): string => {
    if (p === '%Ez') return offset(':');
    if (p === '%z') return offset('');
    if (p === '%Z') return "'UTC'";
    if (p === '%s') return `CAST(CAST(floor(epoch_us(${ts}) / 1000000) AS BIGINT) AS VARCHAR)`;
    return p === '' ? "''" : `strftime(${local}, ${quoteString(translateFormat(p))})`;
  };
  return `(${f[0]!.value.split(/(%Ez|%z|%Z|%s)/).map(piece).join(' || ')})`;
});
def('PARSE_DATE', (a, _t, _r, n) => (argCount(a, n, 2), rangeChecked('DATE', `CAST(strptime(${plainArg(a, 1)}, ${formatString(a, 0)}) AS DATE)`)));
def('PARSE_DATETIME', (a, _t, _r, n) => (argCount(a, n, 2), rangeChecked('DATETIME', `CAST(strptime(${plainArg(a, 1)}, ${formatString(a, 0)}) AS TIMESTAMP)`)));
def('PARSE_TIME', (a, _t, _r, n) => (argCount(a, n, 2), `CAST(strptime(${plainArg(a, 1)}, ${formatString(a, 0)}) AS TIME)`));
def('PARSE_TIMESTAMP', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  const parsed = `strptime(${plainArg(a, 1)}, ${formatString(a, 0)})`;
  const z = zoneAt(a, t, 2);
  if (isUtc(z)) return rangeChecked('TIMESTAMP', `CAST(${parsed} AS TIMESTAMPTZ)`);
  // the civil time parsed is read in the zone; an offset parsed from the text (%z, %Ez) wins over it, as in ZetaSQL's parser
  const f = a.tokens[0]!;
  if (f.length !== 1 || f[0]!.kind !== 'string' || /%(Z|s|Q)/.test(f[0]!.value)) throw unsupported(`${n} with a time zone and a format that is not a literal or reads a zone name or an instant`);
  if (/%E?z/.test(f[0]!.value)) return rangeChecked('TIMESTAMP', `CAST(${parsed} AS TIMESTAMPTZ)`);
  return rangeChecked('TIMESTAMP', instantOf(`CAST(${parsed} AS TIMESTAMP)`, z));
});
def('UNIX_SECONDS', (a, t) => `CAST(floor(epoch_us(${timestampArg(a, t, 0)}) / 1000000) AS BIGINT)`);
def('UNIX_MILLIS', (a, t) => `CAST(floor(epoch_us(${timestampArg(a, t, 0)}) / 1000) AS BIGINT)`);
def('UNIX_MICROS', (a, t) => `epoch_us(${timestampArg(a, t, 0)})`);
def('UNIX_DATE', (a) => `date_diff('day', DATE '1970-01-01', ${plainArg(a, 0)})`);
def('DATE_FROM_UNIX_DATE', (a) => rangeChecked('DATE', `CAST(DATE '1970-01-01' + to_days(CAST(${plainArg(a, 0)} AS INTEGER)) AS DATE)`));
def('TIMESTAMP_SECONDS', (a) => rangeChecked('TIMESTAMP', `make_timestamptz(CAST(${plainArg(a, 0)} AS BIGINT) * 1000000)`));
def('TIMESTAMP_MILLIS', (a) => rangeChecked('TIMESTAMP', `make_timestamptz(CAST(${plainArg(a, 0)} AS BIGINT) * 1000)`));
def('TIMESTAMP_MICROS', (a) => rangeChecked('TIMESTAMP', `make_timestamptz(CAST(${plainArg(a, 0)} AS BIGINT))`));
