/**
 * GoogleSQL's PIVOT and UNPIVOT operators (query-syntax#pivot_operator, #unpivot_operator) as plain
 * SQL over the FROM item, so names, column order and NULL rules are BigQuery's rather than DuckDB's
 * PIVOT statement's:
 * - PIVOT(agg(x) [AS a], ... FOR col IN (v [AS n], ...)): the FROM item grouped by every column the
 *   aggregates and `col` do not use, one column per value and aggregate, named n (one aggregate
 *   without alias) or a_n, each aggregate taken over the rows where col = v (col IS NULL for NULL).
 *   Only aggregates that ignore NULL inputs are rewritten (the other rows become NULL inputs);
 *   others fail loudly.
 * - UNPIVOT [INCLUDE|EXCLUDE NULLS] (v FOR name IN (c [AS 'label'], ...)): every other column, then
 *   v, then name (the column name as written, or its label); rows whose value is NULL are dropped
 *   unless INCLUDE NULLS.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { isKeyword, isOp, tokenize, type Token } from './tokenizer.js';
import { NOT_FUNCTIONS } from './keywords.js';
import type { ConstructContext } from './constructs.js';

/**
 * Aggregates for which rows outside the pivot value can be turned into NULL inputs without changing
 * the answer (ANY_VALUE, STRING_AGG and ARRAY_CONCAT_AGG skip NULL inputs too; ARRAY_AGG only with
 * IGNORE NULLS). The statistics over pairs skip a pair when either value is NULL: both are wrapped.
 */
const NULL_IGNORING = new Set([
  'SUM', 'AVG', 'MIN', 'MAX', 'COUNT', 'COUNTIF', 'LOGICAL_AND', 'LOGICAL_OR', 'APPROX_COUNT_DISTINCT', 'BIT_AND', 'BIT_OR', 'BIT_XOR',
  'ANY_VALUE', 'STRING_AGG', 'ARRAY_CONCAT_AGG', 'ARRAY_AGG', 'STDDEV', 'STDDEV_POP', 'STDDEV_SAMP', 'VARIANCE', 'VAR_POP', 'VAR_SAMP',
  'CORR', 'COVAR_POP', 'COVAR_SAMP',
]);
const EVERY_ARGUMENT = new Set(['CORR', 'COVAR_POP', 'COVAR_SAMP']);
/** Aggregates whose ORDER BY and LIMIT order or cut the non-NULL inputs only. */
const ORDERED = new Set(['STRING_AGG', 'ARRAY_AGG', 'ARRAY_CONCAT_AGG']);
const WORDS = new Set([...NOT_FUNCTIONS, 'NULL', 'TRUE', 'FALSE', 'DISTINCT', 'IGNORE', 'NULLS', 'ORDER', 'BY', 'ASC', 'DESC', 'LIMIT', 'FIRST', 'LAST', 'CAST', 'SAFE_CAST', 'INT64', 'FLOAT64', 'STRING', 'NUMERIC', 'BOOL', 'DATE', 'TIMESTAMP']);
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

const text = (ts: Token[]): string => ts.map((x) => x.text).join(' ');
const name = (x: Token | undefined): string | undefined => (x && (x.kind === 'ident' || x.kind === 'quoted') && !NOT_FUNCTIONS.has(x.value.toUpperCase()) ? x.value : undefined);

/** A list item `expr [AS] alias`: the expression tokens and the alias. */
function aliased(item: Token[]): [Token[], string | undefined] {
  const n = item.length;
  if (n >= 3 && isKeyword(item[n - 2], 'AS')) return [item.slice(0, n - 2), item[n - 1]!.kind === 'string' ? undefined : item[n - 1]!.value];
  if (n >= 2 && name(item[n - 1]) && !isOp(item[n - 2], '.')) return [item.slice(0, n - 1), item[n - 1]!.value];
  return [item, undefined];
}

function topKeyword(t: ConstructContext, s: number, e: number, kw: string): number {
  for (let k = s; k < e; k++) {
    if (isOp(t.tokens[k], '(', '[')) k = t.closing(k);
    else if (isKeyword(t.tokens[k], kw)) return k;
  }
  return -1;
}

/** Columns an aggregate's arguments read (unqualified names that are not calls or keywords). */
function columnsRead(args: Token[]): string[] {
  const out: string[] = [];
  args.forEach((x, k) => {
    if (x.kind !== 'ident' && x.kind !== 'quoted') return;
    if (x.kind === 'ident' && WORDS.has(x.value.toUpperCase())) return;
    // a call, or the field name of `STRUCT(x AS name)`
    if (isOp(args[k + 1], '(') || isKeyword(args[k - 1], 'AS')) return;
    if (isOp(args[k - 1], '.') || isOp(args[k + 1], '.')) throw unsupported('PIVOT over a qualified column name or field path');
    if (!out.some((o) => o.toLowerCase() === x.value.toLowerCase())) out.push(x.value);
  });
  return out;
}

