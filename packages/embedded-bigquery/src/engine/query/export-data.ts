/**
 * `EXPORT DATA OPTIONS (name = value, ...) AS query_statement`, to Cloud Storage: the statement split
 * into its options and its query, and the options checked as BigQuery checks them. `uri` (one `*` in
 * the object name) and `format` (CSV, JSON, PARQUET) are required; `compression` (GZIP for CSV and
 * JSON; GZIP, SNAPPY or ZSTD for Parquet; none when absent), `header` (CSV, default false),
 * `field_delimiter` (CSV, default ","), `overwrite` (default false). AVRO, WITH CONNECTION and any
 * other option fail loudly as not supported. The server runs the query and writes the files through
 * the extract jobs' path (server/export-data-job.ts).
 */
import { BigQueryApiError } from '../types.js';
import type { ExportCompression, ExportFormat } from '../export-types.js';

export interface ExportDataStatement {
  uri: string;
  format: ExportFormat;
  compression: ExportCompression;
  header: boolean;
  fieldDelimiter: string;
  overwrite: boolean;
  /** The query_statement, as the client wrote it. */
  query: string;
}

type OptionValue = string | boolean | number;

const notSupported = (what: string): BigQueryApiError => new BigQueryApiError('invalidQuery', `${what} is not supported by the embedded BigQuery`);

/** Leading whitespace and comments (`--`, `#`, block comments) skipped. */
function skipSpace(sql: string, at: number): number {
  let i = at;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i]!)) i += 1;
    if (sql.startsWith('--', i) || sql[i] === '#') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else return i;
  }
}

/** Whether the text is an EXPORT DATA statement (decided on its first two words, comments skipped). */
export function isExportData(sql: string): boolean {
  return /^export\s+data\b/i.test(sql.slice(skipSpace(sql, 0)));
}

/** A quoted GoogleSQL string literal at `at` (quote `'` or `"`, backslash escapes, r-prefix raw): its value and end. */
function readString(sql: string, at: number): { value: string; end: number } {
  let i = at;
  const raw = /[rR]/.test(sql[i]!);
  if (raw) i += 1;
  const quote = sql[i]!;
  if (sql.startsWith(quote.repeat(3), i)) throw notSupported('A triple-quoted string in EXPORT DATA OPTIONS');
  let value = '';
  for (i += 1; i < sql.length; i += 1) {
    const c = sql[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === '\\' && !raw) {
      const n = sql[i + 1];
      const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?' };
      if (n === undefined || escapes[n] === undefined) throw notSupported(`The escape \\${n ?? ''} in an EXPORT DATA option`);
      value += escapes[n];
      i += 1;
    } else value += c;
  }
  throw new BigQueryApiError('invalidQuery', 'Syntax error: Unclosed string literal in EXPORT DATA OPTIONS');
}

function parseOptions(sql: string, at: number): { options: Map<string, OptionValue>; end: number } {
  const options = new Map<string, OptionValue>();
  let i = skipSpace(sql, at);
  if (sql[i] !== '(') throw new BigQueryApiError('invalidQuery', 'Syntax error: Expected "(" after EXPORT DATA OPTIONS');
  i = skipSpace(sql, i + 1);
  while (sql[i] !== ')') {
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i))?.[0];
    if (!name) throw new BigQueryApiError('invalidQuery', `Syntax error: Expected an option name in EXPORT DATA OPTIONS at offset ${i}`);
    i = skipSpace(sql, i + name.length);
    if (sql[i] !== '=') throw new BigQueryApiError('invalidQuery', `Syntax error: Expected "=" after EXPORT DATA option ${name}`);
    i = skipSpace(sql, i + 1);
    let value: OptionValue;
    if (/['"]/.test(sql[i] ?? '') || (/[rR]/.test(sql[i] ?? '') && /['"]/.test(sql[i + 1] ?? ''))) {
      const s = readString(sql, i);
      value = s.value;
      i = s.end;
    } else {
      const word = /^(true|false|-?\d+(?:\.\d+)?)\b/i.exec(sql.slice(i))?.[0];
      if (!word) throw notSupported(`An expression as the value of EXPORT DATA option ${name} (only literals)`);
      value = /^true$/i.test(word) ? true : /^false$/i.test(word) ? false : Number(word);
      i += word.length;
    }
    const key = name.toLowerCase();
    if (options.has(key)) throw new BigQueryApiError('invalidQuery', `Duplicate option ${name} in EXPORT DATA OPTIONS`);
    options.set(key, value);
    i = skipSpace(sql, i);
    if (sql[i] === ',') i = skipSpace(sql, i + 1);
    else if (sql[i] !== ')') throw new BigQueryApiError('invalidQuery', `Syntax error: Expected "," or ")" in EXPORT DATA OPTIONS after option ${name}`);
  }
  return { options, end: i + 1 };
}

