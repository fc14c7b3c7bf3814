/**
 * COSINE_DISTANCE and EUCLIDEAN_DISTANCE (mathematical_functions page) as ZetaSQL's distance.cc
 * computes them, with the same order of floating-point operations: dense vectors (ARRAY<FLOAT64>)
 * element by element; sparse ones (ARRAY<STRUCT<INT64 | STRING, FLOAT64>>) over the union of their
 * dimensions in ascending order (numbers by value, strings by their UTF-8 bytes), a dimension
 * missing from one vector counting 0. The vectors arrive as JSON text (DuckDB's to_json). Errors
 * are distance.cc's; an overflow or a non-finite value, whose error text is not known, fails loudly.
 */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';

type Pair = [number, number];
const fail = (m: string): BigQueryApiError => new BigQueryApiError('invalidQuery', m);

function finite(x: number, fn: string): number {
  if (!Number.isFinite(x)) throw unsupported(`${fn} with an overflow or a non-finite value`);
  return x;
}

/**
 * DuckDB's to_json of a STRUCT can repeat a key (an unnamed tuple's fields are all ""), so JSON.parse
 * would lose fields: this reader keeps an object as the list of its values, in order, and an
 * integer as its text.
 */
type Json = null | boolean | number | string | { int: string } | Json[] | { fields: Json[] };

function readJson(text: string, fn: string): Json {
  let i = 0;
  const ws = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const bad = (): never => {
    throw unsupported(`${fn} of a vector holding NaN or an infinity`);
  };
  const value = (): Json => {
    ws();
    const c = text[i];
    if (c === '[' || c === '{') {
      const close = c === '[' ? ']' : '}';
      i++;
      const items: Json[] = [];
      ws();
      if (text[i] === close) {
        i++;
        return c === '[' ? items : { fields: items };
      }
      for (;;) {
        if (c === '{') {
          const key = value();
          if (typeof key !== 'string') bad();
          ws();
          if (text[i++] !== ':') bad();
        }
        items.push(value());
        ws();
        const sep = text[i++];
        if (sep === close) return c === '[' ? items : { fields: items };
        if (sep !== ',') bad();
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i)) ?? bad();
      i += m[0].length;
      return JSON.parse(m[0]) as string;
    }
    const m = /^(?:null|true|false|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i)) ?? bad();
    i += m[0].length;
    if (m[0] === 'null') return null;
    if (m[0] === 'true' || m[0] === 'false') return m[0] === 'true';
    return m[1] === undefined && m[2] === undefined ? { int: m[0] } : Number(m[0]);
  };
  const v = value();
  ws();
  if (i !== text.length) bad();
  return v;
}

function parse(json: string, fn: string): Json[] {
  const v = readJson(json, fn);
  if (!Array.isArray(v)) throw fail(`${fn} expects arrays`);
  return v;
}

const num = (x: Json): number => (x !== null && typeof x === 'object' && 'int' in x ? Number(x.int) : Number(x));

type Key = bigint | string;

function sparse(v: Json[], fn: string, dims: Map<string, Key>): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of v) {
    if (e === null) throw fail('NULL array element');
    const [k, m] = e !== null && typeof e === 'object' && 'fields' in e ? e.fields : [];
    if (k === null || m === null || k === undefined || m === undefined) throw fail('NULL struct field');
    const key: Key = k !== null && typeof k === 'object' && 'int' in k ? BigInt(k.int) : String(k);
    const id = `${typeof key}:${String(key)}`;
    if (out.has(id)) throw fail(`Duplicate index ${String(key)} found in the input array.`);
    out.set(id, finite(num(m), fn));
    dims.set(id, key);
  }
  return out;
}

const compareKeys = (a: Key, b: Key): number =>
  typeof a === 'bigint' && typeof b === 'bigint' ? (a < b ? -1 : a > b ? 1 : 0) : Buffer.compare(Buffer.from(String(a), 'utf8'), Buffer.from(String(b), 'utf8'));

function pairs(aJson: string, bJson: string, fn: string): Pair[] {
  const [a, b] = [parse(aJson, fn), parse(bJson, fn)];
  const isSparse = (v: Json[]): boolean => v.some((e) => e !== null && typeof e === 'object' && 'fields' in e);
  if (isSparse(a) || isSparse(b)) {
    const dims = new Map<string, Key>();
    const [ma, mb] = [sparse(a, fn, dims), sparse(b, fn, dims)];
    return [...dims.entries()].sort((x, y) => compareKeys(x[1], y[1])).map(([id]) => [ma.get(id) ?? 0, mb.get(id) ?? 0]);
  }
  if (a.length !== b.length) throw fail(`Array length mismatch: ${a.length} and ${b.length}.`);
  return a.map((x, k): Pair => {
    const y = b[k];
    if (x === null || y === null) throw fail('NULL array element');
    return [finite(num(x), fn), finite(num(y!), fn)];
  });
}

/** The distance as the shortest text that reads back as the same FLOAT64. */
export function vectorDistance(kind: string, aJson: string, bJson: string): string {
  const fn = kind === 'cosine' ? 'COSINE_DISTANCE' : 'EUCLIDEAN_DISTANCE';
  const ps = pairs(aJson, bJson, fn);
  if (kind !== 'cosine') {
    let sum = 0;
    for (const [a, b] of ps) sum = finite(sum + finite((a - b) * (a - b), fn), fn);
    return String(Math.sqrt(sum));
  }
  let numerator = 0;
  let lenA = 0;
  let lenB = 0;
  for (const [a, b] of ps) {
    numerator = finite(numerator + finite(a * b, fn), fn);
    lenA = finite(lenA + finite(a * a, fn), fn);
    lenB = finite(lenB + finite(b * b, fn), fn);
  }
  if (lenA === 0 || lenB === 0) throw fail('Cannot compute cosine distance against zero vector.');
  return String(1.0 - numerator / finite(Math.sqrt(lenA) * Math.sqrt(lenB), fn));
}
