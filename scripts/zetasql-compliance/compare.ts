/**
 * An answer of the embedded BigQuery (the REST rows and schema, undecoded) read into the values of
 * result-value.ts and compared with ZetaSQL's expected table: same columns, types that map to
 * BigQuery's, values equal by type (FLOAT64 within 1e-12 relative, NaN = NaN), unordered results and
 * arrays as multisets. A NULL ARRAY is expected as BigQuery returns it, an empty array.
 */
import { canonicalCivil, canonicalDecimal, canonicalJson, parseDouble, typeText, type ExpectedTable, type SqlType, type Value } from './result-value.js';

export interface SchemaField {
  name: string;
  type: string;
  mode?: string;
  fields?: SchemaField[];
  rangeElementType?: { type: string };
}
export interface RestCell {
  v: unknown;
}

const BQ_TYPE: Record<string, string[]> = {
  INT64: ['INTEGER', 'INT64'],
  DOUBLE: ['FLOAT', 'FLOAT64'],
  BOOL: ['BOOLEAN', 'BOOL'],
  STRING: ['STRING'],
  BYTES: ['BYTES'],
  DATE: ['DATE'],
  DATETIME: ['DATETIME'],
  TIME: ['TIME'],
  TIMESTAMP: ['TIMESTAMP'],
  NUMERIC: ['NUMERIC'],
  BIGNUMERIC: ['BIGNUMERIC'],
  JSON: ['JSON'],
  INTERVAL: ['INTERVAL'],
};

/** Why `field` (one column or struct field of the answer) does not have type `t`, or undefined. */
function typeMismatch(t: SqlType, field: SchemaField, repeatedDone = false): string | undefined {
  const repeated = field.mode === 'REPEATED' && !repeatedDone;
  if (t.kind === 'array') {
    if (!repeated) return `expected ${typeText(t)}, got ${field.type}`;
    return typeMismatch(t.element, field, true);
  }
  if (repeated) return `expected ${typeText(t)}, got ARRAY<${field.type}>`;
  if (t.kind === 'struct') {
    if (field.type !== 'RECORD' && field.type !== 'STRUCT') return `expected ${typeText(t)}, got ${field.type}`;
    const fields = field.fields ?? [];
    if (fields.length !== t.fields.length) return `expected ${typeText(t)}, got a STRUCT of ${fields.length} fields`;
    for (const [i, f] of fields.entries()) {
      const m = typeMismatch(t.fields[i]?.type ?? { kind: 'scalar', name: '' }, f);
      if (m) return m;
    }
    return undefined;
  }
  if (t.kind === 'range') {
    if (field.type !== 'RANGE') return `expected ${typeText(t)}, got ${field.type}`;
    const element = field.rangeElementType?.type ?? '';
    return t.element.kind === 'scalar' && (BQ_TYPE[t.element.name] ?? []).includes(element) ? undefined : `expected ${typeText(t)}, got RANGE<${element}>`;
  }
  return (BQ_TYPE[t.name] ?? []).includes(field.type) ? undefined : `expected ${t.name}, got ${field.type}`;
}

export function schemaMismatch(expected: ExpectedTable, fields: SchemaField[]): string | undefined {
  if (fields.length !== expected.columns.length) return `expected ${expected.columns.length} columns, got ${fields.length}`;
  for (const [i, f] of fields.entries()) {
    const m = typeMismatch(expected.columns[i]?.type ?? { kind: 'scalar', name: '' }, f);
    if (m) return `column ${i + 1}: ${m}`;
  }
  return undefined;
}

function decodeScalar(type: string, v: string): Value {
  switch (type) {
    case 'INTEGER':
    case 'INT64':
      return BigInt(v);
    case 'FLOAT':
    case 'FLOAT64':
      return parseDouble(v);
    case 'BOOLEAN':
    case 'BOOL':
      return v === 'true';
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return canonicalDecimal(v);
    case 'BYTES':
      return Buffer.from(v, 'base64').toString('hex');
    case 'TIMESTAMP':
      return /^-?\d+$/.test(v) ? BigInt(v) : BigInt(Math.round(Number(v) * 1e6));
    case 'DATE':
    case 'DATETIME':
    case 'TIME':
      return canonicalCivil(v);
    case 'JSON':
      return canonicalJson(v);
    case 'INTERVAL':
      return canonicalInterval(v);
    default:
      return v;
  }
}

