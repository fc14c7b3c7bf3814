/** Result column naming as BigQuery does it, and the columns a statement reads (for billed bytes). */
import { BigQueryApiError, type TableReference } from '../types.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';

export function sameRef(a: TableReference, b: TableReference): boolean {
  return a.projectId === b.projectId && a.datasetId === b.datasetId && a.tableId === b.tableId;
}

/**
 * A DuckDB result name that is an expression's text rather than a name: DuckDB writes a call, an
 * operator, a cast or a subquery with brackets, a string literal with quotes, a number as digits.
 * Any other name is a column or an alias as written, spaces, accents and apostrophes included
 * (`Région`, `ID ligne`, `l'id`).
 */
function isExpressionText(n: string): boolean {
  return n === '' || /[()[\]]/.test(n) || /^['"\d.+-]/.test(n) || /^(true|false|null)$/i.test(n);
}

/**
 * BigQuery names unnamed result columns f0_, f1_, ... (counting only unnamed ones); DuckDB names them
 * after the expression. A script variable selected by itself keeps its name. Two result columns with
 * one name are an error in BigQuery.
 */
export function bigQueryColumnNames(duckNames: string[]): string[] {
  let anonymous = 0;
  const names = duckNames.map((n) => {
    const variable = /^getvariable\('([A-Za-z_][A-Za-z0-9_]*)'\)$/.exec(n);
    if (variable) return variable[1]!;
    return isExpressionText(n) ? `f${anonymous++}_` : n;
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const n of names) {
    if (seen.has(n.toLowerCase())) duplicates.add(n);
    seen.add(n.toLowerCase());
  }
  if (duplicates.size > 0) {
    throw new BigQueryApiError('invalidQuery', `Duplicate column names in the result are not supported. Found duplicate(s): ${[...duplicates].join(', ')}`);
  }
  return names;
}

export function referencedColumns(stmt: Token[]): Set<string> | 'all' {
  if (stmt.some((t, i) => isOp(t, '*') && (isKeyword(stmt[i - 1], 'SELECT', 'DISTINCT') || isOp(stmt[i - 1], '.', ',')))) return 'all';
  const out = new Set<string>();
  for (const t of stmt) if (t.kind === 'ident' || t.kind === 'quoted') for (const p of t.value.split('.')) out.add(p.toLowerCase());
  return out;
}
