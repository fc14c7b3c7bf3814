/**
 * Extract jobs' file writing: one table (or one partition of it) written by DuckDB's COPY TO into
 * a fresh directory inside the engine's intake directory, the only place DuckDB may write (see
 * database.ts). The SELECT is built here from the catalog schema, never from client text: each
 * column is rewritten into what BigQuery's extract writes for its type and format, and the
 * partition decorator becomes a range on the partitioning column.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableSql } from './catalog.js';
import { canonicalType, duckTypeOfField, quoteIdent, quoteString } from './type-mapping.js';
import { BigQueryApiError, type TableFieldSchema, type TableResource } from './types.js';
import type { ExportedFiles, ExportFormat, ExportRequest } from './export-types.js';
import { hasRangeField } from './sql/range-type.js';

/**
 * Trailing fraction zeros and then a bare point dropped: "12.500000000" → "12.5", "100.000000000" →
 * "100", "10:00:00.000000" → "10:00:00". rtrim, not a regex: it runs once per value of every row.
 */
function trimFraction(text: string): string {
  return `rtrim(rtrim(${text}, '0'), '.')`;
}

/** NUMERIC as BigQuery prints it (the cast always has a point: scale 9). */
function trimmedDecimal(e: string): string {
  return trimFraction(`CAST(${e} AS VARCHAR)`);
}

/** Fractional seconds only as far as needed, as BigQuery prints timestamps. */
function trimmedSeconds(e: string, format: string): string {
  return trimFraction(`strftime(${e}, ${quoteString(format)})`);
}

/** A value as BigQuery's JSON and CSV extracts print it (INT64 as a string in JSON, so it keeps 64 bits). */
function textValue(e: string, field: TableFieldSchema): string {
  switch (canonicalType(field.type)) {
    case 'INTEGER': return `CAST(${e} AS VARCHAR)`;
    case 'NUMERIC': case 'BIGNUMERIC': return trimmedDecimal(e);
    case 'BYTES': return `to_base64(${e})`;
    case 'DATE': case 'TIME': case 'JSON': return `CAST(${e} AS VARCHAR)`;
    case 'DATETIME': return trimmedSeconds(e, '%Y-%m-%dT%H:%M:%S.%f');
    case 'TIMESTAMP': return `${trimmedSeconds(e, '%Y-%m-%d %H:%M:%S.%f')} || ' UTC'`;
    case 'INTERVAL': case 'RANGE': throw new BigQueryApiError('invalid', `Field ${field.name}: ${field.type} columns cannot be extracted by the embedded BigQuery`);
    default: return e;
  }
}

function jsonValue(e: string, field: TableFieldSchema): string {
  if (field.mode === 'REPEATED') {
    return `list_transform(${e}, x -> ${jsonValue('x', { ...field, mode: 'NULLABLE' })})`;
  }
  if (canonicalType(field.type) === 'RECORD') {
    const members = (field.fields ?? []).map((f) => `${quoteIdent(f.name)} := ${jsonValue(`${e}.${quoteIdent(f.name)}`, f)}`);
    return `CASE WHEN ${e} IS NULL THEN NULL ELSE struct_pack(${members.join(', ')}) END`;
  }
  const t = canonicalType(field.type);
  // BOOL, FLOAT64 and STRING are JSON's own booleans, numbers and strings
  return t === 'BOOLEAN' || t === 'FLOAT' || t === 'STRING' ? e : textValue(e, field);
}

function parquetValue(e: string, field: TableFieldSchema): string {
  const t = canonicalType(field.type);
  // BigQuery writes JSON as a plain STRING column; BIGNUMERIC as DECIMAL(76,38), which DuckDB cannot hold
  if (t === 'JSON' && field.mode !== 'REPEATED') return `CAST(${e} AS VARCHAR)`;
  if (t === 'BIGNUMERIC') throw new BigQueryApiError('invalid', `Field ${field.name}: BIGNUMERIC cannot be extracted to Parquet by the embedded BigQuery (BigQuery writes DECIMAL(76,38), wider than DuckDB's decimals)`);
  if (t === 'INTERVAL' || hasRangeField([field])) throw new BigQueryApiError('invalid', `Field ${field.name}: ${t} columns cannot be extracted by the embedded BigQuery`);
  // The column as its BigQuery type's storage: a table made by a query may hold INT64 as a 32-bit
  // INTEGER (`select 1 as id`), which Parquet would otherwise get as INT32 (a no-op for the rest)
  return `CAST(${e} AS ${duckTypeOfField(field)})`;
}

/**
 * BigQuery's JSON extract leaves out fields whose value is NULL, nested ones included
 * (googleapis/nodejs-bigquery#1134: "a limitation on the BigQuery backend"). A JSON merge patch
 * onto `{}` drops exactly the null members, at every depth; arrays are kept whole. Each row is then
 * one line of JSON text, written by the CSV writer with quoting off (JSON text has no raw newline).
 */
function jsonLine(fields: TableFieldSchema[]): string {
  const members = fields.map((f) => `${quoteIdent(f.name)} := ${jsonValue(quoteIdent(f.name), f)}`);
  return `json_merge_patch('{}', to_json(struct_pack(${members.join(', ')}))) AS line`;
}

