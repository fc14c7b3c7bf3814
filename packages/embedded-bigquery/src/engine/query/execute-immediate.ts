/**
 * EXECUTE IMMEDIATE sql_expression [INTO var, ...] [USING expr [AS name], ...]. The string is
 * evaluated, then run as GoogleSQL through the same dispatcher and translator as any client text
 * (never handed to DuckDB as written). USING values become query parameters of the dynamic
 * statement (`?` without aliases, `@name` with them), as in BigQuery.
 */
import { BigQueryApiError, type Cell, type QueryParameter, type TableFieldSchema } from '../types.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, splitStatements, tokenize, type Token } from '../sql/tokenizer.js';
import { findTop } from '../sql/ddl.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { QuerySession, type StatementOutcome } from './session.js';
import type { ChildRunner } from './procedures.js';
import { prepareRoutines } from './functions.js';
import { prepareCatalogReads } from './catalog-reads.js';

function splitTop(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let from = 0;
  for (;;) {
    const comma = findTop(tokens, from, tokens.length, (t) => isOp(t, ','));
    out.push(tokens.slice(from, comma < 0 ? tokens.length : comma));
    if (comma < 0) return out;
    from = comma + 1;
  }
}

const TYPE_NAMES: Record<string, string> = { INTEGER: 'INT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL' };

function parameterType(f: TableFieldSchema, repeated: boolean): QueryParameter['parameterType'] {
  if (repeated) return { type: 'ARRAY', arrayType: parameterType(f, false) };
  if (f.type === 'RECORD' || f.type === 'STRUCT') return { type: 'STRUCT', structTypes: (f.fields ?? []).map((x) => ({ name: x.name, type: parameterType(x, x.mode === 'REPEATED') })) };
  // REST cells of these types are not in the text form a query parameter takes
  if (['TIMESTAMP', 'BYTES', 'JSON', 'INTERVAL'].includes(f.type)) throw unsupported(`EXECUTE IMMEDIATE ... USING a ${f.type} value`);
  return { type: TYPE_NAMES[f.type] ?? f.type };
}

function parameterValue(f: TableFieldSchema, v: Cell['v'], repeated: boolean): QueryParameter['parameterValue'] {
  if (v === null) return { value: null };
  if (repeated) return { arrayValues: (v as Cell[]).map((c) => parameterValue(f, c.v, false)) };
  if (f.type === 'RECORD' || f.type === 'STRUCT') {
    const cells = (v as { f: Cell[] }).f;
    return { structValues: Object.fromEntries((f.fields ?? []).map((x, i) => [x.name, parameterValue(x, cells[i]!.v, x.mode === 'REPEATED')])) };
  }
  return { value: String(v) };
}

export async function executeImmediate(s: QuerySession, stmt: Token[], runChild: ChildRunner): Promise<StatementOutcome> {
  if (!isKeyword(stmt[1], 'IMMEDIATE')) throw new BigQueryApiError('invalidQuery', 'Syntax error: expected EXECUTE IMMEDIATE');
  const intoAt = findTop(stmt, 2, stmt.length, (t) => isKeyword(t, 'INTO'));
  const usingAt = findTop(stmt, 2, stmt.length, (t) => isKeyword(t, 'USING'));
  const exprEnd = Math.min(...[intoAt, usingAt, stmt.length].filter((x) => x >= 0));
  const text = await s.select(stmt.slice(2, exprEnd), 'SELECT', true);
  if (text.schema?.[0]?.type !== 'STRING') throw new BigQueryApiError('invalidQuery', 'EXECUTE IMMEDIATE needs a STRING expression');
  const sql = text.rows?.[0]?.f[0]?.v;
  if (typeof sql !== 'string') throw new BigQueryApiError('invalidQuery', 'EXECUTE IMMEDIATE sql_expression cannot be NULL');
  const params: QueryParameter[] = [];
  let named = false;
  if (usingAt >= 0) {
    const items = splitTop(stmt.slice(usingAt + 1, intoAt > usingAt ? intoAt : stmt.length));
    for (const item of items) {
      const asAt = findTop(item, 0, item.length, (t) => isKeyword(t, 'AS'));
      const expr = asAt < 0 ? item : item.slice(0, asAt);
      const r = await s.select(expr, 'SELECT', true);
      const f = r.schema![0]!;
      const p: QueryParameter = { parameterType: parameterType(f, f.mode === 'REPEATED'), parameterValue: parameterValue(f, r.rows![0]!.f[0]!.v, f.mode === 'REPEATED') };
      if (asAt >= 0) {
        p.name = item[asAt + 1]!.value;
        named = true;
      } else if (named) throw new BigQueryApiError('invalidQuery', 'EXECUTE IMMEDIATE ... USING cannot mix named and positional values');
      params.push(p);
    }
  }
  const options = { ...s.options, defaultDataset: s.defaultDataset, parameterMode: named ? ('NAMED' as const) : ('POSITIONAL' as const), queryParameters: params };
  if (intoAt < 0) {
    await runChild(sql, options);
    return { statementType: 'EXECUTE_IMMEDIATE', bytes: 0 };
  }
  const targets = splitTop(stmt.slice(intoAt + 1, usingAt > intoAt ? usingAt : stmt.length)).map((t) => {
    const name = t[0]?.value.toLowerCase() ?? '';
    if (t.length !== 1 || !s.variables.has(name)) throw new BigQueryApiError('invalidQuery', `EXECUTE IMMEDIATE ... INTO needs declared variables (got ${t.map((x) => x.text).join(' ')})`);
    return name;
  });
  return into(s, sql, options, targets);
}

