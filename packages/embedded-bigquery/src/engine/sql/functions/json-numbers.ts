/**
 * PARSE_JSON's wide_number_mode (json_functions#parse_json), as ZetaSQL parses numbers
 * (public/json_value.cc): an integer that fits INT64 or UINT64 is kept; any other number is read as
 * a FLOAT64, and 'exact' (the default) fails when that FLOAT64's shortest text is not the same
 * number (CheckNumberRoundtrip: "Input number: N cannot round-trip through string
 * representation"), while 'round' keeps the FLOAT64, printed as nlohmann's JSON writer prints it
 * (9.223372036854776e+20). Numbers that pass keep their text.
 */
import { Reader, compact, parse, type Node } from './json-text.js';

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** A decimal number text as (digits, exponent) with no trailing zeros: the value is digits × 10^exponent. */
function decimalValue(text: string): [bigint, number] {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text)!;
  const digits = `${m[2]}${m[3] ?? ''}`.replace(/^0+(?=\d)/, '');
  let n = BigInt(`${m[1]}${digits}`);
  let exp = Number(m[4] ?? 0) - (m[3]?.length ?? 0);
  if (n === 0n) return [0n, 0];
  while (n % 10n === 0n) {
    n /= 10n;
    exp++;
  }
  return [n, exp];
}

/** A FLOAT64 as nlohmann::json writes it (grisu2 shortest digits; format_buffer with exponents -4 … 15). */
export function jsonDouble(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace(/^-/, '').replace('.', '');
  const k = digits.length;
  const n = Number(e) + 1;
  let body: string;
  if (k <= n && n <= 15) body = `${digits}${'0'.repeat(n - k)}.0`;
  else if (0 < n && n <= 15) body = `${digits.slice(0, n)}.${digits.slice(n)}`;
  else if (-4 < n && n <= 0) body = `0.${'0'.repeat(-n)}${digits}`;
  else {
    const exp = n - 1;
    const expText = `e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    body = k === 1 ? `${digits}${expText}` : `${digits[0]}.${digits.slice(1)}${expText}`;
  }
  return sign + body;
}

/** The number as ZetaSQL stores it: its own text when exact, else per mode (an error for 'exact'). */
function number(text: string, mode: 'exact' | 'round'): string {
  if (/^-?\d+$/.test(text)) {
    const v = BigInt(text);
    if (v >= INT64_MIN && v <= UINT64_MAX) return text;
  }
  const x = Number(text);
  // beyond FLOAT64: nlohmann's parser refuses it in either mode
  if (!Number.isFinite(x)) throw new RangeError(`Input number: ${text} cannot round-trip through string representation`);
  const [a, ea] = decimalValue(text);
  const [b, eb] = decimalValue(jsonDouble(x).replace(/\.0$/, ''));
  if (a === b && ea === eb) return text;
  if (mode === 'exact') throw new RangeError(`Input number: ${text} cannot round-trip through string representation`);
  return jsonDouble(x);
}

function walk(n: Node, mode: 'exact' | 'round'): Node {
  if (n.kind === 'array') return { kind: 'array', items: n.items.map((v) => walk(v, mode)) };
  if (n.kind === 'object') return { kind: 'object', members: n.members.map(([k, raw, v]) => [k, raw, walk(v, mode)]) };
  return /^[-\d]/.test(n.text) ? { kind: 'scalar', text: number(n.text, mode) } : n;
}

/** PARSE_JSON's text after wide_number_mode; text that is not JSON is returned for DuckDB's parser to report. */
export function wideNumbers(text: string, mode: string): string {
  if (mode !== 'exact' && mode !== 'round') throw new RangeError(`Invalid wide_number_mode: ${mode}; it must be 'exact' or 'round'`);
  if (!/\d/.test(text)) return text;
  const r = new Reader(text);
  let tree: Node;
  try {
    tree = r.value(0);
    r.ws();
    if (r.i !== text.length) return text;
  } catch {
    return text;
  }
  const out = walk(tree, mode);
  return compact(out) === compact(tree) ? text : compact(out);
}

const FLOAT64_EXACT = 2n ** 53n;

function stringifyWalk(n: Node): Node {
  if (n.kind === 'array') return { kind: 'array', items: n.items.map(stringifyWalk) };
  if (n.kind === 'object') return { kind: 'object', members: n.members.map(([k, raw, v]) => [k, raw, stringifyWalk(v)]) };
  if (!/^-?\d+$/.test(n.text)) return n;
  const v = BigInt(n.text);
  return v > FLOAT64_EXACT || v < -FLOAT64_EXACT ? { kind: 'scalar', text: `"${n.text}"` } : n;
}

/**
 * TO_JSON's stringify_wide_numbers => TRUE (json_functions#to_json) over DuckDB's to_json text: an integer
 * outside [-2^53, 2^53] (an INT64: DuckDB writes FLOAT64 values with a point or an exponent) becomes a
 * JSON string, at any depth of arrays and structs.
 */
export function stringifyWideIntegers(text: string): string {
  if (!/\d{16}/.test(text)) return text;
  try {
    return compact(stringifyWalk(parse(text)));
  } catch {
    return text;
  }
}