/** An aggregate call's arguments and trailing modifiers (IGNORE NULLS, ORDER BY, LIMIT), or undefined where PIVOT cannot filter its inputs by NULLs. */
function aggregateCall(fn: string, inner: Token[]): { distinct: boolean; args: Token[][]; modifiers: Token[] } | undefined {
  const distinct = isKeyword(inner[0], 'DISTINCT');
  const body = distinct ? inner.slice(1) : inner;
  const args: Token[][] = [[]];
  let depth = 0;
  let k = 0;
  for (; k < body.length; k++) {
    const x = body[k]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    if (depth === 0 && isKeyword(x, 'IGNORE', 'RESPECT', 'ORDER', 'LIMIT', 'HAVING', 'OVER')) break;
    if (depth === 0 && isOp(x, ',')) args.push([]);
    else args[args.length - 1]!.push(x);
  }
  const modifiers = body.slice(k);
  const ignoresNulls = isKeyword(modifiers[0], 'IGNORE');
  if (args.some((a) => a.length === 0) || modifiers.some((x) => isKeyword(x, 'RESPECT', 'HAVING', 'OVER'))) return undefined;
  if (fn === 'ARRAY_AGG' && !ignoresNulls) return undefined;
  if (modifiers.some((x) => isKeyword(x, 'ORDER', 'LIMIT')) && !ORDERED.has(fn)) return undefined;
  return { distinct, args, modifiers };
}

/** A pivot value's SQL and name part (query-syntax#rules_pivot_column): 1 is 1 (the column _1, or a_1 after an aggregate alias a), -1 minus_1, NULL NULL. */
function pivotValue(v: Token[]): { sql: string; name: string | undefined } | undefined {
  const [first, second] = v;
  if (v.length === 1 && first!.kind === 'number' && /^\d+$/.test(first!.value)) return { sql: first!.text, name: first!.value };
  if (v.length === 2 && isOp(first, '-') && second!.kind === 'number' && /^\d+$/.test(second!.value)) return { sql: `-${second!.text}`, name: `minus_${second!.value}` };
  if (v.length === 1 && first!.kind === 'string') return { sql: first!.text, name: IDENT.test(first!.value) ? first!.value : undefined };
  if (v.length === 1 && isKeyword(first, 'NULL')) return { sql: 'NULL', name: 'NULL' };
  return undefined;
}