/** INTO: the dynamic text must be one query; its single row (or NULLs for none) sets the variables, each keeping its type. */
async function into(s: QuerySession, sql: string, options: QuerySession['options'], targets: string[]): Promise<StatementOutcome> {
  const statements = splitStatements(tokenize(sql));
  const q = statements[0];
  if (statements.length !== 1 || !q || !(isKeyword(q[0], 'SELECT', 'WITH') || isOp(q[0], '('))) throw new BigQueryApiError('invalidQuery', 'EXECUTE IMMEDIATE ... INTO needs a single query');
  const child = new QuerySession(s.core, s.conn, options, true);
  child.timeZone = s.timeZone;
  await prepareRoutines(child, q);
  await prepareCatalogReads(child, q);
  const t = child.translator(q);
  const translated = t.translateAll();
  const bytes = await child.checkReads(t.tables, q);
  const tmp = `_bq_into_${Date.now().toString(36)}`;
  await child.exec(`CREATE TEMP TABLE ${quoteIdent(tmp)} AS ${translated}`);
  try {
    const reader = await s.conn.runAndReadAll(`SELECT * FROM temp.main.${quoteIdent(tmp)} LIMIT 0`);
    const cols = reader.columnNames();
    if (cols.length !== targets.length) throw new BigQueryApiError('invalidQuery', `EXECUTE IMMEDIATE ... INTO: the query returns ${cols.length} column(s) for ${targets.length} variable(s)`);
    const count = Number((await s.conn.runAndReadAll(`SELECT count(*) FROM temp.main.${quoteIdent(tmp)}`)).getRows()[0]![0]);
    if (count > 1) throw new BigQueryApiError('invalidQuery', 'EXECUTE IMMEDIATE ... INTO: the query returned more than one row');
    for (let k = 0; k < targets.length; k++) {
      const name = targets[k]!;
      const ty = String((await s.conn.runAndReadAll(`SELECT typeof(getvariable(${quoteString(name)}))`)).getRows()[0]?.[0] ?? 'NULL');
      const value = `(SELECT ${quoteIdent(cols[k]!)} FROM temp.main.${quoteIdent(tmp)})`;
      await s.conn.run(`SET VARIABLE ${quoteIdent(name)} = ${ty === 'NULL' ? value : `CAST(${value} AS ${ty})`}`);
    }
  } finally {
    await s.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(tmp)}`).catch(() => undefined);
    for (const f of child.udfs) {
      await s.conn.run(`DROP MACRO IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`).catch(() => undefined);
      await s.conn.run(`DROP MACRO TABLE IF EXISTS ${quoteIdent(`bq_udf_${f}`)}`).catch(() => undefined);
    }
  }
  return { statementType: 'EXECUTE_IMMEDIATE', bytes };
}