function selectList(fields: TableFieldSchema[], format: ExportFormat): string {
  if (format === 'NEWLINE_DELIMITED_JSON') return jsonLine(fields);
  return fields
    .map((f) => {
      const c = quoteIdent(f.name);
      if (format === 'PARQUET') return `${parquetValue(c, f)} AS ${c}`;
      if (f.mode === 'REPEATED' || canonicalType(f.type) === 'RECORD') {
        throw new BigQueryApiError('invalid', `Operation cannot be performed on a nested schema. Field: ${f.name}`);
      }
      return `${textValue(c, f)} AS ${c}`;
    })
    .join(', ');
}

/** `table$20250916` → a range on the partitioning column (start inclusive, end exclusive). */
function partitionWhere(meta: TableResource, partition: string): string {
  const ref = meta.tableReference;
  const tp = meta.timePartitioning;
  if (!tp) throw new BigQueryApiError('invalid', `Cannot read partition information from a table that is not partitioned: ${ref.projectId}:${ref.datasetId}.${ref.tableId}$${partition}`);
  if (!tp.field) throw new BigQueryApiError('invalid', `Extracting a partition of ingestion-time partitioned table ${ref.datasetId}.${ref.tableId} is not supported by the embedded BigQuery`);
  const unit = (tp.type ?? 'DAY').toUpperCase();
  const digits = { YEAR: 4, MONTH: 6, DAY: 8, HOUR: 10 }[unit];
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?$/.exec(partition);
  if (!digits || !m || partition.length !== digits) {
    throw new BigQueryApiError('invalid', `Invalid partition decorator $${partition} for ${unit}-partitioned table ${ref.datasetId}.${ref.tableId}`);
  }
  const start = `${m[1]}-${m[2] ?? '01'}-${m[3] ?? '01'} ${m[4] ?? '00'}:00:00`;
  const step = { YEAR: '1 year', MONTH: '1 month', DAY: '1 day', HOUR: '1 hour' }[unit as 'DAY'];
  const field = (meta.schema?.fields ?? []).find((f) => f.name.toLowerCase() === tp.field?.toLowerCase());
  if (!field) throw new BigQueryApiError('invalid', `Partitioning field ${tp.field} is missing from ${ref.datasetId}.${ref.tableId}`);
  const c = quoteIdent(field.name);
  const bound = canonicalType(field.type) === 'TIMESTAMP' ? `CAST(${quoteString(`${start}+00`)} AS TIMESTAMPTZ)` : `CAST(${quoteString(start)} AS TIMESTAMP)`;
  const value = canonicalType(field.type) === 'TIMESTAMP' ? c : `CAST(${c} AS TIMESTAMP)`;
  return ` WHERE ${value} >= ${bound} AND ${value} < ${bound} + INTERVAL ${step}`;
}

function copyOptions(req: ExportRequest): string {
  const compression = req.compression.toLowerCase();
  if (req.format === 'PARQUET') return `FORMAT parquet, COMPRESSION ${compression === 'none' ? 'uncompressed' : compression}`;
  const codec = `COMPRESSION ${compression === 'gzip' ? 'gzip' : 'none'}`;
  if (req.format === 'NEWLINE_DELIMITED_JSON') return `FORMAT csv, HEADER false, QUOTE '', ESCAPE '', ${codec}`;
  return `FORMAT csv, HEADER ${req.printHeader ? 'true' : 'false'}, DELIMITER ${quoteString(req.fieldDelimiter)}, ${codec}`;
}

/**
 * Writes the table's rows (one partition when requested) as one shard in `parentDir`, which must
 * lie inside DuckDB's allowed directory. BigQuery splits exports over 1 GB into several shards;
 * this writes one, whatever the size, which every reader of a `*` pattern accepts.
 */
export async function writeExport(conn: DuckDBConnection, meta: TableResource, parentDir: string, req: ExportRequest): Promise<ExportedFiles> {
  const ref = meta.tableReference;
  if (meta.type === 'VIEW') throw new BigQueryApiError('invalid', `${ref.projectId}:${ref.datasetId}.${ref.tableId} is not allowed for this operation because it is currently a VIEW`);
  const fields = meta.schema?.fields ?? [];
  if (fields.length === 0) throw new BigQueryApiError('invalid', `Table ${ref.datasetId}.${ref.tableId} has no schema to extract`);
  const where = req.partition ? partitionWhere(meta, req.partition) : '';
  const sql = `SELECT ${selectList(fields, req.format)} FROM ${tableSql(meta.tableReference)}${where}`;
  const dir = await mkdtemp(path.join(parentDir, 'export-'));
  const release = (): Promise<void> => rm(dir, { recursive: true, force: true });
  try {
    const file = path.join(dir, '000000000000');
    let settle: { resolve: () => void; reject: (error: unknown) => void } | undefined;
    const copied = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    copied.catch(() => undefined);
    req.onShardStarted?.(file, copied);
    const result = await conn.run(`COPY (${sql}) TO ${quoteString(file)} (${copyOptions(req)})`).then(
      (r) => {
        settle?.resolve();
        return r;
      },
      (error: unknown) => {
        settle?.reject(error);
        throw error;
      },
    );
    const written = (await readdir(dir)).map((n) => path.join(dir, n)).sort();
    let bytes = 0;
    for (const f of written) bytes += (await stat(f)).size;
    return { files: written, rows: result.rowsChanged, bytes, release };
  } catch (error) {
    await release();
    throw error;
  }
}