/** `from PIVOT(...)`: i is the PIVOT token; returns the SQL replacing the FROM item and the index after `)`. */
export function pivotItem(t: ConstructContext, from: string, i: number): [string, number] {
  const close = t.closing(i + 1);
  const f = topKeyword(t, i + 2, close, 'FOR');
  if (f < 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: PIVOT needs FOR <column> IN (...)');
  const col = name(t.tokens[f + 1]);
  if (!col || !isKeyword(t.tokens[f + 2], 'IN') || !isOp(t.tokens[f + 3], '(') || t.closing(f + 3) !== close - 1) throw unsupported('PIVOT whose FOR is not a single column name');
  const aggs = t.splitArgs(i + 2, f).map(aliased);
  const values = t.splitArgs(f + 4, close - 1).map(aliased);
  if (aggs.length > 1 && aggs.some(([, a]) => !a)) throw new BigQueryApiError('invalidQuery', 'PIVOT with several aggregate functions needs an alias for each');
  const read = new Set<string>([col]);
  const calls = aggs.map(([agg, alias]) => {
    const fn = agg[0]?.kind === 'ident' ? agg[0].value.toUpperCase() : '';
    if (!NULL_IGNORING.has(fn) || !isOp(agg[1], '(') || t.closing(t.tokens.indexOf(agg[1]!)) !== t.tokens.indexOf(agg[agg.length - 1]!)) throw unsupported(`PIVOT with the aggregate ${text(agg)}`);
    const call = aggregateCall(fn, agg.slice(2, -1));
    if (!call) throw unsupported(`PIVOT with the aggregate ${text(agg)}`);
    for (const c of columnsRead([...call.args.flat(), ...call.modifiers])) read.add(c);
    return { fn, alias, ...call };
  });
  // two aggregates of the same volatile expression (SUM(RAND())) are two draws in BigQuery; DuckDB computes one
  const keys = calls.map((c) => `${c.fn}|${c.distinct}|${c.args.map(text).join(',')}`);
  if (keys.some((k, n) => /\b(RAND|GENERATE_UUID)\s*\(/i.test(k) && keys.indexOf(k) !== n)) throw unsupported('PIVOT with two aggregates of the same RAND() or GENERATE_UUID() expression');
  const columns: string[] = [];
  for (const [v, valueAlias] of values) {
    const value = pivotValue(v);
    if (!value) throw unsupported(`PIVOT value ${text(v)} (only string and integer literals and NULL)`);
    const valueName = valueAlias ?? value.name;
    if (!valueName) throw unsupported(`PIVOT value ${text(v)} without an alias`);
    // NULL matches the rows whose pivot column is NULL (IS NOT DISTINCT FROM)
    const matches = value.sql === 'NULL' ? `\`${col}\` IS NULL` : `\`${col}\` = ${value.sql}`;
    // a result column named NULL reads as the literal's own name (result-columns.ts): f0_ instead of NULL
    if (value.sql === 'NULL' && !valueAlias && calls.some((c) => !c.alias)) throw unsupported('PIVOT value NULL without an alias (its column would be named NULL)');
    for (const c of calls) {
      const args = c.args.map((a, k) => (k === 0 || EVERY_ARGUMENT.has(c.fn) ? (a.length === 1 && isOp(a[0], '*') ? `CASE WHEN ${matches} THEN 1 END` : `CASE WHEN ${matches} THEN (${text(a)}) END`) : text(a)));
      const sql = `${c.fn}(${c.distinct ? 'DISTINCT ' : ''}${args.join(', ')}${c.modifiers.length ? ` ${text(c.modifiers)}` : ''})`;
      const translated = t.sub(tokenize(sql).filter((x) => x.kind !== 'eof'));
      columns.push(`${translated} AS ${quoteIdent(c.alias ? `${c.alias}_${valueName}` : /^\d/.test(valueName) ? `_${valueName}` : valueName)}`);
    }
  }
  const input = t.fresh('_pivot_in');
  return [`(SELECT * EXCLUDE (${[...read].map(quoteIdent).join(', ')}), ${columns.join(', ')} FROM ${from} AS ${input} GROUP BY ALL)`, close + 1];
}

/** `from UNPIVOT [INCLUDE|EXCLUDE NULLS] (...)`: i is the UNPIVOT token. */
export function unpivotItem(t: ConstructContext, from: string, i: number): [string, number] {
  let j = i + 1;
  let includeNulls = false;
  if (isKeyword(t.tokens[j], 'INCLUDE', 'EXCLUDE') && isKeyword(t.tokens[j + 1], 'NULLS')) {
    includeNulls = isKeyword(t.tokens[j], 'INCLUDE');
    j += 2;
  }
  if (!isOp(t.tokens[j], '(')) throw new BigQueryApiError('invalidQuery', 'Syntax error: UNPIVOT must be followed by "("');
  const close = t.closing(j);
  const valueCol = name(t.tokens[j + 1]);
  const nameCol = name(t.tokens[j + 3]);
  if (!valueCol || !isKeyword(t.tokens[j + 2], 'FOR') || !nameCol || !isKeyword(t.tokens[j + 4], 'IN') || !isOp(t.tokens[j + 5], '(') || t.closing(j + 5) !== close - 1) {
    throw unsupported('UNPIVOT other than (value FOR name IN (column [AS label], ...))');
  }
  const items = t.splitArgs(j + 6, close - 1).map((item) => {
    const c = name(item[0]);
    const label = item.length === 3 && isKeyword(item[1], 'AS') && item[2]!.kind === 'string' ? item[2]!.value : item.length === 1 ? c : undefined;
    if (!c || label === undefined) throw unsupported(`UNPIVOT of ${text(item)} (only a column with an optional string label)`);
    return { c, label };
  });
  const u = quoteIdent(t.fresh('_unpivot'));
  const pairs = items.map(({ c, label }) => `{'n': ${quoteString(label)}, 'v': ${quoteIdent(c)}}`).join(', ');
  const keep = includeNulls ? '' : ` WHERE ${u}.v IS NOT NULL`;
  return [
    `(SELECT * EXCLUDE (${[...items.map((x) => quoteIdent(x.c)), u].join(', ')}), ${u}.v AS ${quoteIdent(valueCol)}, ${u}.n AS ${quoteIdent(nameCol)} FROM (SELECT *, UNNEST([${pairs}]) AS ${u} FROM ${from} AS ${quoteIdent(t.fresh('_unpivot_in'))})${keep})`,
    close + 1,
  ];
}
