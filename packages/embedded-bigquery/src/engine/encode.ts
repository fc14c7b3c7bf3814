/**
 * DuckDB values → BigQuery REST cells (`{v: ...}`), following the jobs.getQueryResults /
 * tabledata.list wire format: every scalar is a string, arrays are `[{v}]`, records `{f: [...]}`.
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBIntervalValue,
  DuckDBListValue,
  DuckDBArrayValue,
  DuckDBStructValue,
  DuckDBTimeValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { Cell, Row, TableFieldSchema } from './types.js';
import { checkDays, checkMicros } from './limits.js';
import { compact, parse, type Node } from './sql/functions/json-text.js';
import { jsonDouble } from './sql/functions/json-numbers.js';
import { RANGE_END, RANGE_START } from './sql/range-type.js';

export interface EncodeOptions {
  useInt64Timestamp?: boolean;
}

export function encodeRow(values: readonly DuckDBValue[], fields: TableFieldSchema[], options: EncodeOptions): Row {
  return { f: fields.map((f, i) => encodeCell(values[i] ?? null, f, options)) };
}

function encodeCell(value: DuckDBValue, field: TableFieldSchema, options: EncodeOptions): Cell {
  if (field.mode === 'REPEATED') {
    if (value === null) return { v: [] };
    const items = value instanceof DuckDBListValue || value instanceof DuckDBArrayValue ? value.items : [];
    const inner = { ...field, mode: 'NULLABLE' as const };
    return { v: items.map((x) => encodeCell(x, inner, options)) };
  }
  if (value === null) return { v: null };
  if (field.type === 'RANGE') return { v: encodeRange(value, field.rangeElementType?.type ?? '', options) };
  if (field.type === 'RECORD' || field.type === 'STRUCT') {
    const entries = value instanceof DuckDBStructValue ? value.entries : {};
    const keys = Object.keys(entries);
    return { v: { f: (field.fields ?? []).map((f, i) => encodeCell(entries[f.name] ?? entries[keys[i] ?? ''] ?? null, f, options)) } };
  }
  return { v: encodeScalar(value, field.type, options) };
}

export function encodeScalar(value: DuckDBValue, type: string, options: EncodeOptions): string | null {
  if (value === null) return null;
  switch (type) {
    case 'TIMESTAMP': {
      const micros = value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue ? value.micros : BigInt(String(value));
      // the last line of defence for values no check upstream caught (operator arithmetic, nested fields)
      checkMicros('TIMESTAMP', micros);
      return options.useInt64Timestamp ? micros.toString() : microsToFloatSeconds(micros);
    }
    case 'DATETIME':
      if (value instanceof DuckDBTimestampValue || value instanceof DuckDBTimestampTZValue) {
        checkMicros('DATETIME', value.micros);
        return formatDatetime(value.micros);
      }
      return String(value);
    case 'DATE':
      if (value instanceof DuckDBDateValue) {
        checkDays(value.days);
        return value.toString();
      }
      return String(value);
    case 'TIME':
      if (value instanceof DuckDBTimeValue) return formatTime(value.micros);
      return String(value);
    case 'BYTES':
      if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('base64');
      return Buffer.from(String(value)).toString('base64');
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'FLOAT':
      return formatFloat(typeof value === 'number' ? value : Number(String(value)));
    case 'NUMERIC':
      // DuckDB's NUMERIC × NUMERIC keeps 18 digits of scale; BigQuery rounds every NUMERIC to 9
      return value instanceof DuckDBDecimalValue && value.scale > 9 ? trimDecimal(roundToNumeric(value.value, value.scale)) : trimDecimal(String(value));
    case 'BIGNUMERIC':
      return value instanceof DuckDBDecimalValue ? trimDecimal(value.toString()) : trimDecimal(String(value));
    case 'INTEGER':
      return typeof value === 'bigint' || typeof value === 'number' ? BigInt(value).toString() : String(value);
    case 'JSON':
      return normalizeJson(String(value));
    case 'INTERVAL':
      if (value instanceof DuckDBIntervalValue) return formatInterval(value);
      return String(value);
    default:
      return String(value);
  }
}

/**
 * A RANGE as the REST API sends it: `[start, end)`, each bound as a cell of its element type would be
 * (a DATE, a DATETIME with `T`, a TIMESTAMP as seconds or int64 micros), `UNBOUNDED` for an infinite one.
 */
function encodeRange(value: DuckDBValue, element: string, options: EncodeOptions): string {
  const entries = value instanceof DuckDBStructValue ? value.entries : {};
  const bound = (b: DuckDBValue | undefined): string => {
    if (b === undefined || b === null || isInfinite(b)) return 'UNBOUNDED';
    return encodeScalar(b, element, options) ?? 'UNBOUNDED';
  };
  return `[${bound(entries[RANGE_START])}, ${bound(entries[RANGE_END])})`;
}

