/** Script statements: DECLARE, SET, ASSERT, and the IF / BEGIN ... END block structure. */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { findTop } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import type { QuerySession, StatementOutcome } from './session.js';

/** Runs a statement list (the dispatcher's, passed in so this module does not depend on it). */
export type ExecList = (statements: Token[][], record: (o: StatementOutcome) => void) => Promise<void>;

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
  if (defaultAt >= 0) valueSql = s.translator(stmt.slice(defaultAt + 1)).translateAll();
  if (duckType) valueSql = `CAST((${valueSql}) AS ${duckType})`;
  else if (defaultAt < 0) throw new BigQueryApiError('invalidQuery', 'DECLARE needs a type or a DEFAULT value');
  for (const n of names) {
    if (s.variables.has(n)) throw new BigQueryApiError('invalidQuery', `Variable ${n} is already declared`);
    await s.exec(`SET VARIABLE ${quoteIdent(n)} = (${valueSql})`);
    s.variables.add(n);
  }
  return { statementType: 'DECLARE', bytes: 0 };
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
    }
    // @@query_label and other session settings do not change results: accepted and ignored
    return { statementType: 'SET', bytes: 0 };
  }
  if (isOp(target, '(')) throw unsupported('SET (a, b) = ...');
  if (!target || !isOp(stmt[2], '=')) throw new BigQueryApiError('invalidQuery', 'Syntax error: SET variable = expression');
  const name = target.value.toLowerCase();
  if (!s.variables.has(name)) throw new BigQueryApiError('invalidQuery', `Undeclared variable: ${target.value}`);
  const valueSql = s.translator(stmt.slice(3)).translateAll();
  // keep the declared type: cast to the variable's current type
  const typeR = await s.conn.runAndReadAll(`SELECT typeof(getvariable(${quoteString(name)}))`);
  const ty = String(typeR.getRows()[0]?.[0] ?? 'NULL');
  const castTo = ty === 'NULL' ? '' : ty;
  await s.exec(`SET VARIABLE ${quoteIdent(name)} = ${castTo ? `CAST((${valueSql}) AS ${castTo})` : `(${valueSql})`}`);
  return { statementType: 'SET', bytes: 0 };
}

/**
 * `BEGIN <stmt>; ...; END` (a block) as opposed to `BEGIN [TRANSACTION]`: a bare BEGIN is a
 * block only when a matching END follows. Blocks do not scope variables here.
 */
export function blockAt(statements: Token[][], at: number): { body: Token[][]; end: number } | undefined {
  const first = statements[at]!;
  if (!isKeyword(first[0], 'BEGIN') || isKeyword(first[1], 'TRANSACTION')) return undefined;
  let depth = 0;
  for (let j = at; j < statements.length; j++) {
    const s = statements[j]!;
    if (isKeyword(s[0], 'BEGIN') && !isKeyword(s[1], 'TRANSACTION') && (j === at || s.length > 1 || hasEnd(statements, j))) depth++;
    if (s.length === 1 && isKeyword(s[0], 'END')) {
      depth--;
      if (depth === 0) {
        const body = [...(first.length > 1 ? [first.slice(1)] : []), ...statements.slice(at + 1, j)];
        if (body.some((b) => b.some((t, k) => isKeyword(t, 'EXCEPTION') && isKeyword(b[k + 1], 'WHEN')))) throw unsupported('BEGIN ... EXCEPTION WHEN ERROR blocks');
        return { body, end: j };
      }
    }
  }
  return undefined;
}

function hasEnd(statements: Token[][], from: number): boolean {
  return statements.slice(from + 1).some((s) => s.length === 1 && isKeyword(s[0], 'END'));
}

/** IF cond THEN stmts [ELSEIF cond THEN stmts] [ELSE stmts] END IF; returns the index of END IF. */
export async function runIf(s: QuerySession, execList: ExecList, statements: Token[][], at: number, record: (o: StatementOutcome) => void): Promise<number> {
  // regroup: the first statement holds `IF cond THEN <first inner statement>`
  const branches: { cond: Token[] | null; body: Token[][] }[] = [];
  let depth = 0;
  let i = at;
  let cur: { cond: Token[] | null; body: Token[][] } | undefined;
  const startBranch = (stmt: Token[], keywordLen: number, hasCond: boolean): void => {
    if (hasCond) {
      const thenAt = findTop(stmt, keywordLen, stmt.length, (t) => isKeyword(t, 'THEN'));
      if (thenAt < 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: IF without THEN');
      cur = { cond: stmt.slice(keywordLen, thenAt), body: [] };
      if (thenAt + 1 < stmt.length) cur.body.push(stmt.slice(thenAt + 1));
    } else {
      cur = { cond: null, body: [] };
      if (keywordLen < stmt.length) cur.body.push(stmt.slice(keywordLen));
    }
    branches.push(cur);
  };
  for (; i < statements.length; i++) {
    const st = statements[i]!;
    if (i === at) {
      startBranch(st, 1, true);
      depth = 1;
      continue;
    }
    if (isKeyword(st[0], 'IF')) depth++;
    if (isKeyword(st[0], 'END') && isKeyword(st[1], 'IF')) {
      depth--;
      if (depth === 0) break;
    }
    if (depth === 1 && isKeyword(st[0], 'ELSEIF')) {
      startBranch(st, 1, true);
      continue;
    }
    if (depth === 1 && isKeyword(st[0], 'ELSE')) {
      startBranch(st, 1, false);
      continue;
    }
    cur!.body.push(st);
  }
  if (i >= statements.length) throw new BigQueryApiError('invalidQuery', 'Syntax error: IF without END IF');
  for (const b of branches) {
    let take = b.cond === null;
    if (b.cond) {
      const r = await s.select(b.cond, 'SELECT', true);
      const v = r.rows?.[0]?.f[0]?.v;
      take = v === 'true';
    }
    if (take) {
      await execList(b.body, record);
      break;
    }
  }
  return i;
}
