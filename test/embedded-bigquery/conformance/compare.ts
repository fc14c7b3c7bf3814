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
    // BigQueryRange: back to the wire's `[start, end)` (its apiValue; UNBOUNDED for a missing bound)
    if (o.constructor?.name === 'BigQueryRange') return String((o as { apiValue?: unknown }).apiValue);
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

/** A value decoded by the client, printed the way the GoogleSQL reference prints result tables. */
export function renderDocs(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (Array.isArray(v)) return `[${v.map(renderDocs).join(', ')}]`;
  if (Buffer.isBuffer(v)) {
    return [...v].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // the client's typed wrappers (BigQueryTimestamp, BigQueryDate, ...), not a STRUCT with a field named value
    if ('value' in o && typeof o.value === 'string' && Object.keys(o).length <= 2 && o.constructor?.name !== 'Object') {
      // BigQueryTimestamp: ISO instant → "2008-12-25 15:30:00+00"
      if (/^\d{4}-\d\d-\d\dT.*Z$/.test(o.value)) return o.value.replace('T', ' ').replace(/\.0+Z$|Z$/, '+00').replace(/(\.\d*?)0+\+00$/, '$1+00');
      return o.value;
    }
    if (o.constructor && o.constructor.name === 'Big') return String(o);
    if (o.constructor?.name === 'BigQueryRange') return String((o as { apiValue?: unknown }).apiValue);
    return `{${Object.values(o).map(renderDocs).join(', ')}}`;
  }
  return String(v);
}

function normDocs(s: string): string {
  return s
    .replace(/\\([0-7]{3})/g, (_m, o: string) => `\\x${parseInt(o, 8).toString(16).padStart(2, '0')}`)
    .replace(/\s+/g, '')
    .replace(/["']/g, '')
    .toLowerCase()
    .replace(/utc$/, '+00')
    .replace(/(\d)t(\d\d:)/, '$1$2')
    .replace(/\+inf/g, 'infinity')
    .replace(/^inf$/, 'infinity')
    .replace(/-inf$/, '-infinity')
    .replace(/(\d\d:\d\d:\d\d)(?=\+|$)/, '$1');
}

function sameNumberList(a: string, b: string): boolean {
  const x = a.replace(/[[\]{}]/g, '').split(',');
  const y = b.replace(/[[\]{}]/g, '').split(',');
  if (x.length !== y.length) return false;
  return x.every((v, i) => {
    if (v === y[i]) return true;
    const n = Number(v);
    const m = Number(y[i]);
    return v !== '' && y[i] !== '' && !Number.isNaN(n) && !Number.isNaN(m) && Math.abs(n - m) <= 1e-9 * Math.max(1, Math.abs(n));
  });
}

/** One printed cell against one rendered cell: whitespace, quotes and letter case aside; numbers numerically. */
export function sameDocsCell(actual: string, printed: string): boolean {
  const a = normDocs(actual);
  const p = normDocs(printed);
  if (a === p || sameNumberList(a, p)) return true;
  // the reference prints some FLOAT64 results rounded (2.828 for 2.8284271247461903)
  const digits = /^-?\d+\.(\d+)$/.exec(p)?.[1]?.length;
  return digits !== undefined && a !== '' && !Number.isNaN(Number(a)) && Number(a).toFixed(digits) === Number(p).toFixed(digits);
}

export function sameDocsRows(actual: string[][], printed: string[][], ordered: boolean): boolean {
  if (actual.length !== printed.length) return false;
  const rowEq = (x: string[], y: string[]): boolean => x.length === y.length && x.every((v, j) => sameDocsCell(v, y[j]!));
  if (ordered) return printed.every((row, i) => rowEq(actual[i]!, row));
  const left = [...actual];
  return printed.every((row) => {
    const k = left.findIndex((x) => rowEq(x, row));
    if (k < 0) return false;
    left.splice(k, 1);
    return true;
  });
}
