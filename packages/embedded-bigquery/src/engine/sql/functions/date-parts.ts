/** Shared readers of date-part, time-zone and format-string arguments for the date and time functions. */
import { BigQueryApiError } from '../../types.js';
import { quoteString } from '../../type-mapping.js';
import type { CallArgs } from '../translation-context.js';

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
