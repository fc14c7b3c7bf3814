/**
 * Messages of BigQuery's "No matching signature" errors. The checks (function-signatures.ts,
 * signature-checks.ts) raise with each argument's DuckDB type marked {{...}} (typeof() costs nothing
 * to plan, a mapping in SQL did); bigQueryTypes names them as BigQuery does. And DuckDB's own refusal of COALESCE/IFNULL/IF/CASE values without a common type ("Cannot mix values of
 * type INTEGER and VARCHAR in COALESCE operator"), which it raises while binding, before the
 * signature checks (function-signatures.ts, signature-checks.ts) fold, in BigQuery's words. The
 * GoogleSQL construct is read from the statement: DuckDB names COALESCE for IFNULL and CASE for IF.
 */

/** A DuckDB type as BigQuery names it (ARRAY<INT64>, STRUCT<a STRING>). */
export function bigQueryType(duck: string): string {
  const t = duck
    .replace(/TIMESTAMP WITH TIME ZONE/g, 'ZONED_TS')
    .replace(/\bTIMESTAMP\b/g, 'DATETIME')
    .replace(/ZONED_TS/g, 'TIMESTAMP')
    .replace(/\bVARCHAR\b/g, 'STRING')
    .replace(/\b(BIGINT|INTEGER|HUGEINT|SMALLINT|TINYINT|INTEGER_LITERAL)\b/g, 'INT64')
    .replace(/\b(DOUBLE|FLOAT)\b/g, 'FLOAT64')
    .replace(/\bBOOLEAN\b/g, 'BOOL')
    .replace(/\bBLOB\b/g, 'BYTES')
    .replace(/DECIMAL\(\d+,19\)/g, 'BIGNUMERIC')
    .replace(/DECIMAL\(\d+,\d+\)/g, 'NUMERIC')
    .replace(/\(/g, '<')
    .replace(/\)/g, '>')
    .replace(/"/g, '');
  return /^(.*)\[\]$/.test(t) ? `ARRAY<${t.slice(0, -2)}>` : t;
}

/** A message whose DuckDB types are marked {{...}}, with BigQuery's names (an untyped NULL is NULL). */
export function bigQueryTypes(message: string): string {
  return message.replace(/\{\{(.*?)\}\}/g, (_, t: string) => (t === '"NULL"' ? 'NULL' : bigQueryType(t)));
}

/** BigQuery's message for DuckDB's "Cannot mix values" error (first line), or undefined. */
export function mixedTypeMessage(first: string, sql: string | undefined): string | undefined {
  const m = /^Binder Error: Cannot mix values of type (.+) and (.+) in (COALESCE operator|CASE expression)/.exec(first);
  if (!m || !sql) return undefined;
  const types = [bigQueryType(m[1]!), bigQueryType(m[2]!)];
  if (m[3] === 'COALESCE operator') return `No matching signature for function ${/\bCOALESCE\s*\(/i.test(sql) || !/\bIFNULL\s*\(/i.test(sql) ? 'COALESCE' : 'IFNULL'} for argument types: ${types.join(', ')}`;
  // DuckDB names the ELSE value's type first
  const results = [types[1], types[0]].join(', ');
  if (!/\bCASE\b/i.test(sql) && /\bIF\s*\(/i.test(sql)) return `No matching signature for function IF for argument types: BOOL, ${results}`;
  return `No matching signature for operator CASE; all THEN/ELSE arguments must be coercible to a common type but found: ${results}`;
}
