/**
 * Which ZetaSQL compliance cases are BigQuery's: a case runs only when every feature it requires is
 * one BigQuery has (an allow-list: a feature not named here is skipped), it forbids only features
 * BigQuery also lacks, and its SQL and expected types use only BigQuery's types (no protos, enums,
 * INT32/UINT32/UINT64/FLOAT, GEOGRAPHY, graphs, MATCH_RECOGNIZE, ...). Each skip has a reason, counted
 * in the report.
 */
import type { TestSection } from './parse-test-file.js';

/** Language features BigQuery has, as ZetaSQL names them. */
export const BIGQUERY_FEATURES = new Set([
  'ANALYTIC_FUNCTIONS',
  'NUMERIC_TYPE',
  'BIGNUMERIC_TYPE',
  'CIVIL_TIME',
  'JSON_TYPE',
  'INTERVAL_TYPE',
  'RANGE_TYPE',
  'NAMED_ARGUMENTS',
  'SAFE_FUNCTION_CALL',
  'ORDER_BY_IN_AGGREGATE',
  'LIMIT_IN_AGGREGATE',
  'HAVING_IN_AGGREGATE',
  'NULL_HANDLING_MODIFIER_IN_AGGREGATE',
  'NULL_HANDLING_MODIFIER_IN_ANALYTIC',
  'GROUPING_SETS',
  'GROUP_BY_ROLLUP',
  'GROUPING_BUILTIN',
  'GROUP_BY_STRUCT',
  'GROUP_BY_ARRAY',
  'GROUP_BY_ALL',
  'JSON_VALUE_EXTRACTION_FUNCTIONS',
  'JSON_CONSTRUCTOR_FUNCTIONS',
  'JSON_MUTATOR_FUNCTIONS',
  'JSON_ARRAY_FUNCTIONS',
  'JSON_KEYS_FUNCTION',
  'WITH_RECURSIVE',
  'IS_DISTINCT',
  'NULLS_FIRST_LAST_IN_ORDER_BY',
  'PIVOT',
  'UNPIVOT',
  'QUALIFY',
  'FORMAT_IN_CAST',
  'LIKE_ANY_SOME_ALL',
  'CORRESPONDING',
  'CORRESPONDING_FULL',
  'BY_NAME',
  'PIPES',
  'SELECT_STAR_EXCEPT_REPLACE',
]);

/** Features a case may forbid that BigQuery does not have either (so the case holds for BigQuery). */
const ABSENT_IN_BIGQUERY = new Set(['DISALLOW_GROUP_BY_FLOAT', 'TIMESTAMP_NANOS', 'ANONYMIZATION_THRESHOLDING']);