export function canonicalInterval(text: string): string {
  return text.trim().replace(/\.(\d*?)0+$/, (_m, d: string) => (d ? `.${d}` : ''));
}

/** One REST cell `v` of `field` as a Value (arrays ordered as `ordered` says). */
export function decodeCell(field: SchemaField, v: unknown, ordered = true, repeatedDone = false): Value {
  if (v === null || v === undefined) return null;
  if (field.mode === 'REPEATED' && !repeatedDone) {
    const items = (v as RestCell[]).map((c) => decodeCell(field, c.v, ordered, true));
    return { kind: 'array', ordered, items };
  }
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    const cells = (v as { f: RestCell[] }).f;
    return (field.fields ?? []).map((f, i) => decodeCell(f, cells[i]?.v, ordered));
  }
  if (field.type === 'RANGE') {
    const m = /^\[(.*), (.*)\)$/.exec(String(v));
    if (!m) return String(v);
    const element = field.rangeElementType?.type ?? 'STRING';
    // each bound is sent as a cell of the element type (a TIMESTAMP as seconds or int64 micros)
    const bound = (b: string): Value => (b === 'UNBOUNDED' || b === 'NULL' ? null : decodeScalar(element, b));
    return { kind: 'range', start: bound(m[1] ?? ''), end: bound(m[2] ?? '') };
  }
  return decodeScalar(field.type, String(v));
}

function isArrayValue(v: Value): v is { kind: 'array'; ordered: boolean; items: Value[] } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && v.kind === 'array';
}

export function valuesEqual(expected: Value, got: Value): boolean {
  if (expected === null || got === null) {
    // BigQuery returns a NULL ARRAY as an empty one.
    if (expected === null && isArrayValue(got)) return got.items.length === 0;
    return expected === got;
  }
  if (typeof expected === 'number' && typeof got === 'number') {
    if (Number.isNaN(expected) || Number.isNaN(got)) return Number.isNaN(expected) && Number.isNaN(got);
    if (expected === got) return true;
    if (!Number.isFinite(expected) || !Number.isFinite(got)) return false;
    return Math.abs(expected - got) <= 1e-12 * Math.max(Math.abs(expected), Math.abs(got));
  }
  if (Array.isArray(expected)) return Array.isArray(got) && expected.length === got.length && expected.every((e, i) => valuesEqual(e, got[i] ?? null));
  if (isArrayValue(expected)) return isArrayValue(got) && listsEqual(expected.items, got.items, expected.ordered);
  if (typeof expected === 'object' && expected.kind === 'range') {
    return typeof got === 'object' && !Array.isArray(got) && got.kind === 'range' && valuesEqual(expected.start, got.start) && valuesEqual(expected.end, got.end);
  }
  return expected === got;
}

/** Lists equal in order, or as multisets (each expected item matched to a distinct equal one). */
export function listsEqual(expected: Value[], got: Value[], ordered: boolean): boolean {
  if (expected.length !== got.length) return false;
  if (ordered) return expected.every((e, i) => valuesEqual(e, got[i] ?? null));
  const used = new Array<boolean>(got.length).fill(false);
  return expected.every((e) => {
    const j = got.findIndex((g, k) => !used[k] && valuesEqual(e, g));
    if (j < 0) return false;
    used[j] = true;
    return true;
  });
}

/** Text of a value for the report. */
export function showValue(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(showValue).join(', ')}}`;
  if (v.kind === 'array') return `[${v.items.map(showValue).join(', ')}]`;
  return `[${showValue(v.start)}, ${showValue(v.end)})`;
}
