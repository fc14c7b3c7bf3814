/** Script statements DECLARE, SET and ASSERT (the block structure is script-tree.ts, its execution script-exec.ts). */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { closingParen, findTop } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { parseZone } from '../sql/functions/time-zones.js';
import type { QuerySession, StatementOutcome } from './session.js';

export async function assert(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  const asAt = findTop(stmt, 1, stmt.length, (t) => isKeyword(t, 'AS'));
  const cond = stmt.slice(1, asAt < 0 ? stmt.length : asAt);
  const r = await s.select(cond, 'SELECT', true);
  if (r.rows?.[0]?.f[0]?.v !== 'true') {
    const msg = asAt >= 0 && stmt[asAt + 1]?.kind === 'string' ? stmt[asAt + 1]!.value : `Assertion failed: ${cond.map((t) => t.text).join(' ')}`;
    throw new BigQueryApiError('invalidQuery', msg);
  }
  return { statementType: 'ASSERT', bytes: r.bytes };
}

export async function declare(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  const defaultAt = findTop(stmt, 1, stmt.length, (t) => isKeyword(t, 'DEFAULT'));
  const head = stmt.slice(1, defaultAt < 0 ? stmt.length : defaultAt);
  const names: string[] = [];
  let k = 0;
  while (k < head.length) {
    names.push(head[k]!.value.toLowerCase());
    k++;
    if (isOp(head[k], ',')) {
      k++;
      continue;
    }
    break;
  }
  let duckType: string | undefined;
  if (k < head.length) duckType = parseTypeAt(head, k)[0].duck;
  let valueSql = 'NULL';
  // a DEFAULT that reads tables is billed (and partition-checked) like a query
  let bytes = 0;
  if (defaultAt >= 0) {
    const t = s.translator(stmt.slice(defaultAt + 1));
    valueSql = t.translateAll();
    bytes = await s.checkReads(t.tables, stmt.slice(defaultAt + 1));
  }
  if (duckType) valueSql = `CAST((${valueSql}) AS ${duckType})`;
  else if (defaultAt < 0) throw new BigQueryApiError('invalidQuery', 'DECLARE needs a type or a DEFAULT value');
  for (const n of names) {
    if (s.variables.has(n)) throw new BigQueryApiError('invalidQuery', `Variable ${n} is already declared`);
    await s.exec(`SET VARIABLE ${quoteIdent(n)} = (${valueSql})`);
    s.variables.add(n);
  }
  return { statementType: 'DECLARE', bytes };
}

export async function set(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  const target = stmt[1];
  if (target?.kind === 'sysvar') {
    const name = target.value.toLowerCase();
    if (name === 'dataset_id' || name === 'dataset_project_id') {
      const v = stmt[3];
      if (v?.kind !== 'string') throw new BigQueryApiError('invalidQuery', `@@${name} must be set to a string literal`);
      const ds = s.defaultDataset ?? { projectId: s.options.projectId, datasetId: '' };
      s.defaultDataset = name === 'dataset_id' ? { ...ds, datasetId: v.value } : { ...ds, projectId: v.value };
      return { statementType: 'SET', bytes: 0 };
    }
    // the default zone of date/time functions for the statements after this one (translate-env.ts timeZone)
    if (name === 'time_zone') {
      const v = stmt[3];
      if (!isOp(stmt[2], '=') || v?.kind !== 'string' || stmt.length !== 4) throw unsupported('SET @@time_zone to anything but a string literal');
      parseZone(v.value);
      s.timeZone = v.value.trim();
      return { statementType: 'SET', bytes: 0 };
    }
    // @@query_label and other settings that do not change results: accepted and ignored (never passed to DuckDB)
    return { statementType: 'SET', bytes: 0 };
  }
  if (isOp(target, '(')) return setMany(s, stmt);
  if (!target || !isOp(stmt[2], '=')) throw new BigQueryApiError('invalidQuery', 'Syntax error: SET variable = expression');
  const name = target.value.toLowerCase();
  if (!s.variables.has(name)) throw new BigQueryApiError('invalidQuery', `Undeclared variable: ${target.value}`);
  const t = s.translator(stmt.slice(3));
  const valueSql = t.translateAll();
  const bytes = await s.checkReads(t.tables, stmt.slice(3));
  await assign(s, name, valueSql);
  return { statementType: 'SET', bytes };
}

