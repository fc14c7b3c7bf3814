/** CREATE TEMP FUNCTION: a SQL UDF becomes a DuckDB macro for the rest of the script. */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen, findTop } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent } from '../type-mapping.js';
import type { QuerySession, StatementOutcome } from './session.js';

/** CREATE TEMP FUNCTION f(x T, ...) [RETURNS T] AS (expr): a DuckDB macro for the rest of the script. */
export async function createTempFunction(s: QuerySession, stmt: Token[], i: number): Promise<StatementOutcome> {
  const nameTok = stmt[i];
  if (!nameTok || (nameTok.kind !== 'ident' && nameTok.kind !== 'quoted') || !isOp(stmt[i + 1], '(')) {
    throw new BigQueryApiError('invalidQuery', 'Syntax error: CREATE TEMP FUNCTION name(arguments) AS (expression)');
  }
  if (stmt.some((t) => isKeyword(t, 'LANGUAGE'))) throw unsupported('JavaScript UDFs (LANGUAGE js)');
  const close = closingParen(stmt, i + 1);
  const params: string[] = [];
  const casts: string[] = [];
  let k = i + 2;
  while (k < close) {
    const p = stmt[k]!;
    const [type, after] = parseTypeAt(stmt, k + 1);
    params.push(p.value.toLowerCase());
    casts.push(type.duck);
    k = isOp(stmt[after], ',') ? after + 1 : after;
    if (k < close && !isOp(stmt[k - 1], ',') && after !== close) throw new BigQueryApiError('invalidQuery', 'Syntax error in function arguments');
  }
  const asAt = findTop(stmt, close + 1, stmt.length, (t) => isKeyword(t, 'AS'));
  if (asAt < 0) throw new BigQueryApiError('invalidQuery', 'CREATE TEMP FUNCTION needs AS (expression)');
  const name = nameTok.value.toLowerCase();
  s.udfs.add(name);
  // parameters are typed in GoogleSQL: cast each use so the body sees the declared types
  const bodyTokens = stmt.slice(asAt + 1);
  const body = s.translator(bodyTokens).translateAll();
  if (s.binder.values.length > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a function body');
  const typedBody = params.reduce(
    (acc, p, idx) => acc.replace(new RegExp(`(?<![.\\w"'])${p}(?![\\w"'(])`, 'gi'), `CAST(${p} AS ${casts[idx]})`),
    body,
  );
  await s.conn.run(`CREATE OR REPLACE TEMP MACRO ${quoteIdent(`bq_udf_${name}`)}(${params.join(', ')}) AS (${typedBody})`);
  return { statementType: 'CREATE_FUNCTION', bytes: 0 };
}
