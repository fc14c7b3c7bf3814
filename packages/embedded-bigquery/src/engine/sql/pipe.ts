/**
 * Pipe syntax (pipe-syntax): `FROM t |> WHERE ... |> AGGREGATE ... GROUP BY ... |> SELECT ...`.
 * Each operator wraps the query so far as a subquery, in order, so every step sees exactly the
 * columns the previous one produced. Translated operators: WHERE, SELECT, EXTEND, SET, DROP,
 * RENAME, AS, AGGREGATE [GROUP [AND ORDER] BY], ORDER BY, LIMIT [OFFSET] (an ORDER BY followed by LIMIT
 * is one step), [LEFT|INNER|CROSS|FULL|RIGHT] JOIN, DISTINCT, WINDOW, PIVOT, UNPIVOT and the set
 * operations. Set operations, PIVOT, UNPIVOT and ordered aggregation are written back as standard
 * syntax over the query so far (its own tokens) and translated as such, so they get the standard
 * forms' column matching, supertypes and NaN order. Any other operator fails loudly.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteIdent } from '../type-mapping.js';
import { isKeyword, isOp, tokenize, type Token } from './tokenizer.js';
import type { ConstructContext } from './constructs.js';

/** Top-level `|>` positions in [s, e). */
export function pipePositions(t: ConstructContext, s: number, e: number): number[] {
  const out: number[] = [];
  for (let k = s; k < e; k++) {
    if (isOp(t.tokens[k], '(', '[')) k = t.closing(k);
    else if (isOp(t.tokens[k], '|>')) out.push(k);
  }
  return out;
}

function topKeyword(t: ConstructContext, s: number, e: number, ...kw: string[]): number {
  for (let k = s; k < e; k++) {
    if (isOp(t.tokens[k], '(', '[')) k = t.closing(k);
    else if (isKeyword(t.tokens[k], ...kw)) return k;
  }
  return -1;
}

const ident = (x: Token | undefined, what: string): string => {
  if (!x || (x.kind !== 'ident' && x.kind !== 'quoted')) throw new BigQueryApiError('invalidQuery', `Syntax error: expected ${what} near "${x?.text ?? 'end of query'}"`);
  return x.value;
};

const written = (text: string): Token[] => tokenize(text).filter((x) => x.kind !== 'eof');

