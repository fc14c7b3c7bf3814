/** Script statements DECLARE, SET and ASSERT (the block structure is script-tree.ts, its execution script-exec.ts). */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { findTop } from '../sql/ddl.js';
import { parseTypeAt } from '../sql/type-names.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
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
