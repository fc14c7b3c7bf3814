/**
 * Load jobs from a local file with DuckDB's readers (read_json / read_csv / read_parquet).
 * Rows the reader rejects count as bad records against maxBadRecords (default 0), as BigQuery does.
 */
import { statSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BigQueryApiError, type LoadOptions, type TableFieldSchema, type TableReference, type TableResource } from './types.js';
import { canonicalType, duckTypeOfField, quoteIdent, quoteString } from './type-mapping.js';
import { MAX_LOAD_ROW_BYTES, RANGE_MESSAGES, outOfRangeSql, rangedType } from './limits.js';
import { scanLines } from './load-scan.js';
import { columnDefinition } from './column-ddl.js';
import { tableSql } from './catalog.js';
import type { EngineCore } from './engine-core.js';
import { notFoundTable, unsupported } from './errors.js';
import { hasRangeField } from './sql/range-type.js';
import { materializedViewNotWritable } from './table-resources.js';

function readerColumns(fields: TableFieldSchema[]): string {
  if (hasRangeField(fields)) throw unsupported('A load job into a RANGE column');
  // TIMESTAMP and BYTES are read as text and converted below (BigQuery accepts " UTC" suffixes, epoch seconds, base64)
  const entries = fields.map((f) => {
    const t = f.mode !== 'REPEATED' && (f.type === 'TIMESTAMP' || f.type === 'BYTES') ? 'VARCHAR' : duckTypeOfField({ ...f, mode: f.mode === 'REQUIRED' ? 'NULLABLE' : f.mode });
    return `${quoteString(f.name)}: ${quoteString(t)}`;
  });
  return `{${entries.join(', ')}}`;
}

function convertExpr(f: TableFieldSchema): string {
  const c = quoteIdent(f.name);
  if (f.mode === 'REPEATED') return c;
  if (f.type === 'TIMESTAMP') {
    // First the common case, a date-time text without a ` UTC` suffix (a number never has `-` as its
    // fifth character): a plain cast, without the two regular expressions per value of the general case.
    return `CASE WHEN ${c} LIKE '____-%' AND NOT suffix(${c}, ' UTC') THEN CAST(${c} AS TIMESTAMPTZ) WHEN regexp_matches(${c}, '^-?[0-9]+(\\.[0-9]+)?$') THEN make_timestamptz(CAST(CAST(${c} AS DOUBLE) * 1000000 AS BIGINT)) ELSE CAST(regexp_replace(${c}, ' UTC$', '+00') AS TIMESTAMPTZ) END AS ${c}`;
  }
  if (f.type === 'BYTES') return `from_base64(${c}) AS ${c}`;
  return c;
}

/**
 * DATE, DATETIME and TIMESTAMP columns outside BigQuery's range: the load fails (maxBadRecords 0),
 * or those rows are dropped and so count as bad records.
 */
function rangeChecks(select: string, fields: TableFieldSchema[], ignore: boolean, format: string): string {
  const ranged = fields.flatMap((f) => {
    const t = f.mode === 'REPEATED' ? undefined : rangedType(canonicalType(f.type));
    return t ? [{ f, t, c: quoteIdent(f.name) }] : [];
  });
  if (ranged.length === 0) return select;
  if (ignore) return `SELECT * FROM (${select}) WHERE ${ranged.map(({ t, c }) => `(${c} IS NULL OR NOT ${outOfRangeSql(t, c)})`).join(' AND ')}`;
  const checked = fields.map((f) => {
    const r = ranged.find((x) => x.f === f);
    if (!r) return quoteIdent(f.name);
    const message = `Error while reading data, error message: ${format} table encountered too many errors, giving up. ${RANGE_MESSAGES[r.t]} Field: ${f.name}`;
    return `CASE WHEN ${outOfRangeSql(r.t, r.c)} THEN error(${quoteString(message)}) ELSE ${r.c} END AS ${r.c}`;
  });
  return `SELECT ${checked.join(', ')} FROM (${select})`;
}

/**
 * Parquet physical/logical types (as DuckDB reads them) that BigQuery loads into each column type;
 * anything else fails the load rather than being cast into an answer BigQuery would not give.
 * BigQuery's batch loads read JSON columns from CSV, NDJSON and Avro only.
 */
const PARQUET_SOURCES: Record<string, RegExp> = {
  INTEGER: /^(BIGINT|INTEGER|SMALLINT|TINYINT|UINTEGER|USMALLINT|UTINYINT)$/,
  FLOAT: /^(DOUBLE|FLOAT)$/,
  BOOLEAN: /^BOOLEAN$/,
  STRING: /^VARCHAR$/,
  BYTES: /^BLOB$/,
  TIMESTAMP: /^TIMESTAMP WITH TIME ZONE$/,
  DATETIME: /^TIMESTAMP$/,
  DATE: /^DATE$/,
  NUMERIC: /^DECIMAL\(\d+,\d+\)$/,
};

