/**
 * Evaluates a filter operand as BigQuery treats it for pruning: a constant expression (literals,
 * functions of constants such as CURRENT_DATE(), query parameters, script variables) is evaluated
 * once, before the query reads any table; an operand that names a column or holds a subquery is
 * not a constant (null), and its conjunct does not prune.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ParamBinder } from '../params.js';
import { isKeyword, type Token } from '../sql/tokenizer.js';
import { Translator, type TranslateEnv } from '../sql/translator.js';
import { BigQueryApiError, type QueryOptions } from '../types.js';
import type { Evaluate } from './pruning.js';

export interface ConstantScope {
  conn: DuckDBConnection;
  options: QueryOptions;
  /** The translation environment of the statement, without its parameter binder. */
  env: Omit<TranslateEnv, 'bindParam'>;
}

export function constantEvaluator(scope: ConstantScope, stmt: Token[]): Evaluate {
  return async (operand) => {
    if (operand.some((t) => isKeyword(t, 'SELECT'))) return null;
    const binder = new ParamBinder(scope.options.parameterMode, scope.options.queryParameters ?? []);
    // a positional parameter binds the value of its position in the whole statement
    const at = stmt.indexOf(operand[0]!);
    for (const t of stmt.slice(0, Math.max(at, 0))) if (t.kind === 'positional') binder.bind(t);
    binder.reset();
    try {
      const expr = new Translator(operand, { ...scope.env, bindParam: (t) => binder.bind(t) }).translateAll();
      const sql = `SELECT CAST((${expr}) AS VARCHAR), typeof((${expr}))`;
      const r = binder.values.length > 0 ? await scope.conn.runAndReadAll(sql, binder.values) : await scope.conn.runAndReadAll(sql);
      const row = r.getRows()[0];
      if (!row) return null;
      return { text: row[0] === null ? null : String(row[0]), type: String(row[1]) };
    } catch (e) {
      // not a constant here (a column, an unknown name): DuckDB refuses it before running anything.
      // Anything else fails the statement too, and would have aborted the transaction: pass it on.
      if (e instanceof Error && !/^(Binder|Parser|Catalog) Error/.test(e.message) && !(e instanceof BigQueryApiError)) throw e;
      return null;
    }
  };
}
