/**
 * The checked forms of comparisons, BETWEEN, IN and MIN name each operand several times (its type
 * for the signature check, a NaN test, the comparison itself), and DuckDB binds and plans every copy.
 * A copy of a column is free; a copy of a scalar subquery is another subquery to decorrelate, and
 * nested checked forms multiply: DfE's PII assertion (MIN(IF((SELECT COUNT(*) ...) = 1, ...)) compared
 * in HAVING through its aliases) grew to thousands of subqueries and planned for minutes. An operand
 * holding a subquery is therefore evaluated once, as the element of a one-element list whose lambda
 * holds the checked form over the element (lambdas see the query's columns, and the element keeps
 * its type, NULL's included); other operands are copied as before.
 */

/** The SQL with its string literals and quoted names emptied, so a keyword test sees code only. */
const unquoted = (sql: string): string => sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, "''");

/** DuckDB SQL holding a subquery (a SELECT keyword outside string literals and quoted names). */
export function holdsSubquery(sql: string): boolean {
  return /\bselect\b/i.test(unquoted(sql));
}

/**
 * The lambda's parameter. One name serves every lambda: a body names only its own parameter, and a
 * lambda inside another's element or body has a scope of its own; one name keeps translations
 * deterministic.
 */
const V = '__bq_once';

/**
 * DuckDB picks an overload of a typed macro (typed-macros.ts) by binding its arguments against each
 * overload in turn, so an argument that is itself a typed-macro call is bound once per overload of
 * the call around it, and nesting multiplies: `a / ((LEAST(b, c + 1) - c) / 100)` (HTTP Archive's
 * CrUX histograms) took two minutes to bind. Such an argument is bound once, like a subquery.
 */
export function holdsTypedCall(sql: string): boolean {
  const code = unquoted(sql);
  return /\bselect\b/i.test(code) || /\bbq_(divide|times|minus|minus_once|sign|generate_array)(__[a-z_]+)?\(/.test(code);
}

/**
 * `form(refs)` with each operand that holds a subquery replaced by a reference to its value computed
 * once; the operands unchanged where none does.
 */
export function bindOnce(operands: string[], form: (refs: string[]) => string, isHeavy: (sql: string) => boolean = holdsSubquery): string {
  const heavy = operands.map(isHeavy);
  if (!heavy.includes(true)) return form(operands);
  const fields = operands.map((sql, i) => (heavy[i] ? `'o${i}': ${sql}` : undefined)).filter((f) => f !== undefined);
  // struct_extract, not V.oN: in an aggregating query DuckDB binds a dotted name as a column first
  const refs = operands.map((sql, i) => (heavy[i] ? `struct_extract(${V}, 'o${i}')` : sql));
  return `list_transform([{${fields.join(', ')}}], ${V} -> ${form(refs)})[1]`;
}

/**
 * MIN(x) over an x holding a subquery with one copy of x: the minimum of {n, v} structs, n 0 for a
 * FLOAT64 NaN and 1 otherwise, so a NaN wins (aggregate_functions#min: NaN when an input is NaN) and
 * otherwise the least v; NULL inputs stay NULL and are skipped. DISTINCT changes no minimum.
 */
export function onceMinSql(x: string, over: string): string {
  const keyed = `CASE WHEN ${V} IS NULL THEN NULL ELSE {'n': CASE WHEN typeof(${V}) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(${V} AS DOUBLE)) THEN 0 ELSE 1 END, 'v': ${V}} END`;
  return `(min(list_transform([${x}], ${V} -> ${keyed})[1])${over}).v`;
}
