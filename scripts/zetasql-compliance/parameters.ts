/**
 * A case's `[parameters=<expr> as <name>, ...]` as BigQuery query parameters: each expression is
 * evaluated by the embedded BigQuery (`SELECT <expr>`) and its answer, with the type the answer's
 * schema gives, becomes a named REST query parameter (parameterType, parameterValue).
 */
import type { RestCell, SchemaField } from './compare.js';

export interface ParameterType {
  type: string;
  rangeElementType?: { type: string };
  arrayType?: ParameterType;
  structTypes?: { name: string; type: ParameterType }[];
}
export interface ParameterValue {
  value?: string | null;
  rangeValue?: { start: ParameterValue; end: ParameterValue };
  arrayValues?: ParameterValue[];
  structValues?: Record<string, ParameterValue>;
}
export interface QueryParameter {
  name: string;
  parameterType: ParameterType;
  parameterValue: ParameterValue;
}

/** `a as x, [1, 2] as y` as [expression, name] pairs (commas inside brackets or quotes kept). */
export function splitParameters(text: string): [string, string][] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => {
    // `expr AS name`, or `expr name` after a closing bracket (`ARRAY<STRING>['a', NULL] string_arr`)
    const m = /^([\s\S]*)\s+as\s+([A-Za-z_]\w*)\s*$/i.exec(p.trim()) ?? /^([\s\S]*[\])'"])\s+([A-Za-z_]\w*)\s*$/.exec(p.trim());
    if (!m) throw new Error(`parameter without a name: ${p.trim()}`);
    return [m[1] ?? '', m[2] ?? ''];
  });
}

const SCALAR: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', RECORD: 'STRUCT' };

export function parameterType(field: SchemaField, repeatedDone = false): ParameterType {
  if (field.mode === 'REPEATED' && !repeatedDone) return { type: 'ARRAY', arrayType: parameterType(field, true) };
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    return { type: 'STRUCT', structTypes: (field.fields ?? []).map((f) => ({ name: f.name, type: parameterType(f) })) };
  }
  if (field.type === 'RANGE') return { type: 'RANGE', rangeElementType: field.rangeElementType ?? { type: '' } };
  return { type: SCALAR[field.type] ?? field.type };
}

function timestampText(micros: string): string {
  const n = BigInt(micros);
  const seconds = n / 1_000_000n - (n % 1_000_000n < 0n ? 1n : 0n);
  const fraction = n - seconds * 1_000_000n;
  const date = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `${date}.${fraction.toString().padStart(6, '0')}+00`;
}

export function parameterValue(field: SchemaField, v: unknown, repeatedDone = false): ParameterValue {
  if (v === null || v === undefined) return { value: null };
  if (field.mode === 'REPEATED' && !repeatedDone) return { arrayValues: (v as RestCell[]).map((c) => parameterValue(field, c.v, true)) };
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    const cells = (v as { f: RestCell[] }).f;
    return { structValues: Object.fromEntries((field.fields ?? []).map((f, i) => [f.name, parameterValue(f, cells[i]?.v)])) };
  }
  if (field.type === 'RANGE') {
    // a cell `[start, end)`: each bound as a cell of the element type, UNBOUNDED where missing
    const [start = '', end = ''] = /^\[(.*), (.*)\)$/.exec(String(v))?.slice(1) ?? [];
    const element = { name: field.name, type: field.rangeElementType?.type ?? '' };
    const bound = (b: string): ParameterValue => (b === 'UNBOUNDED' ? { value: null } : parameterValue(element, b));
    return { rangeValue: { start: bound(start), end: bound(end) } };
  }
  if (field.type === 'TIMESTAMP' && /^-?\d+$/.test(String(v))) return { value: timestampText(String(v)) };
  return { value: String(v) };
}
