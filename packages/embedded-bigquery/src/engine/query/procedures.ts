/**
 * Stored procedures: CREATE [OR REPLACE] PROCEDURE keeps the body's text in the catalog; CALL runs
 * it on a child session (its own variables: a procedure sees its arguments, not the caller's
 * variables); DROP PROCEDURE removes it. OUT and INOUT arguments are copied back to the caller.
 */
import { BigQueryApiError, type QueryOptions } from '../types.js';
import { isKeyword, isOp, tokenize, type Token } from '../sql/tokenizer.js';
import { closingParen, findTop } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { readRoutine, removeRoutine, standardTypeName, writeRoutine, type RoutineReference, type RoutineResource } from '../catalog.js';
import { unsupported } from '../errors.js';
import type { QuerySession, StatementOutcome } from './session.js';

/** Runs script text on a child session sharing the connection; `prepare` runs before its first statement, `finish` after its last. */
export type ChildRunner = (sql: string, options: QueryOptions, prepare?: (c: QuerySession) => Promise<void>, finish?: (c: QuerySession) => Promise<void>) => Promise<void>;

export function routineRef(s: QuerySession, parts: string[]): RoutineReference {
  if (parts.length === 3) return { projectId: parts[0]!, datasetId: parts[1]!, routineId: parts[2]! };
  if (parts.length === 2) return { projectId: s.options.projectId, datasetId: parts[0]!, routineId: parts[1]! };
  if (parts.length === 1 && s.defaultDataset) return { ...s.defaultDataset, routineId: parts[0]! };
  throw new BigQueryApiError('invalidQuery', `Routine name "${parts.join('.')}" must be qualified with a dataset (e.g. dataset.routine)`);
}

const routineName = (r: RoutineReference): string => `${r.projectId}:${r.datasetId}.${r.routineId}`;

export interface ParsedArgument {
  name: string;
  mode: 'IN' | 'OUT' | 'INOUT';
  typeSql: string;
}