function isInfinite(b: DuckDBValue): boolean {
  if (b instanceof DuckDBDateValue) return Math.abs(b.days) === 2147483647;
  if (b instanceof DuckDBTimestampValue || b instanceof DuckDBTimestampTZValue) return b.micros === 9223372036854775807n || b.micros === -9223372036854775807n;
  return false;
}

/** An unscaled decimal of `scale` digits rounded half away from zero to NUMERIC's 9, as text. */
function roundToNumeric(unscaled: bigint, scale: number): string {
  const d = 10n ** BigInt(scale - 9);
  const abs = unscaled < 0n ? -unscaled : unscaled;
  let q = abs / d;
  if (2n * (abs % d) >= d) q += 1n;
  const digits = q.toString().padStart(10, '0');
  return `${unscaled < 0n && q !== 0n ? '-' : ''}${digits.slice(0, -9)}.${digits.slice(-9)}`;
}

function trimDecimal(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** BigQuery sends FLOAT64 as the shortest round-trip decimal, with Infinity/-Infinity/NaN spelled out. */
export function formatFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return String(n);
}

/** Seconds since the epoch as a decimal string (BigQuery's non-int64 TIMESTAMP encoding, e.g. "1.7040672E9"). */
function microsToFloatSeconds(micros: bigint): string {
  const seconds = Number(micros) / 1e6;
  // Java-style scientific notation, as BigQuery emits it
  if (seconds === 0) return '0.0';
  const exp = Math.floor(Math.log10(Math.abs(seconds)));
  const mantissa = (Number(micros) / 10 ** (exp + 6)).toPrecision(17).replace(/0+$/, '').replace(/\.$/, '.0');
  const fixed = Number(mantissa);
  return `${String(fixed).includes('.') ? String(fixed) : `${fixed}.0`}E${exp}`;
}

function pad(n: number | bigint, w = 2): string {
  return String(n).padStart(w, '0');
}

function fraction(micros: bigint): string {
  if (micros === 0n) return '';
  return `.${pad(micros, 6).replace(/0+$/, '')}`;
}

function formatDatetime(micros: bigint): string {
  const ms = micros / 1000n - (micros < 0n && micros % 1000n !== 0n ? 1n : 0n);
  const d = new Date(Number(ms));
  const sub = ((micros % 1000000n) + 1000000n) % 1000000n;
  const date = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return `${date}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction(sub)}`;
}

function formatTime(micros: bigint): string {
  const total = micros / 1000000n;
  const sub = micros % 1000000n;
  return `${pad(total / 3600n)}:${pad((total / 60n) % 60n)}:${pad(total % 60n)}${fraction(sub)}`;
}

function formatInterval(v: DuckDBIntervalValue): string {
  const years = Math.trunc(v.months / 12);
  const months = v.months % 12;
  const sign = v.micros < 0n ? '-' : '';
  const abs = v.micros < 0n ? -v.micros : v.micros;
  const secs = abs / 1000000n;
  // the year-month part carries one sign for both (BigQuery: -0-2 for minus two months, -1-2 for minus 14)
  return `${v.months < 0 ? '-' : ''}${Math.abs(years)}-${Math.abs(months)} ${v.days} ${sign}${secs / 3600n}:${(secs / 60n) % 60n}:${secs % 60n}${fraction(abs % 1000000n)}`;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return v;
}

/**
 * BigQuery returns JSON values minified with object keys in sorted order. Text with numbers of 16 or
 * more digits (which JSON.parse would round) keeps its integers as written and prints a FLOAT64 of
 * 10^15 or more as ZetaSQL's JSON writer does (9.007199254740992e+15, where DuckDB writes 9007199254740992.0).
 */
export function normalizeJson(text: string): string {
  if (/\d{16,}/.test(text)) {
    try {
      return compact(wideDoubles(parse(text)));
    } catch {
      return text;
    }
  }
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)));
  } catch {
    return text;
  }
}

function wideDoubles(n: Node): Node {
  if (n.kind === 'array') return { kind: 'array', items: n.items.map(wideDoubles) };
  if (n.kind === 'object') return { kind: 'object', members: [...n.members].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map(([k, raw, v]) => [k, raw, wideDoubles(v)]) };
  if (!/^-?\d[\d.]*[.eE]/.test(n.text)) return n;
  const x = Number(n.text);
  return Number.isFinite(x) && Math.abs(x) >= 1e15 ? { kind: 'scalar', text: jsonDouble(x) } : n;
}