/** Sets a variable keeping its declared type (a cast to the variable's current type). */
async function assign(s: QuerySession, name: string, valueSql: string): Promise<void> {
  const typeR = await s.conn.runAndReadAll(`SELECT typeof(getvariable(${quoteString(name)}))`);
  const ty = String(typeR.getRows()[0]?.[0] ?? 'NULL');
  await s.exec(`SET VARIABLE ${quoteIdent(name)} = ${ty === 'NULL' ? `(${valueSql})` : `CAST((${valueSql}) AS ${ty})`}`);
}

/**
 * SET (a, b) = (x, y) or = (SELECT AS STRUCT x, y ...): every value is computed before any
 * variable changes, so `SET (a, b) = (b, a)` swaps them.
 */
async function setMany(s: QuerySession, stmt: Token[]): Promise<StatementOutcome> {
  const close = closingParen(stmt, 1);
  const names = stmt.slice(2, close).filter((t) => !isOp(t, ',')).map((t) => t.value.toLowerCase());
  if (!isOp(stmt[close + 1], '=') || names.length === 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: SET (a, b) = (expression, expression)');
  for (const n of names) if (!s.variables.has(n)) throw new BigQueryApiError('invalidQuery', `Undeclared variable: ${n}`);
  const rhs = stmt.slice(close + 2);
  const tag = `_bq_set_${Date.now().toString(36)}`;
  if (isOp(rhs[0], '(') && isKeyword(rhs[1], 'SELECT') && isKeyword(rhs[2], 'AS') && isKeyword(rhs[3], 'STRUCT') && isOp(rhs[rhs.length - 1], ')')) {
    const query = [rhs[1]!, ...rhs.slice(4, -1)];
    const sql = s.translator(query).translateAll();
    await s.exec(`CREATE TEMP TABLE ${quoteIdent(tag)} AS ${sql}`);
    try {
      const cols = (await s.conn.runAndReadAll(`SELECT * FROM temp.main.${quoteIdent(tag)} LIMIT 0`)).columnNames();
      const count = Number((await s.conn.runAndReadAll(`SELECT count(*) FROM temp.main.${quoteIdent(tag)}`)).getRows()[0]![0]);
      if (count > 1) throw new BigQueryApiError('invalidQuery', 'Scalar subquery produced more than one element');
      if (cols.length !== names.length) throw new BigQueryApiError('invalidQuery', `SET assigns ${names.length} variables from a struct of ${cols.length} fields`);
      for (let k = 0; k < names.length; k++) await s.conn.run(`SET VARIABLE ${quoteIdent(`${tag}_${k}`)} = (SELECT ${quoteIdent(cols[k]!)} FROM temp.main.${quoteIdent(tag)})`);
    } finally {
      await s.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(tag)}`).catch(() => undefined);
    }
  } else {
    if (!isOp(rhs[0], '(') || !isOp(rhs[rhs.length - 1], ')')) throw unsupported('SET (a, b) = <struct-valued expression>: use (x, y) or (SELECT AS STRUCT ...)');
    const parts: Token[][] = [];
    for (let from = 1; from < rhs.length - 1; ) {
      const comma = findTop(rhs, from, rhs.length - 1, (t) => isOp(t, ','));
      const end = comma < 0 ? rhs.length - 1 : comma;
      parts.push(rhs.slice(from, end));
      from = end + 1;
    }
    if (parts.length !== names.length) throw new BigQueryApiError('invalidQuery', `SET assigns ${names.length} variables from ${parts.length} values`);
    for (let k = 0; k < names.length; k++) await s.exec(`SET VARIABLE ${quoteIdent(`${tag}_${k}`)} = (${s.translator(parts[k]!).translateAll()})`);
  }
  try {
    for (let k = 0; k < names.length; k++) await assign(s, names[k]!, `getvariable(${quoteString(`${tag}_${k}`)})`);
  } finally {
    for (let k = 0; k < names.length; k++) await s.conn.run(`RESET VARIABLE ${quoteIdent(`${tag}_${k}`)}`).catch(() => undefined);
  }
  return { statementType: 'SET', bytes: 0 };
}
