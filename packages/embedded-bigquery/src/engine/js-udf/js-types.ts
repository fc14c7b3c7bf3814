/**
 * BigQuery's type mapping for JavaScript UDFs ("SQL type encodings in JavaScript"): which GoogleSQL
 * types a JavaScript function may take and return, and how a value crosses between DuckDB and the
 * sandbox. Arguments travel as one JSON object built by DuckDB's to_json, with the values JSON
 * cannot carry exactly turned into strings first (NUMERIC digits, FLOAT64 NaN/Infinity, BYTES as
 * base64); the sandbox decodes them into BigQuery's JavaScript values (Number, String, Boolean,
 * Date, Array, Object). The result comes back as JSON text in the shape DuckDB's
 * json_transform_strict turns into the declared type, so every value is typed by DuckDB's own cast.
 */
import { BigQueryApiError, type TableFieldSchema } from '../types.js';
import { unsupported } from '../errors.js';
import { canonicalType, quoteIdent, quoteString } from '../type-mapping.js';

export type JsScalarKind = 'STRING' | 'BOOL' | 'FLOAT64' | 'INT64' | 'NUMERIC' | 'BIGNUMERIC' | 'BYTES' | 'DATE' | 'TIMESTAMP' | 'JSON';

/** A GoogleSQL type as the sandbox's prelude reads it (plain JSON, so it can be handed to the sandbox as text). */
export type JsType = { kind: JsScalarKind } | { kind: 'ARRAY'; element: JsType } | { kind: 'STRUCT'; fields: [string, JsType][] };

const SCALARS: Record<string, JsScalarKind> = {
  STRING: 'STRING', BOOLEAN: 'BOOL', FLOAT: 'FLOAT64', INTEGER: 'INT64', NUMERIC: 'NUMERIC', BIGNUMERIC: 'BIGNUMERIC',
  BYTES: 'BYTES', DATE: 'DATE', TIMESTAMP: 'TIMESTAMP', JSON: 'JSON',
};

const DUCK: Record<JsScalarKind, string> = {
  STRING: 'VARCHAR', BOOL: 'BOOLEAN', FLOAT64: 'DOUBLE', INT64: 'BIGINT', NUMERIC: 'DECIMAL(38,9)', BIGNUMERIC: 'DECIMAL(38,19)',
  BYTES: 'BLOB', DATE: 'DATE', TIMESTAMP: 'TIMESTAMPTZ', JSON: 'JSON',
};

/**
 * The JavaScript-side type of a declared argument or return type. BigQuery's rules: INT64 is not an
 * argument type (JavaScript has no 64-bit integer; FLOAT64 or STRING are), but is a return type;
 * DATETIME, TIME, INTERVAL, GEOGRAPHY and RANGE have no JavaScript encoding here, so they fail
 * loudly rather than arrive as some other value.
 */
export function jsTypeOfField(field: TableFieldSchema, role: 'argument' | 'return'): JsType {
  if (field.mode === 'REPEATED') return { kind: 'ARRAY', element: jsTypeOfField({ ...field, mode: 'NULLABLE' }, role) };
  const type = canonicalType(field.type);
  if (type === 'RECORD') return { kind: 'STRUCT', fields: (field.fields ?? []).map((f) => [f.name, jsTypeOfField(f, role)]) };
  const kind = SCALARS[type];
  if (!kind) throw unsupported(`${type === 'FLOAT' ? 'FLOAT64' : type} as a JavaScript UDF ${role} type`);
  if (kind === 'INT64' && role === 'argument') {
    throw new BigQueryApiError('invalidQuery', 'INT64 is not a valid argument type for a JavaScript UDF (JavaScript has no 64-bit integer): declare the argument FLOAT64, or STRING to keep every digit');
  }
  return { kind };
}

/** The DuckDB expression that carries `x` (of type t) into the argument JSON without losing its value. */
export function argumentSql(x: string, t: JsType, depth = 0): string {
  switch (t.kind) {
    case 'FLOAT64':
    case 'NUMERIC':
    case 'BIGNUMERIC':
      // to_json writes NaN/Infinity (not JSON) and NUMERIC as a number literal JSON.parse would round
      return `CAST(${x} AS VARCHAR)`;
    case 'BYTES':
      return `to_base64(${x})`;
    case 'ARRAY': {
      if (!needsConversion(t.element)) return x;
      const e = `bq_js_e${depth}`;
      return `list_transform(${x}, lambda ${e}: ${argumentSql(e, t.element, depth + 1)})`;
    }
    case 'STRUCT': {
      if (!needsConversion(t)) return x;
      return once(x, depth, (v) => {
        const fields = t.fields.map(([name, ft]) => `${quoteIdent(name)} := ${argumentSql(`struct_extract(${v}, ${quoteString(name)})`, ft, depth + 1)}`);
        return `CASE WHEN ${v} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
      });
    }
    default:
      return x;
  }
}

function needsConversion(t: JsType): boolean {
  if (t.kind === 'ARRAY') return needsConversion(t.element);
  if (t.kind === 'STRUCT') return t.fields.some(([, ft]) => needsConversion(ft));
  return t.kind === 'FLOAT64' || t.kind === 'NUMERIC' || t.kind === 'BIGNUMERIC' || t.kind === 'BYTES';
}

/**
 * `use(v)` where v is x evaluated once: a lambda over a one-element list, so an expression that
 * reads its operand several times (a STRUCT rebuilt field by field) neither repeats a call inside x
 * nor calls a NOT DETERMINISTIC function twice.
 */
function once(x: string, depth: number, use: (v: string) => string): string {
  const v = `bq_js_v${depth}`;
  return `list_transform([${x}], lambda ${v}: ${use(v)})[1]`;
}

/**
 * json_transform_strict's structure for a value of type t (DuckDB type names, lists as [x], structs
 * as objects). BYTES arrive as base64 text, which resultSql decodes.
 */
export function resultStructure(t: JsType): unknown {
  if (t.kind === 'ARRAY') return [resultStructure(t.element)];
  if (t.kind === 'STRUCT') return Object.fromEntries(t.fields.map(([name, ft]) => [name, resultStructure(ft)]));
  return t.kind === 'BYTES' ? 'VARCHAR' : DUCK[t.kind];
}

/** The typed result: `x` (json_transform_strict's value) with base64 BYTES decoded wherever t has them. */
export function resultSql(x: string, t: JsType, depth = 0): string {
  if (!hasBytes(t)) return x;
  if (t.kind === 'BYTES') return `from_base64(${x})`;
  if (t.kind === 'ARRAY') {
    const e = `bq_js_e${depth}`;
    return `list_transform(${x}, lambda ${e}: ${resultSql(e, t.element, depth + 1)})`;
  }
  if (t.kind !== 'STRUCT') return x;
  return once(x, depth, (v) => {
    const fields = t.fields.map(([name, ft]) => `${quoteIdent(name)} := ${resultSql(`struct_extract(${v}, ${quoteString(name)})`, ft, depth + 1)}`);
    return `CASE WHEN ${v} IS NULL THEN NULL ELSE struct_pack(${fields.join(', ')}) END`;
  });
}

function hasBytes(t: JsType): boolean {
  if (t.kind === 'ARRAY') return hasBytes(t.element);
  if (t.kind === 'STRUCT') return t.fields.some(([, ft]) => hasBytes(ft));
  return t.kind === 'BYTES';
}
