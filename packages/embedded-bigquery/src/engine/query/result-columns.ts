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
 * one name are renamed (`a`, `a_1`).
 */
export function bigQueryColumnNames(duckNames: string[]): string[] {
  let anonymous = 0;
  const names = duckNames.map((n) => {
    const variable = /^getvariable\('([A-Za-z_][A-Za-z0-9_]*)'\)$/.exec(n);
    if (variable) return variable[1]!;
    return isExpressionText(n) ? `f${anonymous++}_` : n;
  });
  // a name used again is renamed name_1, name_2, ... (names compare without case), as BigQuery renames
  // duplicate result columns; where a new name would meet another column's own name, BigQuery's choice is not known here
  const given = new Set(names.map((n) => n.toLowerCase()));
  const uses = new Map<string, number>();
  return names.map((n) => {
    const k = uses.get(n.toLowerCase()) ?? 0;
    uses.set(n.toLowerCase(), k + 1);
    if (k === 0) return n;
    const renamed = `${n}_${k}`;
    if (given.has(renamed.toLowerCase())) throw new BigQueryApiError('invalidQuery', `Duplicate column name ${n} next to a column named ${renamed} is not supported by the embedded BigQuery`);
    return renamed;
  });
}

export function referencedColumns(stmt: Token[]): Set<string> | 'all' {
  if (stmt.some((t, i) => isOp(t, '*') && (isKeyword(stmt[i - 1], 'SELECT', 'DISTINCT') || isOp(stmt[i - 1], '.', ',')))) return 'all';
  const out = new Set<string>();
  for (const t of stmt) if (t.kind === 'ident' || t.kind === 'quoted') for (const p of t.value.split('.')) out.add(p.toLowerCase());
  return out;
}
