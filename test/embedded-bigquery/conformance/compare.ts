/** Normalizes values decoded by @google-cloud/bigquery back to the wire form the cases are written in, and compares. */
import type { Value } from './conformance-cases.js';

export function normalize(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(normalize);
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // BigQueryDate / BigQueryDatetime / BigQueryTime / BigQueryTimestamp / BigQueryInt carry `value`
    if ('value' in o && Object.keys(o).length <= 2 && typeof o.value === 'string') return o.value;
    if (o.constructor && o.constructor.name === 'Big') return String(o);
    return Object.values(o).map(normalize);
  }
  return String(v);
}

function sameScalar(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(x) && !Number.isNaN(y)) {
    if (x === y) return true;
    return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  }
  // DATETIME: the client may render the 'T' separator as a space
  return a.replace('T', ' ') === b.replace('T', ' ');
}

export function sameValue(actual: Value, expected: Value): boolean {
  if (expected === null || actual === null) return expected === actual;
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual) || expected.length !== actual.length) return false;
    return expected.every((e, i) => sameValue(actual[i]!, e));
  }
  return sameScalar(actual, expected);
}

export function sameRows(actual: Value[][], expected: Value[][]): boolean {
  return actual.length === expected.length && expected.every((row, i) => sameValue(actual[i]!, row));
}
