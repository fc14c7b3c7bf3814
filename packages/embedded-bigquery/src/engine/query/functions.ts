/**
 * Persistent SQL functions and table functions (CREATE [OR REPLACE] [TABLE] FUNCTION dataset.f).
 * The catalog keeps the GoogleSQL text; a statement that calls `dataset.f(...)` first looks the
 * name up, translates the body like any client text and defines it as a temporary DuckDB macro
 * for the rest of the query (a table macro for a table function), so a routine is only ever
 * reached through the catalog and the translator, never as a DuckDB function of the same name.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, tokenize, type Token } from '../sql/tokenizer.js';
import { findTop } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { fieldOfDuckType, quoteIdent } from '../type-mapping.js';
import { readRoutine, standardTypeName, writeRoutine, type RoutineReference, type RoutineResource } from '../catalog.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { parseArguments, routineRef } from './procedures.js';
import { readDottedPath, startsPath } from './dotted-paths.js';
import { checkJsFunction, defineJsFunction, jsFunctionCode, type JsFunction } from '../js-udf/define.js';

const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** CREATE [OR REPLACE] [TABLE] FUNCTION [IF NOT EXISTS] name(args) [RETURNS type] [OPTIONS(...)] AS (expr) | AS query. */
export async function createFunction(s: QuerySession, stmt: Token[], at: number, orReplace: boolean, table: boolean): Promise<StatementOutcome> {
  let i = at;
  let ifNotExists = false;
  if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'NOT') && isKeyword(stmt[i + 2], 'EXISTS')) {
    ifNotExists = true;
    i += 3;
  }
  if (stmt.some((t) => isKeyword(t, 'REMOTE'))) throw unsupported('Remote functions');
  const [parts, after] = s.translator(stmt).path(i);
  const ref = routineRef(s, parts);
  const [args, afterArgs] = parseArguments(stmt, after, false);
  for (const a of args) if (!PARAMETER_NAME.test(a.name)) throw new BigQueryApiError('invalidQuery', `Syntax error: invalid function parameter name ${a.name}`);
  const asAt = findTop(stmt, afterArgs, stmt.length, (t) => isKeyword(t, 'AS'));
  if (asAt < 0) throw new BigQueryApiError('invalidQuery', `CREATE ${table ? 'TABLE ' : ''}FUNCTION needs AS ${table ? 'query' : '(expression)'}`);
  let returnTypeSql: string | undefined;
  if (isKeyword(stmt[afterArgs], 'RETURNS')) {
    if (table) throw unsupported('RETURNS TABLE<...> on a table function');
    returnTypeSql = standardTypeName(parseTypeAt(stmt, afterArgs + 1)[0].field);
  }
  const body = stmt.slice(asAt + 1);
  if (body.length === 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: empty function body');
  // LANGUAGE js: the body is JavaScript, run in a sandbox of its own at each query that calls it (js-udf/)
  const languageAt = findTop(stmt, afterArgs, asAt, (t) => isKeyword(t, 'LANGUAGE'));
  if (languageAt >= 0 && table) throw unsupported('Table functions in LANGUAGE js');
  const js = languageAt >= 0 ? jsFunctionCode(ref.routineId, stmt, languageAt, asAt, returnTypeSql ? parseTypeAt(tokenize(returnTypeSql), 0)[0] : undefined) : undefined;
  if (!(await s.core.datasetExists(s.conn, ref))) throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
  const existing = await readRoutine(s.conn, ref);
  const statementType = table ? 'CREATE_TABLE_FUNCTION' : 'CREATE_FUNCTION';
  if (existing && !orReplace) {
    if (ifNotExists) return { statementType, bytes: 0 };
    throw new BigQueryApiError('duplicate', `Already Exists: Function ${ref.projectId}:${ref.datasetId}.${ref.routineId}`);
  }
  const now = String(Date.now());
  const routine: RoutineResource = {
    routineReference: ref,
    routineType: table ? 'TABLE_VALUED_FUNCTION' : 'SCALAR_FUNCTION',
    language: js === undefined ? 'SQL' : 'JAVASCRIPT',
    ...(js?.libraries.length ? { importedLibraries: js.libraries } : {}),
    definitionBody: js?.code ?? body.map((t, k) => (k > 0 && t.spaceBefore ? ' ' : '') + t.text).join(''),
    arguments: args,
    ...(returnTypeSql ? { returnTypeSql } : {}),
    creationTime: existing?.creationTime ?? now,
    lastModifiedTime: now,
  };
  if (js !== undefined) {
    // compiled once now, so a body with a syntax error fails at CREATE
    await checkJsFunction(s, jsRoutine(routine, ''));
    await s.withinTransaction(() => writeRoutine(s.conn, routine));
    return { statementType, bytes: 0 };
  }
  // translate once now, so a body that cannot run fails at CREATE, as BigQuery validates it
  const check = `bq_udf_check_${ref.routineId.toLowerCase()}`;
  await defineMacro(s, routine, check, 0);
  try {
    // BigQuery infers an undeclared return type; so does the body's DuckDB type (INFORMATION_SCHEMA shows it)
    if (!table && !returnTypeSql) {
      // typed columns of an empty table, not NULL literals, so constant folding cannot change the type
      const sig = `${check}_args`;
      const cols = args.map((a, k) => `a${k} ${parseTypeAt(tokenize(a.typeSql), 0)[0].duck}`);
      await s.conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(sig)} (${['_bq_none INTEGER', ...cols].join(', ')})`);
      try {
        const reader = await s.conn.runAndReadAll(`SELECT ${quoteIdent(check)}(${args.map((_, k) => `a${k}`).join(', ')}) AS r FROM temp.main.${quoteIdent(sig)} LIMIT 0`);
        routine.returnTypeSql = standardTypeName(fieldOfDuckType('r', reader.columnTypes()[0]!));
      } finally {
        await s.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(sig)}`).catch(() => undefined);
      }
    }
  } finally {
    await s.conn.run(`DROP MACRO${table ? ' TABLE' : ''} IF EXISTS ${quoteIdent(check)}`).catch(() => undefined);
  }
  await s.withinTransaction(() => writeRoutine(s.conn, routine));
  return { statementType, bytes: 0 };
}

