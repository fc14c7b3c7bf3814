/**
 * PARSE_NUMERIC and PARSE_BIGNUMERIC (conversion_functions page): a number with optional commas in
 * its integer part, a decimal point and an exponent; whitespace anywhere but between digits; one
 * sign, before or after the number, spaces allowed between it and the number. The value is rounded
 * half away from zero to scale 9 (NUMERIC) or 38 (BIGNUMERIC), then checked against the type's
 * range. Whitespace inside the number other than between two digits, whose reading the page leaves
 * open, and non-ASCII whitespace fail loudly; so does a BIGNUMERIC the engine's DECIMAL(38,19)
 * cannot hold exactly.
 */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';

const ASCII_SPACE = /[ \t\n\v\f\r]/;
const TYPES = {
  NUMERIC: { scale: 9, min: -(10n ** 38n - 1n), max: 10n ** 38n - 1n },
  BIGNUMERIC: { scale: 38, min: -(2n ** 255n), max: 2n ** 255n - 1n },
} as const;

export type DecimalKind = keyof typeof TYPES;

/** The value as a decimal string at the type's scale, or BigQuery's error. */
export function parseDecimal(input: string, kind: DecimalKind): string {
  const fn = `PARSE_${kind}`;
  const invalid = (): BigQueryApiError => new BigQueryApiError('invalidQuery', `Invalid ${kind} value: ${input}`);
  const chars = [...input];
  const isNum = (c: string): boolean => /[0-9,.eE]/.test(c);
  const first = chars.findIndex(isNum);
  let last = -1;
  for (let k = chars.length - 1; k >= 0; k--) {
    if (isNum(chars[k]!)) {
      last = k;
      break;
    }
  }
  if (first < 0) throw invalid();
  let sign = '';
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k]!;
    const inside = k >= first && k <= last;
    if (/\s/.test(c) && !ASCII_SPACE.test(c)) throw unsupported(`${fn} of a string with non-ASCII whitespace`);
    if (ASCII_SPACE.test(c)) {
      if (!inside) continue;
      // inside the number: an error between two digits, otherwise a placement the page does not settle
      const before = chars.slice(first, k).filter((x) => !ASCII_SPACE.test(x)).pop();
      const after = chars.slice(k + 1, last + 1).find((x) => !ASCII_SPACE.test(x));
      if (before && after && /[0-9]/.test(before) && /[0-9]/.test(after)) throw invalid();
      throw unsupported(`${fn} of a string with whitespace inside the number`);
    }
    if (c === '+' || c === '-') {
      if (inside) {
        // only the exponent's own sign, right after the e
        if (!/[eE]/.test(chars[k - 1]!)) throw invalid();
        continue;
      }
      if (sign) throw invalid();
      sign = c;
      continue;
    }
    if (!isNum(c)) throw invalid();
  }
  const m = /^([0-9,]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(chars.slice(first, last + 1).join(''));
  if (!m) throw invalid();
  const [, intPart = '', frac, exp] = m;
  const intDigits = intPart.replace(/,/g, '');
  if (intPart !== '' && intDigits === '') throw invalid();
  if (frac === undefined ? intDigits === '' : intDigits === '' && frac === '') throw invalid();
  const t = TYPES[kind];
  const digits = BigInt(`${intDigits}${frac ?? ''}` || '0');
  // value = digits × 10^-scale
  const scale = (frac ?? '').length - Number(exp ?? '0');
  let v: bigint;
  if (digits === 0n) v = 0n;
  else if (scale <= t.scale) {
    if (t.scale - scale > 80) throw invalid();
    v = digits * 10n ** BigInt(t.scale - scale);
  } else if (scale - t.scale > String(digits).length + 1) v = 0n;
  else {
    const d = 10n ** BigInt(scale - t.scale);
    v = digits / d + (2n * (digits % d) >= d ? 1n : 0n);
  }
  if (sign === '-') v = -v;
  if (v < t.min || v > t.max) throw invalid();
  if (kind === 'BIGNUMERIC' && (v % 10n ** 19n !== 0n || (v < 0n ? -v : v) >= 10n ** 57n)) {
    throw unsupported(`${fn} of a value with more than 19 digits before or after the decimal point (the engine's BIGNUMERIC is DECIMAL(38,19))`);
  }
  const abs = (v < 0n ? -v : v).toString().padStart(t.scale + 1, '0');
  return `${v < 0n ? '-' : ''}${abs.slice(0, abs.length - t.scale)}.${abs.slice(abs.length - t.scale)}`;
}
