/**
 * Time zones: the zone argument of a date/time function, the default zone a statement runs in
 * (`SET @@time_zone`, translate-env.ts `timeZone`), and conversions between a TIMESTAMP (an instant,
 * DuckDB TIMESTAMPTZ) and its civil time (DuckDB TIMESTAMP) in a zone.
 *
 * DuckDB's ICU knows tz database names but not offsets with minutes ('UTC+1234' read as +12:00,
 * '+05:30' unknown), so fixed offsets are converted by integer arithmetic on microseconds. A civil
 * time that occurs twice (a DST fall-back hour) is read with the offset before the transition, as
 * ZetaSQL does (date_time_util.cc: `timezone.At(civil).pre`); ICU picks the later instant.
 */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import type { CallArgs, TranslationContext } from '../translation-context.js';
import { isKeyword, isOp, type Token } from '../tokenizer.js';

/** A zone known when the statement is translated (a literal or the default), or one read at run time. */
export type Zone = { kind: 'offset'; minutes: number } | { kind: 'named'; name: string } | { kind: 'expr'; sql: string };

export const UTC: Zone = { kind: 'offset', minutes: 0 };

/** tz database zone names without a '/' (the rest are Area/Location). */
export const TOP_LEVEL_ZONES = [
  'UTC', 'GMT', 'UCT', 'Zulu', 'Universal', 'Greenwich', 'GMT0', 'GMT+0', 'GMT-0', 'CET', 'EET', 'MET', 'WET', 'EST', 'MST', 'HST',
  'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT', 'Cuba', 'Egypt', 'Eire', 'GB', 'GB-Eire', 'Hongkong', 'Iceland', 'Iran', 'Israel',
  'Jamaica', 'Japan', 'Kwajalein', 'Libya', 'NZ', 'NZ-CHAT', 'Navajo', 'PRC', 'Poland', 'Portugal', 'ROC', 'ROK', 'Singapore', 'Turkey', 'W-SU',
];
const TOP_LEVEL = new Set(TOP_LEVEL_ZONES);
const UTC_NAMES = /^(UTC|Etc\/UTC|Etc\/GMT|GMT|Etc\/UCT|UCT|Zulu|Etc\/Zulu|Universal|Etc\/Universal|Greenwich|Etc\/Greenwich|GMT0|GMT[+-]0|Etc\/GMT[+-]?0)$/;
const OFFSET = /^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** A zone's text as BigQuery reads it: a tz database name, or an offset (+|-)H[H][[:]MM], with or without UTC before it. */
export function parseZone(text: string): Zone {
  const zone = text.trim();
  const m = OFFSET.exec(zone);
  if (m) {
    const hours = Number(m[2]);
    const minutes = Number(m[3] ?? '0');
    if (hours > 14 || minutes > 59) throw new BigQueryApiError('invalidQuery', `Invalid time zone: ${text}`);
    return { kind: 'offset', minutes: (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
  }
  // BigQuery takes tz database names; DuckDB's ICU also takes aliases such as 'IST' that BigQuery rejects
  if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone) && !TOP_LEVEL.has(zone)) throw new BigQueryApiError('invalidQuery', `Invalid time zone: ${text}`);
  return UTC_NAMES.test(zone) ? UTC : { kind: 'named', name: zone };
}

/** The zone argument i of a call: a literal is checked now, anything else is read per row. */
export function zoneArg(a: CallArgs, i: number): Zone {
  const toks = a.tokens[i] ?? [];
  if (toks.length === 1 && toks[0]!.kind === 'string') return parseZone(toks[0]!.value);
  return { kind: 'expr', sql: a.sql(i) };
}

/** The zone a statement's functions use when they are given none (`SET @@time_zone`; UTC otherwise). */
export function defaultZone(t: TranslationContext): Zone {
  return zoneOfEnv(t.env?.timeZone);
}

/** The default zone from translate-env.ts's `timeZone` (undefined: UTC). */
export function zoneOfEnv(tz: string | undefined): Zone {
  return tz === undefined ? UTC : parseZone(tz);
}

export function isUtc(z: Zone): boolean {
  return z.kind === 'offset' && z.minutes === 0;
}

/** The zone as a SQL string value (an offset as '+hh:mm'). */
export function zoneSql(z: Zone): string {
  if (z.kind === 'expr') return z.sql;
  if (z.kind === 'named') return quoteString(z.name);
  const abs = Math.abs(z.minutes);
  return quoteString(`${z.minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`);
}

/** The civil time (TIMESTAMP) of an instant (TIMESTAMPTZ expression) in a zone; UTC without ICU. */
export function civilOf(instant: string, z: Zone): string {
  if (z.kind === 'offset') return `make_timestamp(epoch_us(${instant})${z.minutes === 0 ? '' : ` + ${z.minutes * 60_000_000}`})`;
  if (z.kind === 'named') return `timezone(${quoteString(z.name)}, ${instant})`;
  return `bq_civil(${instant}, ${z.sql})`;
}

