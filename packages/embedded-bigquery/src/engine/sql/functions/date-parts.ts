/** Shared readers of date-part, time-zone and format-string arguments for the date and time functions. */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import type { CallArgs } from '../translation-context.js';

/** tz database zone names without a '/' (the rest are Area/Location). */
const TOP_LEVEL_ZONES = new Set([
  'UTC', 'GMT', 'UCT', 'Zulu', 'Universal', 'Greenwich', 'GMT0', 'GMT+0', 'GMT-0', 'CET', 'EET', 'MET', 'WET', 'EST', 'MST', 'HST',
  'EST5EDT', 'CST6CDT', 'MST7MDT', 'PST8PDT', 'Cuba', 'Egypt', 'Eire', 'GB', 'GB-Eire', 'Hongkong', 'Iceland', 'Iran', 'Israel',
  'Jamaica', 'Japan', 'Kwajalein', 'Libya', 'NZ', 'NZ-CHAT', 'Navajo', 'PRC', 'Poland', 'Portugal', 'ROC', 'ROK', 'Singapore', 'Turkey', 'W-SU',
]);

/**
 * A time zone argument. GoogleSQL also accepts UTC offsets ('-08', '+05:30'); DuckDB knows whole-hour
 * offsets as Etc/GMT zones (with the sign inverted). Other offsets fail loudly.
 */
export function tzArg(a: CallArgs, i: number): string {
  const toks = a.tokens[i] ?? [];
  if (toks.length === 1 && toks[0]!.kind === 'string') {
    const m = /^(?:UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(toks[0]!.value.trim());
    if (m) {
      if (m[3] && m[3] !== '00') throw unsupported(`Time zone offset ${toks[0]!.value}`);
      const hours = Number(m[2]);
      return quoteString(hours === 0 ? 'UTC' : `Etc/GMT${m[1] === '+' ? '-' : '+'}${hours}`);
    }
    // BigQuery takes tz database names; DuckDB's ICU also takes aliases such as 'IST' that BigQuery rejects
    const zone = toks[0]!.value.trim();
    if (!/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone) && !TOP_LEVEL_ZONES.has(zone)) throw new BigQueryApiError('invalidQuery', `Invalid time zone: ${zone}`);
  }
  return a.sql(i);
}

/** A date-part argument (MONTH, WEEK(MONDAY), ...) as upper-case text. */
export function part(a: CallArgs, i: number, fn: string): string {
  const toks = a.tokens[i] ?? [];
  const text = toks.map((t) => t.value.toUpperCase()).join('');
  if (!/^[A-Z_]+(\([A-Z]+\))?$/.test(text)) throw new BigQueryApiError('invalidQuery', `${fn} expects a date part, got "${toks.map((t) => t.text).join(' ')}"`);
  return text;
}

export function formatString(a: CallArgs, i: number): string {
  const toks = a.tokens[i] ?? [];
  if (toks.length === 1 && toks[0]!.kind === 'string') return quoteString(translateFormat(toks[0]!.value));
  return a.sql(i);
}

/** BigQuery format elements that strftime spells differently. */
export function translateFormat(f: string): string {
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

export function weekStart(p: string): number | undefined {
  const m = /^WEEK(?:\((SUNDAY|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY)\))?$/.exec(p);
  if (!m) return undefined;
  return ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'].indexOf(m[1] ?? 'SUNDAY');
}

/** Microseconds per fixed-length part, for TIMESTAMP truncation by integer arithmetic. */
export const FIXED_PART_MICROS: Record<string, string> = { MICROSECOND: '1', MILLISECOND: '1000', SECOND: '1000000', MINUTE: '60000000', HOUR: '3600000000', DAY: '86400000000' };