/** An item's trailing order suffix (ASC, DESC, NULLS FIRST|LAST) and the expression before it. */
function withoutDirection(item: Token[]): { expr: Token[]; direction: Token[] } {
  let cut = item.length;
  while (cut > 0 && isKeyword(item[cut - 1], 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST')) cut--;
  return { expr: item.slice(0, cut), direction: item.slice(cut) };
}

/** `|> AGGREGATE aggs GROUP [AND ORDER] BY keys [ASC|DESC]`: standard syntax over `input` (tokens), keys first. */
function orderedAggregate(t: ConstructContext, input: Token[], a: number, g: number, b: number): Token[] {
  const andOrder = isKeyword(t.tokens[g + 1], 'AND');
  const keys = t.splitArgs(g + (andOrder ? 4 : 2), b).map((key) => {
    const { expr, direction } = withoutDirection(key);
    if (expr.length === 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: |> AGGREGATE ... GROUP BY needs a key before ASC or DESC');
    return { expr, direction: direction.length > 0 ? direction : andOrder ? written('ASC') : [] };
  });
  // an aggregate's own ASC/DESC orders after the keys' (pipe-syntax#aggregate_pipe_operator)
  const aggs = t.splitArgs(a + 1, g).map((agg) => {
    const { expr, direction } = withoutDirection(agg);
    // the alias names the column; the order is by the aggregate itself
    const n = expr.length;
    const value = n >= 3 && isKeyword(expr[n - 2], 'AS') ? expr.slice(0, n - 2) : n >= 2 && (expr[n - 1]!.kind === 'ident' || expr[n - 1]!.kind === 'quoted') && isOp(expr[n - 2], ')') ? expr.slice(0, n - 1) : expr;
    return { expr, value, direction };
  });
  const select = [...keys.map((k) => k.expr), ...aggs.map((x) => x.expr)];
  const ordered = [...keys.map((k) => ({ expr: k.expr, direction: k.direction })), ...aggs.map((x) => ({ expr: x.value, direction: x.direction }))].filter((k) => k.direction.length > 0);
  const tokens = [...written('SELECT'), ...select.flatMap((x, n) => (n === 0 ? x : [...written(','), ...x])), ...written('FROM ('), ...input, ...written(`) GROUP BY ${keys.map((_, n) => n + 1).join(', ')}`)];
  if (ordered.length === 0) return tokens;
  // ordered by the key expressions themselves (not ordinals), so a FLOAT64 key's NaN sorts as BigQuery's does
  return [...tokens, ...written('ORDER BY'), ...ordered.flatMap((k, n) => [...(n === 0 ? [] : written(',')), ...written('('), ...k.expr, ...written(')'), ...k.direction])];
}

/** The query [s, e) with its pipe operators at `pipes`: DuckDB SQL. */
export function pipeQuery(t: ConstructContext, s: number, e: number, pipes: number[]): string {
  const head = pipes[0]!;
  let sql = isKeyword(t.tokens[s], 'FROM') ? `SELECT * ${t.range(s, head)}` : t.range(s, head);
  let alias = t.fresh('_pipe');
  const bounds = pipes.map((p, k) => [p + 1, pipes[k + 1] ?? e] as const);
  // the query before operator k, as written: a step rewritten to standard syntax translates it again
  const soFar = (k: number): Token[] => [...(isKeyword(t.tokens[s], 'FROM') ? written('SELECT *') : []), ...t.tokens.slice(s, pipes[k])];
  for (let k = 0; k < bounds.length; k++) {
    const [a, b] = bounds[k]!;
    const op = t.tokens[a];
    const from = `FROM (${sql}) AS ${quoteIdent(alias)}`;
    const next = t.fresh('_pipe');
    const rest = (from: number): string => t.range(from, b);
    // a window function in a pipe WHERE filters on its value over the input rows: QUALIFY
    if (isKeyword(op, 'WHERE')) sql = `SELECT * ${from} ${t.tokens.slice(a + 1, b).some((x) => isKeyword(x, 'OVER')) ? 'QUALIFY' : 'WHERE'} ${rest(a + 1)}`;
    else if (isKeyword(op, 'SELECT')) sql = `SELECT ${rest(a + 1)} ${from}`;
    else if (isKeyword(op, 'EXTEND')) sql = `SELECT *, ${rest(a + 1)} ${from}`;
    else if (isKeyword(op, 'LIMIT')) sql = `SELECT * ${from} LIMIT ${rest(a + 1)}`;
    else if (isKeyword(op, 'ORDER') && isKeyword(t.tokens[a + 1], 'BY')) {
      // ORDER BY then LIMIT is one step, so the limit keeps the order
      const limit = bounds[k + 1] && isKeyword(t.tokens[bounds[k + 1]![0]], 'LIMIT') ? bounds[++k]! : undefined;
      // translated with its ORDER BY, so the keys get BigQuery's FLOAT64 NaN order (functions/float-order.ts)
      sql = `SELECT * ${from} ${rest(a)}${limit ? ` LIMIT ${t.range(limit[0] + 1, limit[1])}` : ''}`;
    } else if (isKeyword(op, 'AS')) {
      alias = ident(t.tokens[a + 1], 'an alias');
      if (a + 2 !== b) throw new BigQueryApiError('invalidQuery', 'Syntax error: |> AS takes one alias');
      continue;
    } else if (isKeyword(op, 'DROP')) {
      const cols = t.splitArgs(a + 1, b).map((c) => quoteIdent(ident(c.length === 1 ? c[0] : undefined, 'a column name')));
      sql = `SELECT * EXCLUDE (${cols.join(', ')}) ${from}`;
    } else if (isKeyword(op, 'RENAME')) {
      const pairs = t.splitArgs(a + 1, b).map((c) => {
        if (c.length !== 3 || !isKeyword(c[1], 'AS')) throw new BigQueryApiError('invalidQuery', 'Syntax error: |> RENAME takes old AS new, ...');
        return `${quoteIdent(ident(c[0], 'a column name'))} AS ${quoteIdent(ident(c[2], 'a column name'))}`;
      });
      sql = `SELECT * RENAME (${pairs.join(', ')}) ${from}`;
    } else if (isKeyword(op, 'SET')) {
      const sets = t.splitArgs(a + 1, b).map((c) => {
        if (c.length < 3 || !isOp(c[1], '=')) throw new BigQueryApiError('invalidQuery', 'Syntax error: |> SET takes column = expression, ...');
        return `${t.sub(c.slice(2))} AS ${quoteIdent(ident(c[0], 'a column name'))}`;
      });
      sql = `SELECT * REPLACE (${sets.join(', ')}) ${from}`;
    } else if (isKeyword(op, 'AGGREGATE')) {
      const g = topKeyword(t, a + 1, b, 'GROUP');
      const andOrder = g >= 0 && isKeyword(t.tokens[g + 1], 'AND') && isKeyword(t.tokens[g + 2], 'ORDER') && isKeyword(t.tokens[g + 3], 'BY');
      if (g >= 0 && !andOrder && !isKeyword(t.tokens[g + 1], 'BY')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected BY or AND ORDER BY after |> AGGREGATE ... GROUP');
      const aggs = g >= 0 ? t.range(a + 1, g) : rest(a + 1);
      const directed = (items: Token[][]): boolean => items.some((x) => withoutDirection(x).direction.length > 0);
      const ordered = g >= 0 && (andOrder || directed(t.splitArgs(g + 2, b)) || directed(t.splitArgs(a + 1, g)));
      if (g < 0) sql = `SELECT ${aggs} ${from}`;
      else if (ordered) sql = t.sub(orderedAggregate(t, soFar(k), a, g, b));
      else {
        const keys = t.splitArgs(g + 2, b);
        const select = keys.map((key) => t.sub(key));
        sql = `SELECT ${select.join(', ')}${aggs.trim() ? `, ${aggs}` : ''} ${from} GROUP BY ${keys.map((_, n) => n + 1).join(', ')}`;
      }
    } else if (isKeyword(op, 'DISTINCT') && a + 1 === b) {
      sql = `SELECT DISTINCT * ${from}`;
    } else if (isKeyword(op, 'WINDOW')) {
      // the older name of EXTEND for window function calls
      sql = `SELECT *, ${rest(a + 1)} ${from}`;
    } else if (isKeyword(op, 'PIVOT', 'UNPIVOT')) {
      sql = t.sub([...written('SELECT * FROM ('), ...soFar(k), ...written(')'), ...t.tokens.slice(a, b)]);
    } else if (setOperationAt(t, a, b) >= 0) {
      // `|> [mode] UNION ALL [BY NAME ...] (q1), (q2)` is `(query so far) UNION ALL ... (q1) UNION ALL ... (q2)`
      const open = setOperationAt(t, a, b);
      const operator = t.tokens.slice(a, open);
      // a trailing comma after the last input is allowed
      const inputs = t.splitArgs(open, b).filter((q) => q.length > 0);
      if (inputs.some((q) => !isOp(q[0], '(') || !isOp(q[q.length - 1], ')'))) throw new BigQueryApiError('invalidQuery', `Syntax error: |> ${op!.text} takes parenthesized queries`);
      sql = t.sub([...written('('), ...soFar(k), ...written(')'), ...inputs.flatMap((q) => [...operator, ...q])]);
    } else if (isKeyword(op, 'JOIN', 'LEFT', 'INNER', 'CROSS', 'FULL', 'RIGHT')) {
      // right after `FROM t AS x`, the join's ON may name x: join the FROM clause itself
      sql = k === 0 && isKeyword(t.tokens[s], 'FROM') ? `SELECT * ${t.range(s, head)} ${t.range(a, b)}` : `SELECT * ${from} ${t.range(a, b)}`;
    } else {
      throw unsupported(`The pipe operator |> ${op?.text ?? ''}`);
    }
    alias = next;
  }
  return sql;
}

/** Where a set operation's first parenthesized input starts in `|> [FULL|LEFT|INNER [OUTER]] UNION ... (q)`, or -1. */
function setOperationAt(t: ConstructContext, a: number, b: number): number {
  let k = a;
  while (k < b && isKeyword(t.tokens[k], 'FULL', 'LEFT', 'INNER', 'OUTER')) k++;
  if (!isKeyword(t.tokens[k], 'UNION', 'INTERSECT', 'EXCEPT')) return -1;
  while (k < b && !isOp(t.tokens[k], '(')) k++;
  return k < b ? k : -1;
}