/** The instant (TIMESTAMPTZ) of a civil time (TIMESTAMP expression) in a zone. */
export function instantOf(civil: string, z: Zone): string {
  if (z.kind === 'offset') return `make_timestamptz(epoch_us(${civil})${z.minutes === 0 ? '' : ` - ${z.minutes * 60_000_000}`})`;
  if (z.kind === 'named') return `bq_instant_named(${civil}, ${quoteString(z.name)})`;
  return `bq_instant(${civil}, ${z.sql})`;
}

/** A date/time text that names its own zone or offset ('... UTC', '...+05:30', '...Z', '... America/Los_Angeles'). */
const TEXT_HAS_ZONE = '[0-9]:[0-9]{1,2}(:[0-9]{1,2}([.][0-9]*)?)? *[A-Za-z+-]|^ *[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2} +[A-Za-z+-]';

export function textHasZone(text: string): boolean {
  return new RegExp(TEXT_HAS_ZONE).test(text);
}

/** A TIMESTAMP literal's text as an instant: its own zone if it names one, else the default zone. */
export function timestampLiteral(text: string, z: Zone): string {
  const plain = `CAST(${quoteString(text)} AS TIMESTAMPTZ)`;
  if (isUtc(z) || textHasZone(text)) return plain;
  return instantOf(`CAST(${quoteString(text)} AS TIMESTAMP)`, z);
}

/** A STRING expression read as a TIMESTAMP: its own zone if it names one, else the default zone. */
export function timestampFromString(s: string, z: Zone, safe = false): string {
  const cast = safe ? 'TRY_CAST' : 'CAST';
  if (isUtc(z)) return `${cast}(${s} AS TIMESTAMPTZ)`;
  return `CASE WHEN regexp_matches(${s}, ${quoteString(TEXT_HAS_ZONE)}) THEN ${cast}(${s} AS TIMESTAMPTZ) ELSE ${instantOf(`${cast}(${s} AS TIMESTAMP)`, z)} END`;
}

/**
 * x (any DuckDB type) as a TIMESTAMP, as GoogleSQL coerces it here: a STRING read in the zone
 * unless it names one, a DATE or DATETIME as its civil time in the zone, a TIMESTAMP unchanged.
 */
export function toTimestamp(x: string, z: Zone, safe = false): string {
  const cast = safe ? 'TRY_CAST' : 'CAST';
  if (isUtc(z)) return `${cast}(${x} AS TIMESTAMPTZ)`;
  const text = `TRY_CAST(${x} AS VARCHAR)`;
  return `CASE WHEN typeof(${x}) = 'TIMESTAMP WITH TIME ZONE' THEN TRY_CAST(${x} AS TIMESTAMPTZ) WHEN typeof(${x}) = 'VARCHAR' THEN ${timestampFromString(text, z, safe)} ELSE ${instantOf(`${cast}(${x} AS TIMESTAMP)`, z)} END`;
}

/** The text of a TIMESTAMP in a zone, as CAST(ts AS STRING) and STRING(ts) print it ('... 10:20:30+05:30'). */
export function timestampText(ts: string, z: Zone): string {
  if (isUtc(z)) return `(bq_fraction_text(strftime(${ts}, '%Y-%m-%d %H:%M:%S.%f')) || '+00')`;
  return `bq_timestamp_text_in(${ts}, ${zoneSql(z)})`;
}

const OFFSET_MINUTES = (tz: string): string =>
  `(CASE WHEN regexp_full_match(trim(${tz}), '(?i)(UTC)?[+-][0-9]{1,2}(:?[0-9]{2})?') THEN (CASE WHEN contains(${tz}, '-') THEN -1 ELSE 1 END) * (CAST(regexp_extract(trim(${tz}), '[+-]([0-9]{1,2})', 1) AS BIGINT) * 60 + coalesce(TRY_CAST(NULLIF(regexp_extract(trim(${tz}), '[+-][0-9]{1,2}:?([0-9]{2})$', 1), '') AS BIGINT), 0)) END)`;

