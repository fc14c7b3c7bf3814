import type { Cell, Row, TableFieldSchema } from '../engine/types.js';

/**
 * The engine encodes TIMESTAMP cells as int64 microseconds. BigQuery's default wire format
 * (formatOptions.useInt64Timestamp unset or false) is seconds as a decimal string, so rows bound
 * for such a request are rewritten here, guided by the schema.
 */
export function timestampsAsSeconds(fields: TableFieldSchema[], rows: Row[]): Row[] {
  if (!fields.some(hasTimestamp)) return rows;
  return rows.map((row) => convertRow(fields, row));
}

function hasTimestamp(field: TableFieldSchema): boolean {
  if (field.type === 'TIMESTAMP') return true;
  return (field.fields ?? []).some(hasTimestamp);
}

function convertRow(fields: TableFieldSchema[], row: Row): Row {
  return { f: row.f.map((cell, i) => (fields[i] ? convertCell(fields[i], cell) : cell)) };
}

function convertCell(field: TableFieldSchema, cell: Cell): Cell {
  if (cell.v === null || !hasTimestamp(field)) return cell;
  if (field.mode === 'REPEATED' && Array.isArray(cell.v)) {
    return { v: cell.v.map((item) => convertCell({ ...field, mode: 'NULLABLE' }, item)) };
  }
  if ((field.type === 'RECORD' || field.type === 'STRUCT') && typeof cell.v === 'object' && !Array.isArray(cell.v)) {
    return { v: convertRow(field.fields ?? [], cell.v) };
  }
  if (typeof cell.v === 'string') return { v: microsToSeconds(cell.v) };
  return cell;
}

/** "1672574400123456" → "1672574400.123456", exact (no float rounding). */
export function microsToSeconds(micros: string): string {
  if (!/^-?\d+$/.test(micros)) return micros;
  const value = BigInt(micros);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const seconds = abs / 1_000_000n;
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${seconds}${fraction ? `.${fraction}` : ''}`;
}