/** Names called in the statement (`a.b(`, `a.b.c(`) that are persistent functions: each becomes a macro the translator calls. */
export async function prepareRoutines(s: QuerySession, tokens: Token[], depth = 0): Promise<void> {
  for (let k = 0; k < tokens.length; k++) {
    if (!startsPath(tokens, k)) continue;
    // the name a CREATE/DROP FUNCTION or CALL statement is about is not a call to define
    const named = isKeyword(tokens[k - 1], 'FUNCTION', 'PROCEDURE', 'CALL') || (isKeyword(tokens[k - 1], 'EXISTS') && (isKeyword(tokens[k - 3], 'FUNCTION', 'PROCEDURE') || isKeyword(tokens[k - 4], 'FUNCTION', 'PROCEDURE')));
    const { parts, end: j } = readDottedPath(tokens, k);
    k = j;
    if (named || !isOp(tokens[j + 1], '(') || parts.length < 2 || parts.length > 3) continue;
    const key = parts.join('.').toLowerCase();
    if (s.udfs.has(key)) continue;
    const ref: RoutineReference = parts.length === 3 ? { projectId: parts[0]!, datasetId: parts[1]!, routineId: parts[2]! } : { projectId: s.options.projectId, datasetId: parts[0]!, routineId: parts[1]! };
    // SAFE.f(, NET.f(, KEYS.f( ...: only names whose first part is a dataset can be routines
    if (!s.core.knownDataset(ref.projectId, ref.datasetId)) continue;
    const routine = await readRoutine(s.conn, ref);
    if (!routine || routine.routineType === 'PROCEDURE') continue;
    if (depth > 16) throw new BigQueryApiError('invalidQuery', 'Functions call each other more than 16 levels deep');
    await defineMacro(s, routine, `bq_udf_${key}`, depth + 1);
    s.udfs.add(key);
    if (routine.routineType === 'TABLE_VALUED_FUNCTION') s.tableFunctions.add(key);
  }
}

/** A stored JavaScript function as the sandbox module defines it. */
function jsRoutine(routine: RoutineResource, macro: string): JsFunction {
  const typeOf = (sql: string) => parseTypeAt(tokenize(sql), 0)[0];
  return {
    name: routine.routineReference.routineId,
    macro,
    params: new Map(routine.arguments.map((a) => [a.name, typeOf(a.typeSql)])),
    returnType: typeOf(routine.returnTypeSql ?? 'STRING'),
    code: routine.definitionBody,
    libraries: routine.importedLibraries ?? [],
  };
}

async function defineMacro(s: QuerySession, routine: RoutineResource, macro: string, depth: number): Promise<void> {
  if (routine.language === 'JAVASCRIPT') return defineJsFunction(s, jsRoutine(routine, macro));
  const body = tokenize(routine.definitionBody).filter((t) => t.kind !== 'eof');
  await prepareRoutines(s, body, depth);
  const params = new Map<string, string>();
  for (const a of routine.arguments) params.set(a.name, `CAST(${quoteIdent(a.name)} AS ${parseTypeAt(tokenize(a.typeSql), 0)[0].duck})`);
  const table = routine.routineType === 'TABLE_VALUED_FUNCTION';
  const query = table && isOp(body[0], '(') && isOp(body[body.length - 1], ')') && isKeyword(body[1], 'SELECT', 'WITH') ? body.slice(1, -1) : body;
  const translated = s.translator(query, params).translateAll();
  if (s.binder.values.length > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a function body');
  const signature = routine.arguments.map((a) => quoteIdent(a.name)).join(', ');
  await s.conn.run(`CREATE OR REPLACE TEMP MACRO ${quoteIdent(macro)}(${signature}) AS ${table ? `TABLE ${translated}` : `(${translated})`}`);
}
