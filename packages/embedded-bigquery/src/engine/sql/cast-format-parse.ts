/**
 * `CAST(s AS DATE FORMAT 'YYYYMMDD')`, a STRING parsed as a DATE (format-elements#format_string_as_datetime),
 * for a literal format of the year, month and day elements (YYYY, MM, DD, each once) and literal
 * separators (`-`, `/`, `.`, space). Only an input of the format's exact widths (four year digits,
 * two month and day digits, the separators as written) is parsed here, where the answer is plain; an
 * impossible date fails as in BigQuery. Any other input (other widths, spaces around it) and any other
 * format stay loud, as do SAFE_CAST (whose NULL for a non-matching input could differ from BigQuery's
 * date) and a format that is not a literal.
 */
import { quoteString } from '../type-mapping.js';

const LOUD = ' is not supported by the embedded BigQuery';
const PARTS: Record<string, { re: string; strptime: string }> = { YYYY: { re: '[0-9]{4}', strptime: '%Y' }, MM: { re: '[0-9]{2}', strptime: '%m' }, DD: { re: '[0-9]{2}', strptime: '%d' } };

/** The exact-width pattern and strptime format of a YYYY/MM/DD format, or undefined for any other. */
function dateFormat(format: string): { re: string; strptime: string } | undefined {
  let re = '';
  let strptime = '';
  const seen = new Set<string>();
  for (let i = 0; i < format.length; ) {
    const element = Object.keys(PARTS).find((e) => format.slice(i, i + e.length).toUpperCase() === e);
    if (element) {
      if (seen.has(element)) return undefined;
      seen.add(element);
      re += PARTS[element]!.re;
      strptime += PARTS[element]!.strptime;
      i += element.length;
      continue;
    }
    const c = format[i]!;
    if (!['-', '/', '.', ' '].includes(c)) return undefined;
    re += c === '.' ? '[.]' : c;
    strptime += c;
    i++;
  }
  return seen.size === 3 ? { re, strptime } : undefined;
}

/** DuckDB SQL for the STRING `value` cast to DATE with the literal `format`, or undefined where this does not apply. */
export function stringToDateFormat(value: string, format: string | undefined, safe: boolean): string | undefined {
  const f = format === undefined || safe ? undefined : dateFormat(format);
  if (!f) return undefined;
  const v = `CAST(${value} AS VARCHAR)`;
  return `CASE WHEN ${value} IS NULL THEN CAST(NULL AS DATE) WHEN regexp_full_match(${v}, ${quoteString(f.re)}) THEN CAST(strptime(${v}, ${quoteString(f.strptime)}) AS DATE) ELSE error(${quoteString(`CAST of a STRING to DATE with FORMAT of an input not written with the format's exact widths${LOUD}`)}) END`;
}