/** Checks the file's columns against the schema; returns the (lower-cased) names the file has. */
async function checkParquetColumns(conn: DuckDBConnection, reader: string, fields: TableFieldSchema[]): Promise<Set<string>> {
  const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${reader}`)).getRows();
  const types = new Map(described.map((row) => [String(row[0]).toLowerCase(), String(row[1])]));
  for (const f of fields) {
    const type = canonicalType(f.type);
    const found = types.get(f.name.toLowerCase());
    if (found === undefined) {
      if (f.mode === 'REQUIRED') throw new BigQueryApiError('invalid', `Error while reading data, error message: Required field ${f.name} is missing in the Parquet file.`);
      continue;
    }
    const accepted = f.mode === 'REPEATED' ? undefined : PARQUET_SOURCES[type];
    if (!accepted) throw new BigQueryApiError('invalid', `Loading a ${f.mode === 'REPEATED' ? 'REPEATED ' : ''}${type} column (${f.name}) from Parquet is not supported by the embedded BigQuery`);
    if (!accepted.test(found)) throw new BigQueryApiError('invalid', `Error while reading data, error message: Parquet column '${f.name}' has type ${found} which does not match the target ${type} column.`);
  }
  return new Set(types.keys());
}

export async function loadIntoTable(
  conn: DuckDBConnection,
  engine: Pick<EngineCore, 'saveTable'>,
  ref: TableReference,
  existing: TableResource | undefined,
  filePath: string,
  options: LoadOptions,
): Promise<{ outputRows: number; outputBytes: number; badRecords: number }> {
  const fileBytes = statSync(filePath).size;
  if (!existing && options.createDisposition === 'CREATE_NEVER') throw notFoundTable(ref);
  if (existing?.type === 'VIEW') throw new BigQueryApiError('invalid', `Cannot load into a view: ${ref.datasetId}.${ref.tableId}`);
  if (existing?.type === 'MATERIALIZED_VIEW') throw materializedViewNotWritable(ref, 'load into', 'invalid');
  const disposition = options.writeDisposition ?? 'WRITE_APPEND';
  const given = options.schema?.fields;
  const fields: TableFieldSchema[] | undefined = given ?? (disposition === 'WRITE_TRUNCATE' && options.autodetect ? undefined : existing?.schema?.fields);
  if (!fields && !options.autodetect && options.sourceFormat !== 'PARQUET') {
    throw new BigQueryApiError('invalid', 'No schema specified on job or table.');
  }
  const file = quoteString(filePath);
  const ignore = (options.maxBadRecords ?? 0) > 0;
  const formatName = options.sourceFormat === 'CSV' ? 'CSV' : 'JSON';
  // Rows over the maximum row size fail the job whatever maxBadRecords says: a limit, not a bad record.
  // The scan reads the whole file again, so it runs only when it can find something: a file no
  // larger than the limit holds no row over it, and the row count is needed only to count bad records.
  const scanned = options.sourceFormat !== 'PARQUET' && (ignore || fileBytes > MAX_LOAD_ROW_BYTES);
  const scan = scanned ? await scanLines(filePath, MAX_LOAD_ROW_BYTES) : undefined;
  if (scan?.oversizeAt !== undefined) {
    throw new BigQueryApiError('invalid', `Error while reading data, error message: ${formatName} parsing error in row starting at position ${scan.oversizeAt}: Row size is larger than: ${MAX_LOAD_ROW_BYTES}.`);
  }
  let reader: string;
  switch (options.sourceFormat) {
    case 'NEWLINE_DELIMITED_JSON':
      reader = fields
        ? `read_json(${file}, format = 'newline_delimited', columns = ${readerColumns(fields)}, ignore_errors = ${ignore}, maximum_object_size = 104857600)`
        : `read_json(${file}, format = 'newline_delimited', ignore_errors = ${ignore}, maximum_object_size = 104857600)`;
      break;
    case 'CSV': {
      const skip = options.skipLeadingRows ?? 0;
      const parts = [
        file,
        `header = false`,
        `skip = ${Math.max(0, Math.floor(skip))}`,
        `delim = ${quoteString(options.fieldDelimiter ?? ',')}`,
        `ignore_errors = ${ignore}`,
        `nullstr = ${quoteString(options.nullMarker ?? '')}`,
        // a custom null marker in quotes is the text, not NULL (as BigQuery reads a quoted "" as an
        // empty STRING): the loader's `\N` marker with a source string that is `\N`, which Postgres quotes
        `allow_quoted_nulls = ${options.nullMarker ? 'false' : 'true'}`,
        // a quote inside a quoted section is doubled, as BigQuery reads it
        `quote = ${quoteString(options.quote ?? '"')}`,
        `escape = ${quoteString(options.quote ?? '"')}`,
      ];
      // With the columns given, every dialect option above is set: DuckDB's sniffer (which runs
      // unless told not to, even then) would only read a sample of the file to confirm them, at
      // about 25 ms of CPU per file (a loader batch loads one file per part).
      if (fields) parts.push(`columns = ${readerColumns(fields)}`, 'auto_detect = false');
      else parts.push('auto_detect = true');
      reader = `read_csv(${parts.join(', ')})`;
      break;
    }
    case 'PARQUET':
      reader = `read_parquet(${file})`;
      break;
    default:
      throw new BigQueryApiError('invalid', `Source format ${String(options.sourceFormat)} is not supported by the embedded BigQuery`);
  }
  const present = fields && options.sourceFormat === 'PARQUET' ? await checkParquetColumns(conn, reader, fields) : undefined;
  const convert = present ? (f: TableFieldSchema) => (present.has(f.name.toLowerCase()) ? quoteIdent(f.name) : `NULL AS ${quoteIdent(f.name)}`) : convertExpr;
  const select = fields ? rangeChecks(`SELECT ${fields.map(convert).join(', ')} FROM ${reader}`, fields, ignore, options.sourceFormat === 'PARQUET' ? 'Parquet' : formatName) : `SELECT * FROM ${reader}`;
  const target = tableSql(ref);
  let outputRows: number;
  if (!existing || (disposition === 'WRITE_TRUNCATE' && (given || options.autodetect))) {
    if (existing) await conn.run(`DROP TABLE ${target}`);
    if (fields) {
      const cols = fields.map((f) => columnDefinition(f));
      await conn.run(`CREATE TABLE ${target} (${cols.join(', ')})`);
      outputRows = (await conn.run(`INSERT INTO ${target} BY NAME ${select}`)).rowsChanged;
    } else {
      await conn.run(`CREATE TABLE ${target} AS ${select}`);
      outputRows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${target}`)).getRows()[0]?.[0] ?? 0);
    }
    const meta: TableResource = {
      tableReference: ref,
      type: 'TABLE',
      ...(existing ? { description: existing.description, labels: existing.labels } : {}),
      ...(options.timePartitioning ?? existing?.timePartitioning ? { timePartitioning: options.timePartitioning ?? existing?.timePartitioning } : {}),
      ...(options.clustering ?? existing?.clustering ? { clustering: options.clustering ?? existing?.clustering } : {}),
    };
    await engine.saveTable(conn, meta, fields);
  } else {
    // Only WRITE_EMPTY needs to know whether the table has rows (a count is a scan of the table).
    const n = disposition === 'WRITE_EMPTY' ? Number((await conn.runAndReadAll(`SELECT count(*) FROM (SELECT 1 FROM ${target} LIMIT 1)`)).getRows()[0]?.[0] ?? 0) : 0;
    if (disposition === 'WRITE_EMPTY' && n > 0) {
      throw new BigQueryApiError('duplicate', `Already Exists: Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}`);
    }
    if (disposition === 'WRITE_TRUNCATE') await conn.run(`DELETE FROM ${target}`);
    if (fields && existing.schema) {
      const known = new Set(existing.schema.fields.map((f) => f.name.toLowerCase()));
      const extra = fields.filter((f) => !known.has(f.name.toLowerCase()));
      if (extra.length > 0) throw new BigQueryApiError('invalid', `Provided Schema does not match Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}. Cannot add fields (field: ${extra[0]!.name})`);
    }
    outputRows = (await conn.run(`INSERT INTO ${target} BY NAME ${select}`)).rowsChanged;
  }
  let badRecords = 0;
  // Without ignore_errors the reader has already failed the load on the first bad record.
  if (ignore && scan) {
    const lines = scan.lines - (options.sourceFormat === 'CSV' ? options.skipLeadingRows ?? 0 : 0);
    badRecords = Math.max(0, lines - outputRows);
    if (badRecords > (options.maxBadRecords ?? 0)) {
      throw new BigQueryApiError('invalid', `Error while reading data, error message: ${formatName} table encountered too many errors, giving up. Rows: ${lines}; errors: ${badRecords}.`);
    }
  }
  return { outputRows, outputBytes: fileBytes, badRecords };
}
