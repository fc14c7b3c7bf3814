/**
 * Pipe syntax (pipe-syntax): `FROM t |> WHERE ... |> AGGREGATE ... GROUP BY ... |> SELECT ...`.
 * Each operator wraps the query so far as a subquery, in order, so every step sees exactly the
 * columns the previous one produced. Translated operators: WHERE, SELECT, EXTEND, SET, DROP,
 * RENAME, AS, AGGREGATE [GROUP BY], ORDER BY, LIMIT [OFFSET] (an ORDER BY followed by LIMIT is one
 * step), [LEFT|INNER|CROSS|FULL|RIGHT] JOIN. Any other operator fails loudly.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteIdent } from '../type-mapping.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
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

/** The query [s, e) with its pipe operators at `pipes`: DuckDB SQL. */
export function pipeQuery(t: ConstructContext, s: number, e: number, pipes: number[]): string {
  const head = pipes[0]!;
  let sql = isKeyword(t.tokens[s], 'FROM') ? `SELECT * ${t.range(s, head)}` : t.range(s, head);
  let alias = t.fresh('_pipe');
  const bounds = pipes.map((p, k) => [p + 1, pipes[k + 1] ?? e] as const);
  for (let k = 0; k < bounds.length; k++) {
    const [a, b] = bounds[k]!;
    const op = t.tokens[a];
    const from = `FROM (${sql}) AS ${quoteIdent(alias)}`;
    const next = t.fresh('_pipe');
    const rest = (from: number): string => t.range(from, b);
    if (isKeyword(op, 'WHERE')) sql = `SELECT * ${from} WHERE ${rest(a + 1)}`;
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
      if (g >= 0 && !isKeyword(t.tokens[g + 1], 'BY')) throw unsupported('|> AGGREGATE ... GROUP AND ORDER BY');
      const aggs = g >= 0 ? t.range(a + 1, g) : rest(a + 1);
      if (g < 0) sql = `SELECT ${aggs} ${from}`;
      else {
        const keys = t.splitArgs(g + 2, b);
        if (keys.some((key) => isKeyword(key[key.length - 1], 'ASC', 'DESC'))) throw unsupported('|> AGGREGATE ... GROUP BY with ASC/DESC');
        const select = keys.map((key) => t.sub(key));
        sql = `SELECT ${select.join(', ')}${aggs.trim() ? `, ${aggs}` : ''} ${from} GROUP BY ${keys.map((_, n) => n + 1).join(', ')}`;
      }
    } else if (isKeyword(op, 'JOIN', 'LEFT', 'INNER', 'CROSS', 'FULL', 'RIGHT')) {
      sql = `SELECT * ${from} ${t.range(a, b)}`;
    } else {
      throw unsupported(`The pipe operator |> ${op?.text ?? ''}`);
    }
    alias = next;
  }
  return sql;
}