/** Macros for zones read at run time (a column of zone names or offsets). */
export const TIME_ZONE_MACROS = [
  `CREATE OR REPLACE TEMP MACRO bq_tz_offset(tz) AS ${OFFSET_MINUTES('tz')}`,
  // a name BigQuery takes (a tz database name), else BigQuery's error
  `CREATE OR REPLACE TEMP MACRO bq_tz_name(tz) AS CASE WHEN regexp_full_match(trim(tz), '[A-Za-z_]+(/[A-Za-z0-9_+-]+)+') OR trim(tz) IN (${TOP_LEVEL_ZONES.map(quoteString).join(', ')}) THEN trim(tz) ELSE error('Invalid time zone: ' || tz) END`,
  `CREATE OR REPLACE TEMP MACRO bq_civil(ts, tz) AS CASE WHEN tz IS NULL THEN NULL WHEN bq_tz_offset(tz) IS NOT NULL THEN make_timestamp(epoch_us(ts) + bq_tz_offset(tz) * 60000000) ELSE timezone(bq_tz_name(tz), ts) END`,
  // a civil time that occurs twice takes the earlier instant (the offset before the transition)
  `CREATE OR REPLACE TEMP MACRO bq_instant_named(c, tz) AS list_transform([timezone(tz, c)], i -> CASE WHEN timezone(tz, i - INTERVAL 1 HOUR) = c THEN i - INTERVAL 1 HOUR WHEN timezone(tz, i - INTERVAL 30 MINUTE) = c THEN i - INTERVAL 30 MINUTE ELSE i END)[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_date_in(x, tz) AS CASE WHEN typeof(x) = 'TIMESTAMP WITH TIME ZONE' THEN CAST(bq_civil(TRY_CAST(x AS TIMESTAMPTZ), tz) AS DATE) ELSE CAST(x AS DATE) END`,
  `CREATE OR REPLACE TEMP MACRO bq_instant(c, tz) AS CASE WHEN tz IS NULL THEN NULL WHEN bq_tz_offset(tz) IS NOT NULL THEN make_timestamptz(epoch_us(c) - bq_tz_offset(tz) * 60000000) ELSE bq_instant_named(c, bq_tz_name(tz)) END`,
];

/** The DATE of x: a TIMESTAMP's civil date in the zone, a DATE or DATETIME's own (bq_date: UTC without ICU). */
export function dateOf(x: string, z: Zone): string {
  return isUtc(z) ? `bq_date(${x})` : `bq_date_in(${x}, ${zoneSql(z)})`;
}

/** x as BigQuery's STRING of it (bq_to_string), a TIMESTAMP printed in the zone. */
export function stringOf(x: string, z: Zone): string {
  if (isUtc(z)) return `bq_to_string(${x})`;
  return `CASE WHEN typeof(${x}) = 'TIMESTAMP WITH TIME ZONE' THEN ${timestampText(`TRY_CAST(${x} AS TIMESTAMPTZ)`, z)} ELSE bq_to_string(${x}) END`;
}

/** A STRING literal's text that GoogleSQL would coerce to a TIMESTAMP as a civil time (it names no zone). */
const CIVIL_TEXT = /^\s*\d{1,4}-\d{1,2}-\d{1,2}([ Tt]\d{1,2}:\d{1,2}(:\d{1,2}(\.\d*)?)?)?\s*$/;

/**
 * A STRING literal where the translator does not know what it becomes (translator.ts). Under a
 * default zone other than UTC, a date or time text could be coerced to a TIMESTAMP, which DuckDB
 * would read in UTC: that fails loudly. The date/time functions read their literal arguments
 * themselves (plainArg, timestampArg), so they never get here.
 */
export function stringLiteral(text: string, timeZone: string | undefined, tokens: readonly Token[] = [], at = -1): string {
  if (timeZone !== undefined && !isUtc(parseZone(timeZone)) && CIVIL_TEXT.test(text)) {
    // an item of an array literal takes the type of its typed siblings: a DATE or DATETIME is civil, a TIMESTAMP read in the zone
    const sibling = siblingLiteralType(tokens, at) ?? comparedLiteralType(tokens, at);
    if (sibling === 'TIMESTAMP') return timestampLiteral(text, parseZone(timeZone));
    if (sibling === 'DATE' || sibling === 'DATETIME' || sibling === 'STRING') return quoteString(text);
    throw unsupported(`The STRING literal '${text}' where it may be read as a TIMESTAMP, under a @@time_zone other than UTC (write DATE, DATETIME or TIMESTAMP before it)`);
  }
  return quoteString(text);
}

/**
 * The typed literal kind (DATE, DATETIME, TIMESTAMP) of the other items of the array literal whose
 * item is the token at `at`, when they agree; STRING for an array of string literals unnested in FROM;
 * undefined otherwise.
 */