const FORMATS: Record<string, ExportFormat> = { CSV: 'CSV', JSON: 'NEWLINE_DELIMITED_JSON', PARQUET: 'PARQUET' };
const CODECS: Record<ExportFormat, readonly ExportCompression[]> = { CSV: ['GZIP'], NEWLINE_DELIMITED_JSON: ['GZIP'], PARQUET: ['GZIP', 'SNAPPY', 'ZSTD'] };
const KNOWN = new Set(['uri', 'format', 'compression', 'header', 'field_delimiter', 'overwrite']);

function stringOption(options: Map<string, OptionValue>, name: string): string | undefined {
  const v = options.get(name);
  if (v !== undefined && typeof v !== 'string') throw new BigQueryApiError('invalidQuery', `EXPORT DATA option ${name} must be a STRING, not ${typeof v === 'boolean' ? 'BOOL' : 'a number'}`);
  return v;
}

function boolOption(options: Map<string, OptionValue>, name: string): boolean | undefined {
  const v = options.get(name);
  if (v !== undefined && typeof v !== 'boolean') throw new BigQueryApiError('invalidQuery', `EXPORT DATA option ${name} must be a BOOL`);
  return v;
}

/** The statement's options, checked, and its query; a BigQuery error for anything it would refuse or this cannot do. */
export function parseExportData(sql: string): ExportDataStatement {
  let i = skipSpace(sql, 0);
  const head = /^export\s+data\b/i.exec(sql.slice(i));
  if (!head) throw new BigQueryApiError('invalidQuery', 'not an EXPORT DATA statement');
  i = skipSpace(sql, i + head[0].length);
  if (/^with\s+connection\b/i.test(sql.slice(i))) throw notSupported('EXPORT DATA WITH CONNECTION (Amazon S3, Azure Blob Storage, Bigtable, Pub/Sub, Spanner)');
  const kw = /^options\b/i.exec(sql.slice(i));
  if (!kw) throw new BigQueryApiError('invalidQuery', 'Syntax error: Expected OPTIONS after EXPORT DATA');
  const { options, end } = parseOptions(sql, i + kw[0].length);
  i = skipSpace(sql, end);
  const as = /^as\b/i.exec(sql.slice(i));
  if (!as) throw new BigQueryApiError('invalidQuery', 'Syntax error: Expected AS after EXPORT DATA OPTIONS (...)');
  const query = sql.slice(i + as[0].length).trim().replace(/;\s*$/, '');
  if (query === '') throw new BigQueryApiError('invalidQuery', 'Syntax error: Expected a query after EXPORT DATA OPTIONS (...) AS');

  for (const name of options.keys()) if (!KNOWN.has(name)) throw notSupported(`EXPORT DATA option ${name}`);
  const uri = stringOption(options, 'uri');
  if (uri === undefined) throw new BigQueryApiError('invalidQuery', 'EXPORT DATA requires the option uri');
  const m = /^gs:\/\/([^/]+)\/(.+)$/.exec(uri);
  if (!m) throw new BigQueryApiError('invalidQuery', `Invalid uri for EXPORT DATA: ${uri}; only gs:// URIs of Cloud Storage can be written by the embedded BigQuery`);
  if ((uri.match(/\*/g) ?? []).length !== 1 || m[1]!.includes('*')) {
    throw new BigQueryApiError('invalidQuery', `Invalid uri for EXPORT DATA: ${uri}; the uri must contain exactly one '*' wildcard, in the object name`);
  }
  const formatName = stringOption(options, 'format')?.toUpperCase();
  if (formatName === undefined) throw new BigQueryApiError('invalidQuery', 'EXPORT DATA requires the option format');
  if (formatName === 'AVRO') throw notSupported('EXPORT DATA format AVRO');
  const format = FORMATS[formatName];
  if (!format) throw new BigQueryApiError('invalidQuery', `Invalid format for EXPORT DATA: ${formatName} (supported: AVRO, CSV, JSON, PARQUET)`);
  const codec = stringOption(options, 'compression')?.toUpperCase();
  if (codec !== undefined && !(CODECS[format] as readonly string[]).includes(codec)) {
    throw new BigQueryApiError('invalidQuery', `Invalid compression ${codec} for EXPORT DATA format ${formatName} (supported: ${CODECS[format].join(', ')})`);
  }
  const header = boolOption(options, 'header');
  const delimiter = stringOption(options, 'field_delimiter');
  if (format !== 'CSV' && (header !== undefined || delimiter !== undefined)) {
    throw new BigQueryApiError('invalidQuery', `EXPORT DATA options header and field_delimiter apply to format CSV only, not ${formatName}`);
  }
  const d = delimiter === undefined ? ',' : delimiter === '\\t' || delimiter.toLowerCase() === 'tab' ? '\t' : delimiter;
  if ([...d].length !== 1 || d === '\n' || d === '\r' || d === '"') throw new BigQueryApiError('invalidQuery', `Invalid field_delimiter ${JSON.stringify(delimiter)} for EXPORT DATA: one character, not a quote or line break`);
  return {
    uri,
    format,
    compression: (codec ?? 'NONE') as ExportCompression,
    header: header ?? false,
    fieldDelimiter: d,
    overwrite: boolOption(options, 'overwrite') ?? false,
    query,
  };
}