/** `( [IN|OUT|INOUT] name type, ... )` starting at the open parenthesis; returns the arguments and the index after ')'. */
export function parseArguments(stmt: Token[], open: number, withModes: boolean): [ParsedArgument[], number] {
  if (!isOp(stmt[open], '(')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected ( after the routine name');
  const close = closingParen(stmt, open);
  const args: ParsedArgument[] = [];
  let k = open + 1;
  while (k < close) {
    let mode: ParsedArgument['mode'] = 'IN';
    if (withModes && isKeyword(stmt[k], 'IN', 'OUT', 'INOUT') && stmt[k + 1]?.kind === 'ident' && !isOp(stmt[k + 1], ',')) {
      mode = stmt[k]!.value.toUpperCase() as ParsedArgument['mode'];
      k++;
    }
    const name = stmt[k]!;
    if (name.kind !== 'ident' && name.kind !== 'quoted') throw new BigQueryApiError('invalidQuery', `Syntax error: invalid argument name ${name.text}`);
    if (isKeyword(stmt[k + 1], 'ANY') && isKeyword(stmt[k + 2], 'TYPE')) throw unsupported('Templated function arguments (ANY TYPE) in persistent routines');
    const [type, after] = parseTypeAt(stmt, k + 1);
    // kept in GoogleSQL's own spelling, as INFORMATION_SCHEMA shows it (and re-parsed at each call)
    args.push({ name: name.value.toLowerCase(), mode, typeSql: standardTypeName(type.field) });
    k = isOp(stmt[after], ',') ? after + 1 : after;
  }
  return [args, close + 1];
}

export async function createProcedure(s: QuerySession, header: Token[], bodyText: string): Promise<StatementOutcome> {
  let i = 1;
  let replace = false;
  if (isKeyword(header[i], 'OR') && isKeyword(header[i + 1], 'REPLACE')) {
    replace = true;
    i += 2;
  }
  i++; // PROCEDURE
  let ifNotExists = false;
  if (isKeyword(header[i], 'IF') && isKeyword(header[i + 1], 'NOT') && isKeyword(header[i + 2], 'EXISTS')) {
    ifNotExists = true;
    i += 3;
  }
  const [parts, after] = s.translator(header).path(i);
  const ref = routineRef(s, parts);
  const [args, afterArgs] = parseArguments(header, after, true);
  // OPTIONS(strict_mode=...) and the like do not change what runs; anything else (WITH CONNECTION, LANGUAGE) does
  if (afterArgs < header.length && !(isKeyword(header[afterArgs], 'OPTIONS') && closingParen(header, afterArgs + 1) === header.length - 1)) {
    throw unsupported(`CREATE PROCEDURE ... ${header[afterArgs]!.text} (only SQL procedures with OPTIONS)`);
  }
  if (!(await s.core.datasetExists(s.conn, ref))) throw new BigQueryApiError('notFound', `Not found: Dataset ${ref.projectId}:${ref.datasetId}`);
  const existing = await readRoutine(s.conn, ref);
  if (existing && !replace) {
    if (ifNotExists) return { statementType: 'CREATE_PROCEDURE', bytes: 0 };
    throw new BigQueryApiError('duplicate', `Already Exists: Procedure ${routineName(ref)}`);
  }
  const now = String(Date.now());
  const routine: RoutineResource = {
    routineReference: ref,
    routineType: 'PROCEDURE',
    language: 'SQL',
    definitionBody: bodyText.trim(),
    arguments: args,
    creationTime: existing?.creationTime ?? now,
    lastModifiedTime: now,
  };
  await s.withinTransaction(() => writeRoutine(s.conn, routine));
  return { statementType: 'CREATE_PROCEDURE', bytes: 0 };
}

/** DROP PROCEDURE | FUNCTION | TABLE FUNCTION [IF EXISTS] name. */
export async function dropRoutine(s: QuerySession, stmt: Token[], at: number, kind: RoutineResource['routineType']): Promise<StatementOutcome> {
  let i = at;
  let ifExists = false;
  if (isKeyword(stmt[i], 'IF') && isKeyword(stmt[i + 1], 'EXISTS')) {
    ifExists = true;
    i += 2;
  }
  const [parts] = s.translator(stmt).path(i);
  const ref = routineRef(s, parts);
  const type = kind === 'PROCEDURE' ? 'DROP_PROCEDURE' : kind === 'TABLE_VALUED_FUNCTION' ? 'DROP_TABLE_FUNCTION' : 'DROP_FUNCTION';
  const existing = await readRoutine(s.conn, ref);
  if (!existing || (existing.routineType === 'PROCEDURE') !== (kind === 'PROCEDURE')) {
    if (ifExists) return { statementType: type, bytes: 0 };
    throw new BigQueryApiError('notFound', `Not found: ${kind === 'PROCEDURE' ? 'Procedure' : 'Function'} ${routineName(ref)}`);
  }
  await s.withinTransaction(() => removeRoutine(s.conn, ref));
  return { statementType: type, bytes: 0 };
}

/** CALL name(args): IN values are evaluated in the caller, then the body runs with them as its variables. */
export async function call(s: QuerySession, stmt: Token[], runChild: ChildRunner): Promise<StatementOutcome> {
  const [parts, after] = s.translator(stmt).path(1);
  const ref = routineRef(s, parts);
  const routine = await readRoutine(s.conn, ref);
  if (!routine || routine.routineType !== 'PROCEDURE') throw new BigQueryApiError('notFound', `Not found: Procedure ${routineName(ref)}`);
  if (!isOp(stmt[after], '(')) throw new BigQueryApiError('invalidQuery', 'Syntax error: CALL procedure(arguments)');
  const close = closingParen(stmt, after);
  if (close !== stmt.length - 1) throw new BigQueryApiError('invalidQuery', 'Syntax error: unexpected text after CALL');
  const given: Token[][] = [];
  for (let k = after + 1; k < close; ) {
    const comma = findTop(stmt, k, close, (t) => isOp(t, ','));
    const end = comma < 0 ? close : comma;
    given.push(stmt.slice(k, end));
    k = end + 1;
  }
  if (given.length !== routine.arguments.length) {
    throw new BigQueryApiError('invalidQuery', `Procedure ${routineName(ref)} takes ${routine.arguments.length} argument(s), ${given.length} given`);
  }
  const duckTypes = routine.arguments.map((a) => parseTypeAt(tokenize(a.typeSql), 0)[0].duck);
  // helper variables live in DuckDB's connection-wide namespace, named so no GoogleSQL identifier can reach them
  const tag = `_bq_call_${Date.now().toString(36)}_${Math.random().toString(36).slice(2)}`;
  const outTargets: string[] = [];
  for (let k = 0; k < given.length; k++) {
    const a = routine.arguments[k]!;
    if (a.mode !== 'IN') {
      const target = given[k]!;
      if (target.length !== 1 || !s.variables.has(target[0]!.value.toLowerCase())) throw new BigQueryApiError('invalidQuery', `${a.mode} argument ${a.name} must be a variable`);
      outTargets[k] = target[0]!.value.toLowerCase();
    }
    const valueSql = a.mode === 'OUT' ? 'NULL' : s.translator(given[k]!).translateAll();
    await s.exec(`SET VARIABLE ${quoteIdent(`${tag}_arg${k}`)} = CAST((${valueSql}) AS ${duckTypes[k]})`);
  }
  const saved = [...s.variables];
  for (const v of saved) await s.conn.run(`SET VARIABLE ${quoteIdent(`${tag}_saved_${v}`)} = getvariable(${quoteString(v)})`);
  try {
    await runChild(
      routine.definitionBody,
      { ...s.options, parameterMode: undefined, queryParameters: [] },
      async (child) => {
        for (let k = 0; k < routine.arguments.length; k++) {
          const name = routine.arguments[k]!.name;
          child.variables.add(name);
          await child.conn.run(`SET VARIABLE ${quoteIdent(name)} = getvariable(${quoteString(`${tag}_arg${k}`)})`);
        }
      },
      async (child) => {
        for (let k = 0; k < routine.arguments.length; k++) {
          if (outTargets[k]) await child.conn.run(`SET VARIABLE ${quoteIdent(`${tag}_out${k}`)} = getvariable(${quoteString(routine.arguments[k]!.name)})`);
        }
      },
    );
    for (let k = 0; k < outTargets.length; k++) {
      if (outTargets[k]) await s.conn.run(`SET VARIABLE ${quoteIdent(`${tag}_saved_${outTargets[k]}`)} = getvariable(${quoteString(`${tag}_out${k}`)})`);
    }
  } finally {
    for (const v of saved) await s.conn.run(`SET VARIABLE ${quoteIdent(v)} = getvariable(${quoteString(`${tag}_saved_${v}`)})`);
    for (const v of saved) await s.conn.run(`RESET VARIABLE ${quoteIdent(`${tag}_saved_${v}`)}`).catch(() => undefined);
    for (let k = 0; k < given.length; k++) {
      await s.conn.run(`RESET VARIABLE ${quoteIdent(`${tag}_arg${k}`)}`).catch(() => undefined);
      await s.conn.run(`RESET VARIABLE ${quoteIdent(`${tag}_out${k}`)}`).catch(() => undefined);
    }
  }
  return { statementType: 'CALL', bytes: 0 };
}