function siblingLiteralType(tokens: readonly Token[], at: number): string | undefined {
  if (at < 1 || !(isOp(tokens[at - 1], '[', ',') && isOp(tokens[at + 1], ']', ','))) return undefined;
  let open = -1;
  for (let k = at - 1, depth = 0; k >= 0; k--) {
    if (isOp(tokens[k], ')', ']')) depth++;
    else if (isOp(tokens[k], '(', '[')) {
      if (depth === 0) {
        open = k;
        break;
      }
      depth--;
    }
  }
  if (open < 0 || !isOp(tokens[open], '[')) return undefined;
  const kinds = new Set<string>();
  for (let k = open + 1, depth = 0; k < tokens.length; k++) {
    if (isOp(tokens[k], '(', '[')) depth++;
    else if (isOp(tokens[k], ')', ']')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && tokens[k + 1]?.kind === 'string' && isKeyword(tokens[k], 'DATE', 'DATETIME', 'TIMESTAMP')) kinds.add(tokens[k]!.value.toUpperCase());
  }
  if (kinds.size === 1) return [...kinds][0];
  // `FROM UNNEST(['...', ...])` of string literals only: a column of STRINGs, never coerced (BigQuery compares no STRING column with a TIMESTAMP)
  const unnestAt = open - 2;
  if (kinds.size === 0 && isOp(tokens[open - 1], '(') && isKeyword(tokens[unnestAt], 'UNNEST') && (isKeyword(tokens[unnestAt - 1], 'FROM', 'JOIN') || isOp(tokens[unnestAt - 1], ','))) return 'STRING';
  return undefined;
}

const typedAt = (tokens: readonly Token[], k: number): string | undefined =>
  tokens[k + 1]?.kind === 'string' && isKeyword(tokens[k], 'DATE', 'DATETIME', 'TIMESTAMP') ? tokens[k]!.value.toUpperCase() : undefined;

/**
 * The type a STRING literal at `at` is compared with when the other operand is a typed literal:
 * `DATE '...' <op> 'lit'`, `'lit' <op> DATE '...'`, `DATE '...' BETWEEN 'lit' AND 'lit'`.
 */
function comparedLiteralType(tokens: readonly Token[], at: number): string | undefined {
  if (at < 0) return undefined;
  const cmp = (k: number): boolean => isOp(tokens[k], '=', '<', '>', '<=', '>=', '!=', '<>');
  if (cmp(at - 1) && typedAt(tokens, at - 3)) return typedAt(tokens, at - 3);
  if (cmp(at + 1) && typedAt(tokens, at + 2)) return typedAt(tokens, at + 2);
  if (isKeyword(tokens[at - 1], 'BETWEEN')) return typedAt(tokens, at - 3);
  if (isKeyword(tokens[at - 1], 'AND') && (tokens[at - 2]?.kind === 'string' || isKeyword(tokens[at - 2], 'NULL')) && isKeyword(tokens[at - 3], 'BETWEEN')) return typedAt(tokens, at - 5);
  return undefined;
}

/** Argument i; a STRING literal as itself (the function reads it as a STRING, DATE, DATETIME or TIME, or by its type). */
export function plainArg(a: CallArgs, i: number): string {
  const toks = a.tokens[i] ?? [];
  return toks.length === 1 && toks[0]!.kind === 'string' ? quoteString(toks[0]!.value) : a.sql(i);
}

/** Argument i where a TIMESTAMP is expected: a STRING literal is read in the default zone unless it names one. */
export function timestampArg(a: CallArgs, t: TranslationContext, i: number): string {
  const toks = a.tokens[i] ?? [];
  return toks.length === 1 && toks[0]!.kind === 'string' ? timestampLiteral(toks[0]!.value, defaultZone(t)) : a.sql(i);
}

/**
 * x, failing loudly where it is a RANGE<TIMESTAMP> under a default zone other than UTC: its text
 * (CAST to STRING, FORMAT %t) would print and read the bounds in UTC. `printed` is that RANGE's DuckDB type name.
 */
export function noZonedTimestampRange(x: string, z: Zone, printed: string, otherwise: string): string {
  if (isUtc(z)) return otherwise;
  return `CASE WHEN typeof(${x}) = ${quoteString(printed)} THEN error('The text of a RANGE<TIMESTAMP> under a @@time_zone other than UTC is not supported by the embedded BigQuery') ELSE ${otherwise} END`;
}

/**
 * A query parameter bound under a default zone other than UTC: a STRING whose text is a date or
 * civil time may be coerced to a TIMESTAMP (read in that zone by BigQuery, in UTC by DuckDB), and a
 * TIMESTAMP value without an offset is read in UTC here where BigQuery's reading is not known: both loud.
 */
export function checkZonedParameter(p: { name?: string; parameterType: { type: string }; parameterValue: { value?: string | null } }, timeZone: string): void {
  if (isUtc(parseZone(timeZone))) return;
  const text = p.parameterValue.value;
  if (typeof text !== 'string') return;
  const type = p.parameterType.type.toUpperCase();
  const civil = (type === 'STRING' && CIVIL_TEXT.test(text)) || (type === 'TIMESTAMP' && !textHasZone(text) && !/[zZ]\s*$/.test(text));
  if (civil) throw unsupported(`The ${type} query parameter ${p.name ? `@${p.name}` : ''} ('${text}') under a @@time_zone other than UTC`);
}
