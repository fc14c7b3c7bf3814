/**
 * CREATE TEMP FUNCTION: a SQL UDF becomes a DuckDB macro for the rest of the script; a JavaScript
 * UDF (LANGUAGE js) is compiled into its own sandbox (engine/js-udf/) and its macro calls it.
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen, findTop } from '../sql/ddl.js';
import { parseTypeAt, type ParsedType } from '../sql/type-names.js';
import { quoteIdent } from '../type-mapping.js';
import { defineJsFunction, jsFunctionCode } from '../js-udf/define.js';
import type { QuerySession, StatementOutcome } from './session.js';

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** CREATE TEMP FUNCTION f(x T, ...) [RETURNS T] AS (expr) | RETURNS T [[NOT] DETERMINISTIC] LANGUAGE js [OPTIONS(...)] AS "code". */
export async function createTempFunction(s: QuerySession, stmt: Token[], i: number): Promise<StatementOutcome> {
  const nameTok = stmt[i];
  if (!nameTok || (nameTok.kind !== 'ident' && nameTok.kind !== 'quoted') || !isOp(stmt[i + 1], '(')) {
    throw new BigQueryApiError('invalidQuery', 'Syntax error: CREATE TEMP FUNCTION name(arguments) AS (expression)');
  }
  const close = closingParen(stmt, i + 1);
  // parameter name (lowercase) → its declared type
  const params = new Map<string, ParsedType>();
  let k = i + 2;
  while (k < close) {
    const p = stmt[k]!;
    // a parameter name becomes a DuckDB identifier: only plain names, quoted by quoteIdent like every other
    if ((p.kind !== 'ident' && p.kind !== 'quoted') || !PARAMETER_NAME.test(p.value)) {
      throw new BigQueryApiError('invalidQuery', `Syntax error: invalid function parameter name ${JSON.stringify(p.text)} (letters, digits and underscores, not starting with a digit)`);
    }
    const paramName = p.value.toLowerCase();
    if (params.has(paramName)) throw new BigQueryApiError('invalidQuery', `Duplicate function parameter name ${p.value}`);
    const [type, after] = parseTypeAt(stmt, k + 1);
    params.set(paramName, type);
    k = isOp(stmt[after], ',') ? after + 1 : after;
    if (k < close && !isOp(stmt[k - 1], ',') && after !== close) throw new BigQueryApiError('invalidQuery', 'Syntax error in function arguments');
  }
  const asAt = findTop(stmt, close + 1, stmt.length, (t) => isKeyword(t, 'AS'));
  if (asAt < 0) throw new BigQueryApiError('invalidQuery', 'CREATE TEMP FUNCTION needs AS (expression)');
  const name = nameTok.value.toLowerCase();
  const languageAt = findTop(stmt, close + 1, stmt.length, (t) => isKeyword(t, 'LANGUAGE'));
  if (languageAt >= 0) {
    const returnType = isKeyword(stmt[close + 1], 'RETURNS') ? parseTypeAt(stmt, close + 2)[0] : undefined;
    const { code, libraries } = jsFunctionCode(nameTok.value, stmt, languageAt, asAt, returnType);
    await defineJsFunction(s, { name: nameTok.value, macro: `bq_udf_${name}`, params, returnType: returnType!, code, libraries });
    s.udfs.add(name);
    return { statementType: 'CREATE_FUNCTION', bytes: 0 };
  }
  const casts = new Map([...params].map(([p, type]) => [p, `CAST(${quoteIdent(p)} AS ${type.duck})`]));
  const body = s.translator(stmt.slice(asAt + 1), casts).translateAll();
  if (s.binder.values.length > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a function body');
  s.udfs.add(name);
  const signature = [...params.keys()].map(quoteIdent).join(', ');
  await s.conn.run(`CREATE OR REPLACE TEMP MACRO ${quoteIdent(`bq_udf_${name}`)}(${signature}) AS (${body})`);
  return { statementType: 'CREATE_FUNCTION', bytes: 0 };
}
