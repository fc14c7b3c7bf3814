/** GoogleSQL number and bytes literals as DuckDB literals. */
import { unsupported } from '../errors.js';
import { BigQueryApiError } from '../types.js';
import { parseDecimal, type DecimalKind } from './functions/parse-decimal.js';
import { isOp, type Token } from './tokenizer.js';
import { timestampLiteral, UTC, type Zone } from './functions/time-zones.js';
import { quoteString } from '../type-mapping.js';

export function numberLiteral(text: string): string {
  if (/^0[xX]/.test(text)) return BigInt(text).toString();
  if (/[.eE]/.test(text)) return `CAST(${text} AS DOUBLE)`;
  // INT64 literals: DuckDB would type small ones INTEGER and overflow at 2^31
  return text.length > 9 ? `CAST(${text} AS BIGINT)` : text;
}

export function bytesLiteral(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f && ch !== '\\' && ch !== "'") out += ch;
    else out += `\\x${code.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return `CAST('${out}' AS BLOB)`;
}

const PLAIN_DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

/**
 * A decimal number's text as an exact NUMERIC or BIGNUMERIC in DuckDB, or undefined when the text
 * is not a plain decimal (hex, commas, spaces: the caller keeps its own path). `CAST(1.5 AS NUMERIC)`
 * and `BIGNUMERIC '1.5'` must not go through FLOAT64. NUMERIC rounds half away from zero to 9
 * digits (parseDecimal, with BigQuery's range error); a BIGNUMERIC the engine's DECIMAL(38,19) cannot
 * hold exactly (BigQuery's has 38 fractional digits) fails loudly instead of being rounded.
 */
export function exactDecimalLiteral(text: string, kind: DecimalKind): string | undefined {
  const m = PLAIN_DECIMAL.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  if (kind === 'NUMERIC') return `CAST('${parseDecimal(text.trim(), 'NUMERIC')}' AS DECIMAL(38,9))`;
  const [, sign = '', intPart = '', frac = '', exp = '0'] = m;
  let digits = BigInt(`${intPart}${frac}` || '0');
  let scale = frac.length - Number(exp);
  while (digits !== 0n && digits % 10n === 0n && scale > -60) {
    digits /= 10n;
    scale--;
  }
  if (digits === 0n) return 'CAST(0 AS DECIMAL(38,19))';
  if (scale > 19 || String(digits).length - scale > 19) {
    throw unsupported(`BIGNUMERIC value ${text.trim()} (more than 19 digits before or after the decimal point: the engine's BIGNUMERIC is DECIMAL(38,19))`);
  }
  const abs = (digits * 10n ** BigInt(19 - scale)).toString().padStart(20, '0');
  return `CAST('${sign === '-' ? '-' : ''}${abs.slice(0, -19)}.${abs.slice(-19)}' AS DECIMAL(38,19))`;
}

/**
 * TIME and DATETIME literals DuckDB reads but GoogleSQL refuses: an hour of 24 or more, and a
 * DATETIME with a zone ('... UTC', '+05'), which DuckDB dropped.
 */
export function checkCivilLiteral(kind: string, text: string): void {
  const bad = kind === 'TIME' ? Number(/^\s*([0-9]+):/.exec(text)?.[1] ?? '0') >= 24 : kind === 'DATETIME' && /[0-9]:[0-9]{1,2}([.][0-9]*)? *[A-Za-z+-]/.test(text);
  if (bad) throw new BigQueryApiError('invalidQuery', `Invalid ${kind} literal`);
}

/**
 * The items of `ARRAY<T>[...]`, each translated by `sub`: for T NUMERIC or BIGNUMERIC a number literal
 * converts from its text, as a literal coerced to T does (`ARRAY<BIGNUMERIC>[1.234567890123456789]`
 * went through FLOAT64 and became 1.2345678901234569216).
 */
export function typedArrayItems(duckType: string, items: Token[][], sub: (tokens: Token[]) => string, zone: Zone = UTC): string[] {
  const kind: DecimalKind | undefined = duckType === 'DECIMAL(38,9)' ? 'NUMERIC' : duckType === 'DECIMAL(38,19)' ? 'BIGNUMERIC' : undefined;
  return items.map((item) => {
    const num = item.length === 1 ? item[0] : item.length === 2 && isOp(item[0], '-', '+') ? item[1] : undefined;
    // a STRING literal coerced to TIMESTAMP is read in the default zone unless it names one
    if (duckType === 'TIMESTAMPTZ' && item.length === 1 && item[0]!.kind === 'string') return timestampLiteral(item[0]!.value, zone);
    // coerced to a civil type (DATE, DATETIME, TIME), whatever the zone
    if ((duckType === 'DATE' || duckType === 'TIMESTAMP' || duckType === 'TIME') && item.length === 1 && item[0]!.kind === 'string') return quoteString(item[0]!.value);
    const exact = kind && num?.kind === 'number' ? exactDecimalLiteral(`${item.length === 2 ? item[0]!.text : ''}${num.text}`, kind) : undefined;
    return exact ?? sub(item);
  });
}
