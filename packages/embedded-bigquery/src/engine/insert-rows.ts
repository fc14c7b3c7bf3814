/**
 * tabledata.insertAll: rows arrive as JSON objects. Each row is checked (unknown fields,
 * REQUIRED fields, value types) and reported per index as BigQuery does; without
 * skipInvalidRows one bad row stops the whole request (the others get reason "stopped").
 */
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { InsertAllError, TableFieldSchema, TableResource } from './types.js';
import { canonicalType, quoteIdent, quoteString } from './type-mapping.js';
import { MAX_INSERT_ROW_BYTES, rangeChecked, rangedType } from './limits.js';
import { tableSql } from './catalog.js';
import { mapDuckError, unsupported } from './errors.js';
import { hasRangeField } from './sql/range-type.js';

/** json_transform structure for a field list; BYTES travel as base64 text. */
function structure(fields: TableFieldSchema[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    let t: unknown;
    if (f.type === 'RECORD' || f.type === 'STRUCT') t = structure(f.fields ?? []);
    else t = ({ INTEGER: 'BIGINT', INT64: 'BIGINT', FLOAT: 'DOUBLE', FLOAT64: 'DOUBLE', BOOLEAN: 'BOOLEAN', BOOL: 'BOOLEAN', NUMERIC: 'DECIMAL(38,9)', BIGNUMERIC: 'DECIMAL(38,19)', STRING: 'VARCHAR', BYTES: 'VARCHAR', DATE: 'DATE', DATETIME: 'TIMESTAMP', TIME: 'TIME', TIMESTAMP: 'TIMESTAMPTZ', JSON: 'JSON' } as Record<string, string>)[f.type] ?? 'VARCHAR';
    out[f.name] = f.mode === 'REPEATED' ? [t] : t;
  }
  return out;
}

/** Normalize JS values the way BigQuery's JSON input accepts them (epoch-seconds timestamps, JSON objects). */
function normalize(value: unknown, f: TableFieldSchema): unknown {
  if (value === null || value === undefined) return null;
  if (f.mode === 'REPEATED') return Array.isArray(value) ? value.map((v) => normalize(v, { ...f, mode: 'NULLABLE' })) : value;
  if ((f.type === 'RECORD' || f.type === 'STRUCT') && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return Object.fromEntries((f.fields ?? []).map((c) => [c.name, normalize(o[c.name], c)]));
  }
  if (f.type === 'TIMESTAMP' && typeof value === 'number') return new Date(value * 1000).toISOString();
  if (f.type === 'TIMESTAMP' && typeof value === 'string') return value.replace(/ UTC$/, '+00');
  if (f.type === 'JSON' && typeof value === 'string') {
    // insertAll carries JSON columns as JSON text
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function checkRow(row: Record<string, unknown>, fields: TableFieldSchema[], ignoreUnknown: boolean, prefix = ''): string | undefined {
  const names = new Map(fields.map((f) => [f.name.toLowerCase(), f]));
  for (const k of Object.keys(row)) {
    if (!names.has(k.toLowerCase()) && !ignoreUnknown) return `no such field: ${prefix}${k}.`;
  }
  for (const f of fields) {
    const v = row[f.name] ?? row[Object.keys(row).find((k) => k.toLowerCase() === f.name.toLowerCase()) ?? ''];
    if ((v === undefined || v === null) && f.mode === 'REQUIRED') return `Missing required field: ${prefix}${f.name}.`;
    if (v !== null && v !== undefined && (f.type === 'RECORD' || f.type === 'STRUCT') && f.mode !== 'REPEATED') {
      if (typeof v !== 'object') return `This field: ${prefix}${f.name} is not a record.`;
      const e = checkRow(v as Record<string, unknown>, f.fields ?? [], ignoreUnknown, `${prefix}${f.name}.`);
      if (e) return e;
    }
    if (f.mode === 'REPEATED' && v !== null && v !== undefined && !Array.isArray(v)) return `Field ${prefix}${f.name} is a repeated field and must be an array.`;
  }
  return undefined;
}

/** The column as stored: BYTES decoded from base64, DATE/DATETIME/TIMESTAMP checked against BigQuery's range. */
function selectField(f: TableFieldSchema): string {
  const c = quoteIdent(f.name);
  if (f.mode === 'REPEATED') return `s.${c}`;
  if (f.type === 'BYTES') return `from_base64(s.${c}) AS ${c}`;
  const ranged = rangedType(canonicalType(f.type));
  return ranged ? `${rangeChecked(ranged, `s.${c}`)} AS ${c}` : `s.${c}`;
}

export async function insertJsonRows(
  conn: DuckDBConnection,
  table: TableResource,
  rows: Record<string, unknown>[],
  options: { skipInvalidRows?: boolean; ignoreUnknownValues?: boolean },
): Promise<InsertAllError[]> {
  const fields = table.schema?.fields ?? [];
  if (hasRangeField(fields)) throw unsupported('insertAll into a table with a RANGE column');
  const struct = quoteString(JSON.stringify(structure(fields)));
  const select = fields.map(selectField).join(', ');
  const sql = `INSERT INTO ${tableSql(table.tableReference)} BY NAME SELECT ${select} FROM (SELECT json_transform_strict(CAST(unnest(CAST($1 AS VARCHAR[])) AS JSON), ${struct}) AS s)`;
  const errors: InsertAllError[] = [];
  const candidates: { index: number; text: string }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? {};
    const size = Buffer.byteLength(JSON.stringify(row));
    const problem = size > MAX_INSERT_ROW_BYTES ? `Maximum allowed row size exceeded. Allowed: ${MAX_INSERT_ROW_BYTES} Row size: ${size}` : checkRow(row, fields, options.ignoreUnknownValues === true);
    if (problem) {
      errors.push({ index: i, errors: [{ reason: 'invalid', message: problem, location: '' }] });
      continue;
    }
    const normalized: Record<string, unknown> = {};
    for (const f of fields) {
      const key = Object.keys(row).find((k) => k.toLowerCase() === f.name.toLowerCase());
      normalized[f.name] = normalize(key === undefined ? null : row[key], f);
    }
    candidates.push({ index: i, text: JSON.stringify(normalized) });
  }
  // Value conversion is checked by read-only queries outside the insert transaction: the whole
  // batch at once, and row by row only when the batch has a bad row (to name it).
  const checkSql = (param: string): string => `SELECT ${select} FROM (SELECT json_transform_strict(CAST(${param} AS JSON), ${struct}) AS s)`;
  let valid = candidates.map((c) => c.text);
  try {
    await conn.run(checkSql('unnest(CAST($1 AS VARCHAR[]))'), [listValue(valid)]);
  } catch {
    valid = [];
    for (const c of candidates) {
      try {
        await conn.run(checkSql('$1'), [c.text]);
        valid.push(c.text);
      } catch (e) {
        errors.push({ index: c.index, errors: [{ reason: 'invalid', message: mapDuckError(e).message, location: '' }] });
      }
    }
  }
  if (errors.length > 0 && !options.skipInvalidRows) {
    const bad = new Set(errors.map((e) => e.index));
    for (let i = 0; i < rows.length; i++) {
      if (!bad.has(i)) errors.push({ index: i, errors: [{ reason: 'stopped', message: '', location: '' }] });
    }
    return errors.sort((a, b) => a.index - b.index);
  }
  await conn.run('BEGIN TRANSACTION');
  try {
    if (valid.length > 0) await conn.run(sql, [listValue(valid)]);
    await conn.run('COMMIT');
  } catch (e) {
    await conn.run('ROLLBACK').catch(() => undefined);
    throw e;
  }
  return errors;
}