/** Types (in the SQL or the expected type) that BigQuery lacks. */
const FOREIGN_TYPES = /\b(U?INT32|UINT64|FLOAT32|FLOAT|PROTO|ENUM|GEOGRAPHY|MAP|UUID|TOKENLIST|GRAPH_ELEMENT|GRAPH_PATH|EXTENDED)\b(?!\s*\()/i;
/** Constructs of other dialects or of the test driver's catalog. */
const FOREIGN_SQL = /\b(GRAPH_TABLE|MATCH_RECOGNIZE|NEW\s+[a-z_]+\.|zetasql_test__|KitchenSink|ANON_|DIFFERENTIAL_PRIVACY|WITH\s+ANONYMIZATION|ST_[A-Z]+|COLLATE)\b/i;

export type Skip = string | undefined;

export function skipReason(s: TestSection): Skip {
  const missing = s.requiredFeatures.filter((f) => !BIGQUERY_FEATURES.has(f));
  if (missing.length > 0) return `feature ${missing.sort()[0]}`;
  const forbidden = s.forbiddenFeatures.filter((f) => !ABSENT_IN_BIGQUERY.has(f));
  if (forbidden.length > 0) return `forbids ${forbidden[0]}`;
  // The embedded BigQuery answers these with a string of a gigabyte, which kills the client (V8's
  // string limit) instead of BigQuery's 1 MB error: reported, not run.
  if (/\b(LPAD|RPAD|REPEAT)\s*\([^)]*\b\d{7,}/i.test(s.sql)) return 'output over 1 MB (crashes the harness)';
  if (s.options.has('primary_key_mode')) return 'DML (primary keys)';
  const typeText = s.expected.startsWith('ERROR') ? '' : (/^[^[]*/.exec(s.expected)?.[0] ?? '');
  if (FOREIGN_TYPES.test(typeText)) return 'type not in BigQuery (expected)';
  const params = (s.options.get('parameters') ?? '').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "''");
  if (FOREIGN_SQL.test(params) || /\bAS\s+(U?INT32|UINT64|FLOAT32|FLOAT|PROTO|ENUM|GEOGRAPHY|MAP|UUID)\b/i.test(params)) return 'type not in BigQuery (parameters)';
  const sql = s.sql.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, "''");
  if (FOREIGN_SQL.test(sql)) return 'construct not in BigQuery';
  if (/\b(?:AS|CAST\s*\([^)]*AS)\s+(U?INT32|UINT64|FLOAT32|FLOAT|PROTO|ENUM|GEOGRAPHY|MAP|UUID)\b/i.test(sql)) return 'type not in BigQuery (SQL)';
  // inside a type's brackets: ARRAY<INT32>[], STRUCT<DOUBLE, INT32>(...) (BigQuery: "Type not found: INT32")
  if (/[<,]\s*(U?INT32|UINT64|FLOAT32|PROTO|ENUM|GEOGRAPHY|MAP|UUID)\s*[>,]/i.test(sql)) return 'type not in BigQuery (SQL)';
  if (/^\s*(INSERT|UPDATE|DELETE|MERGE|DROP|ALTER|DEFINE|EXPLAIN|DESCRIBE|BEGIN|ASSERT|EXPORT|IMPORT|MODULE)\b/i.test(sql)) return 'not a query (DML, DDL)';
  if (/^\s*CREATE\b/i.test(sql) && !s.prepareDatabase) return 'not a query (DML, DDL)';
  if (/\n\s*ASSERT_ROWS_MODIFIED\b/i.test(sql)) return 'not a query (DML, DDL)';
  if (s.expected.startsWith('STRUCT<')) return 'not a query (DML, DDL)';
  return undefined;
}

/** The table a prepare_database section creates. */
export function preparedTable(sql: string): string | undefined {
  return /^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP\s+|TEMPORARY\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?`?([A-Za-z_][\w]*)`?/i.exec(sql)?.[1];
}

/** A table of `unavailable` that the SQL names (word match, case-insensitive). */
export function readsTable(sql: string, unavailable: Iterable<string>): string | undefined {
  for (const t of unavailable) if (new RegExp(`\\b${t}\\b`, 'i').test(sql)) return t;
  return undefined;
}

/** The SQL in BigQuery's spelling: ZetaSQL's type name DOUBLE is BigQuery's FLOAT64 (string literals untouched). */
export function bigQuerySql(sql: string): string {
  return sql.replace(/("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|\bDOUBLE\b/gi, (m, literal: string | undefined) => literal ?? 'FLOAT64');
}

/**
 * The default time zone the reference ran a section in: ZetaSQL's compliance driver uses
 * America/Los_Angeles unless the file sets `[default_time_zone=...]` (BigQuery's default is UTC).
 */
export function defaultTimeZone(s: TestSection): string {
  return s.options.get('default_time_zone') ?? 'America/Los_Angeles';
}

/** The section's SQL as BigQuery runs it in the reference's zone: a script that sets @@time_zone first. */
export function inZone(sql: string, zone: string): string {
  if (!/^[A-Za-z0-9_/+:-]+$/.test(zone)) throw new Error(`unexpected default_time_zone ${zone}`);
  return `SET @@time_zone = '${zone}';\n${sql}`;
}
