/** Arithmetic and math functions with BigQuery's error behaviour (division by zero fails, SAFE_ variants give NULL). */
import { FunctionTable, argCount } from './function-table.js';

export const MATH_FUNCTIONS = new FunctionTable();
const def = MATH_FUNCTIONS.def;

def('LOG', (a, _t, _r, n) => (argCount(a, n, 1, 2), a.tokens.length === 1 ? `ln(${a.sql(0)})` : `(ln(${a.sql(0)}) / ln(${a.sql(1)}))`));
def('MOD', (a, _t, _r, n) => (argCount(a, n, 2), `bq_mod(${a.sql(0)}, ${a.sql(1)})`));
def('DIV', (a, _t, _r, n) => (argCount(a, n, 2), `bq_div(${a.sql(0)}, ${a.sql(1)})`));
def('IEEE_DIVIDE', (a, _t, _r, n) => (argCount(a, n, 2), `(CAST(${a.sql(0)} AS DOUBLE) / CAST(${a.sql(1)} AS DOUBLE))`));
def('SAFE_DIVIDE', (a, _t, _r, n) => (argCount(a, n, 2), `CASE WHEN ${a.sql(1)} = 0 THEN NULL ELSE CAST(${a.sql(0)} AS DOUBLE) / ${a.sql(1)} END`));
def(['SAFE_MULTIPLY', 'SAFE_ADD', 'SAFE_SUBTRACT'], (a, _t, _r, n) => {
  argCount(a, n, 2);
  const op = n === 'SAFE_MULTIPLY' ? '*' : n === 'SAFE_ADD' ? '+' : '-';
  return `bq_safe_arith(${a.sql(0)}, ${a.sql(1)}, '${op}')`;
});
def('SAFE_NEGATE', (a) => `(-${a.sql(0)})`);
def('ROUND', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  // DuckDB rounds DOUBLE and DECIMAL half away from zero, as BigQuery does
  return a.tokens.length === 2 ? `round(${a.sql(0)}, ${a.sql(1)})` : `round(${a.sql(0)})`;
});
def(['TRUNC'], (a, _t, _r, n) => (argCount(a, n, 1, 2), a.tokens.length === 2 ? `trunc(${a.sql(0)}, ${a.sql(1)})` : `trunc(${a.sql(0)})`));
def(['GREATEST', 'LEAST'], (a, _t, _r, n) => {
  const args = a.all();
  // BigQuery returns NULL if any argument is NULL; DuckDB skips NULLs
  return `CASE WHEN ${args.map((x) => `(${x}) IS NULL`).join(' OR ')} THEN NULL ELSE ${n.toLowerCase()}(${args.join(', ')}) END`;
});
def('RANGE_BUCKET', (a) => `len(list_filter(${a.sql(1)}, x -> x <= ${a.sql(0)}))`);
def(['SEC', 'CSC', 'SECH', 'CSCH', 'COTH'], (a, _t, _r, n) => {
  argCount(a, n, 1);
  const x = a.sql(0);
  const e = { SEC: `cos(${x})`, CSC: `sin(${x})`, SECH: `cosh(${x})`, CSCH: `sinh(${x})`, COTH: `tanh(${x})` }[n]!;
  return `bq_divide(1.0, ${e})`;
});
def('COSINE_DISTANCE', (a, _t, _r, n) => (argCount(a, n, 2), `(1 - list_cosine_similarity(CAST(${a.sql(0)} AS DOUBLE[]), CAST(${a.sql(1)} AS DOUBLE[])))`));
def('EUCLIDEAN_DISTANCE', (a, _t, _r, n) => (argCount(a, n, 2), `list_distance(CAST(${a.sql(0)} AS DOUBLE[]), CAST(${a.sql(1)} AS DOUBLE[]))`));
