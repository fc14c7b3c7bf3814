/**
 * APPROX_TOP_COUNT(x, n) and APPROX_TOP_SUM(x, weight, n) (approximate_aggregate_functions), exact:
 * BigQuery's estimate is the exact answer on inputs of fewer distinct values than its sketch holds,
 * and an exact answer is within its error otherwise. NULL is a value of its own; the array is
 * ordered by count (sum) descending, NULL sums last. The reference does not say how equal counts
 * are ordered, nor which of them a cut at n keeps, so equal counts among the elements returned (or
 * at the cut) fail loudly. Zero rows give NULL. Per distinct value, one pass over the rows.
 */
import { unsupported } from '../../errors.js';
import { isKeyword, isOp, type Token } from '../tokenizer.js';
import { FunctionTable, argCount } from './function-table.js';

export const APPROX_TOP_FUNCTIONS = new FunctionTable();

const MAX_ROWS = 100_000;

/** Aggregate clauses inside the call (WHERE, HAVING MAX/MIN, ORDER BY, DISTINCT) are not translated. */
function plain(raw: Token[], n: string): void {
  let depth = 0;
  for (const x of raw) {
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && isKeyword(x, 'WHERE', 'HAVING', 'ORDER', 'DISTINCT', 'LIMIT')) throw unsupported(`${n} with ${x.value.toUpperCase()}`);
  }
}

/** An error when two adjacent entries of the sorted list `s` (field `f`) are equal within the first n + 1. */
const ties = (s: string, f: string, n: string, fn: string): string =>
  `WHEN len(list_filter(range(1, least(${n}, len(${s}) - 1) + 1), i -> ${s}[i].${f} IS NOT DISTINCT FROM ${s}[i + 1].${f})) > 0 THEN error('${fn} with equal ${f}s among the elements returned is not supported by the embedded BigQuery (their order is not defined)')`;

/** The number of elements may be at most 100,000 (the reference's limit). */
const tooMany = (n: string, fn: string): string => `WHEN (${n}) > 100000 THEN error('The second argument to ${fn} function cannot be greater than 100000')`;

APPROX_TOP_FUNCTIONS.def('APPROX_TOP_COUNT', (a, _t, raw, fn) => {
  argCount(a, fn, 2);
  plain(raw, fn);
  const n = a.sql(1);
  // each value wrapped in a one-element list, so NULL is a distinct value like any other
  const counted = `list_transform(list_distinct(list_transform(l, e -> [e])), v -> {'count': len(list_filter(l, e -> e IS NOT DISTINCT FROM v[1])), 'value': v[1]})`;
  const body = `list_transform([list_sort(${counted}, 'DESC')], s -> CASE WHEN (${n}) IS NULL OR (${n}) < 1 THEN error('${fn}: the number of elements must be positive') ${tooMany(n, fn)} ${ties('s', 'count', n, fn)} ELSE list_transform(s[1:${n}], e -> {'value': e.value, 'count': e.count}) END)[1]`;
  return `list_transform([list(${a.sql(0)})], l -> CASE WHEN l IS NULL OR len(l) = 0 THEN NULL WHEN len(l) > ${MAX_ROWS} THEN error('${fn} over more than ${MAX_ROWS} rows is not supported by the embedded BigQuery') ELSE ${body} END)[1]`;
});

APPROX_TOP_FUNCTIONS.def('APPROX_TOP_SUM', (a, _t, raw, fn) => {
  argCount(a, fn, 3);
  plain(raw, fn);
  const n = a.sql(2);
  // sums that are NULL (every weight NULL) sort after the others: k = 0
  const summed = `list_transform(list_distinct(list_transform(l, e -> [e.v])), v -> list_transform([list_sum(list_transform(list_filter(l, e -> e.v IS NOT DISTINCT FROM v[1]), e -> e.w))], t -> {'k': CASE WHEN t IS NULL THEN 0 ELSE 1 END, 'sum': t, 'value': v[1]})[1])`;
  const body = `list_transform([list_sort(${summed}, 'DESC')], s -> CASE WHEN (${n}) IS NULL OR (${n}) < 1 THEN error('${fn}: the number of elements must be positive') ${tooMany(n, fn)} ${ties('s', 'sum', n, fn)} ELSE list_transform(s[1:${n}], e -> {'value': e.value, 'sum': e.sum}) END)[1]`;
  const bad = `len(list_filter(l, e -> e.w < 0 OR isnan(CAST(e.w AS DOUBLE)))) > 0`;
  return `list_transform([list({'v': ${a.sql(0)}, 'w': ${a.sql(1)}})], l -> CASE WHEN l IS NULL OR len(l) = 0 THEN NULL WHEN len(l) > ${MAX_ROWS} THEN error('${fn} over more than ${MAX_ROWS} rows is not supported by the embedded BigQuery') WHEN ${bad} THEN error('${fn}: weight cannot be negative or NaN') ELSE ${body} END)[1]`;
});
