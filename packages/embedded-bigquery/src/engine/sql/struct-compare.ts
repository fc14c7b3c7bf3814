/**
 * STRUCT equality as BigQuery defines it (operators#comparison_operators, ZetaSQL's struct_queries):
 * fields are compared pairwise by position, whatever their names (`STRUCT(3 AS a) = STRUCT(3 AS c)` is
 * TRUE), and a NULL field makes the result NULL unless another pair differs. DuckDB compares STRUCTs
 * by field name and takes NULL fields as equal, so `(NULL, 2) = (NULL, 2)` is TRUE there. Where the two
 * can differ, the comparison fails loudly: STRUCT operands whose field names differ (by position), or
 * whose values hold a NULL anywhere. The test reads typeof() (a constant DuckDB folds, so operands that
 * are not STRUCTs keep their own comparison) and the values' JSON text (a STRING field holding `null`
 * also makes it loud, never wrong).
 */

const NOT_SUPPORTED = 'Comparing STRUCT values whose field names differ, or that hold a NULL field, is not supported by the embedded BigQuery';

export const STRUCT_COMPARE_MACROS = [
  // a DuckDB type with every integer type as BIGINT (a literal's INTEGER against a column's BIGINT is the same INT64)
  `CREATE OR REPLACE TEMP MACRO bq_struct_shape(t) AS regexp_replace(t, '\\b(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)\\b', 'BIGINT', 'g')`,
  // whether two STRUCT types could be compared by name otherwise than by position: they differ, and both
  // name their fields (DuckDB compares an anonymous STRUCT, \`(1, 2)\`, by position)
  `CREATE OR REPLACE TEMP MACRO bq_struct_names_differ(a, b) AS bq_struct_shape(a) <> bq_struct_shape(b) AND NOT regexp_matches(a, '^STRUCT\\([A-Z]+[,()\\[]') AND NOT regexp_matches(b, '^STRUCT\\([A-Z]+[,()\\[]')`,
  // whether l IS DISTINCT FROM r over STRUCTs could give an answer other than BigQuery's
  `CREATE OR REPLACE TEMP MACRO bq_struct_names_unsure(l, r) AS (typeof(l) LIKE 'STRUCT(%' OR typeof(r) LIKE 'STRUCT(%') AND typeof(l) <> '"NULL"' AND typeof(r) <> '"NULL"' AND bq_struct_names_differ(typeof(l), typeof(r))`,
  // whether l = r over STRUCTs could give an answer other than BigQuery's
  `CREATE OR REPLACE TEMP MACRO bq_struct_unsure(l, r) AS (typeof(l) LIKE 'STRUCT(%' OR typeof(r) LIKE 'STRUCT(%') AND typeof(l) <> '"NULL"' AND typeof(r) <> '"NULL"' AND (bq_struct_names_differ(typeof(l), typeof(r)) OR contains(CAST(to_json(l) AS VARCHAR), 'null') OR contains(CAST(to_json(r) AS VARCHAR), 'null'))`,
  `CREATE OR REPLACE TEMP MACRO bq_struct_refuse() AS error('${NOT_SUPPORTED}')`,
  `CREATE OR REPLACE TEMP MACRO bq_struct_guard(l, r, v) AS CASE WHEN bq_struct_unsure(l, r) THEN bq_struct_refuse() ELSE v END`,
];

/** The comparison `sql` of l and r under `=`, `!=` or `<>`, guarded against STRUCT operands DuckDB would compare otherwise than BigQuery. */
export function structGuard(left: string, op: string, right: string, sql: string): string {
  return op === '=' || op === '!=' || op === '<>' ? `bq_struct_guard(${left}, ${right}, ${sql})` : sql;
}

/** The same test for `v IN UNNEST(arr)`: v against arr's element type and values (a NULL element is bq_in_unnest's own case). */
export const STRUCT_IN_UNSURE = `(typeof(v) LIKE 'STRUCT(%' AND (bq_struct_names_differ(typeof(v), typeof(arr[1])) OR contains(CAST(to_json(v) AS VARCHAR), 'null') OR len(list_filter(arr, e -> e IS NOT NULL AND contains(CAST(to_json(e) AS VARCHAR), 'null'))) > 0))`;

/** Where an IS [NOT] DISTINCT FROM operand is certainly whole: the piece beside it starts or ends an expression. */
const BEFORE = /^(\(|,|select|where|and|or|not|when|then|else|on|having|qualify|return|if)$/i;
const AFTER = /^(\)|,|and|or|then|else|when|end|from|where|group|order|limit|having|qualify|window|as|union|except|intersect)$/i;

/**
 * `a IS [NOT] DISTINCT FROM b` of single pieces: BigQuery compares STRUCTs by position (NULLs equal, as
 * DuckDB does), DuckDB by name; STRUCT operands whose field names differ fail loudly.
 */
export function guardStructDistinct(pieces: string[]): void {
  for (let i = 1; i + 3 < pieces.length; i++) {
    if (!/^is$/i.test(pieces[i]!)) continue;
    const negate = /^not$/i.test(pieces[i + 1]!);
    const d = negate ? i + 2 : i + 1;
    if (!/^distinct$/i.test(pieces[d] ?? '') || !/^from$/i.test(pieces[d + 1] ?? '')) continue;
    const [prev, left, right, next] = [pieces[i - 2], pieces[i - 1]!, pieces[d + 2], pieces[d + 3]];
    if (right === undefined || (prev !== undefined && !BEFORE.test(prev)) || (next !== undefined && !AFTER.test(next))) continue;
    const sql = `${left} IS ${negate ? 'NOT ' : ''}DISTINCT FROM ${right}`;
    pieces.splice(i - 1, d + 3 - (i - 1), `CASE WHEN bq_struct_names_unsure(${left}, ${right}) THEN bq_struct_refuse() ELSE ${sql} END`);
  }
}
