/** INSERT, UPDATE, DELETE and MERGE, with BigQuery's checks DuckDB does not make (WHERE required, one source row per target row). */
import { BigQueryApiError } from '../types.js';
import { notFoundTable } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import type { Translator } from '../sql/translator.js';
import { findTop } from '../sql/ddl.js';
import { quoteIdent } from '../type-mapping.js';
import { filteredIdentifiers } from '../partition-filter.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { sameRef } from './result-columns.js';
import { materializedViewNotWritable } from '../table-resources.js';

export async function dml(s: QuerySession, stmt: Token[], kind: string): Promise<StatementOutcome> {
  let tokens = stripSetQualifiers(stmt);
  // DuckDB wants INSERT INTO / DELETE FROM / MERGE INTO
  if (kind === 'INSERT' && !isKeyword(tokens[1], 'INTO')) tokens = [tokens[0]!, kw('INTO'), ...tokens.slice(1)];
  if (kind === 'DELETE' && !isKeyword(tokens[1], 'FROM')) tokens = [tokens[0]!, kw('FROM'), ...tokens.slice(1)];
  if (kind === 'MERGE' && !isKeyword(tokens[1], 'INTO')) tokens = [tokens[0]!, kw('INTO'), ...tokens.slice(1)];
  if ((kind === 'UPDATE' || kind === 'DELETE') && findTop(tokens, 0, tokens.length, (t) => isKeyword(t, 'WHERE')) < 0) {
    throw new BigQueryApiError('invalidQuery', `${kind} must have a WHERE clause`);
  }
  const t = s.translator(tokens);
  const targetAt = kind === 'UPDATE' ? 1 : 2;
  const [targetParts] = t.path(targetAt);
  const resolvedTarget = s.resolveTable(targetParts, true);
  const tempName = targetParts.length === 1 || (targetParts.length === 2 && targetParts[0]!.toUpperCase() === '_SESSION') ? targetParts[targetParts.length - 1]!.toLowerCase() : undefined;
  if (resolvedTarget && !resolvedTarget.ref && tempName !== undefined && s.tempTables.has(tempName)) {
    // a script's temporary table: no catalog entry, no partition rules
    const sql = t.translateAll();
    const bytes = await s.checkReads(t.tables, tokens);
    const reader = await s.exec(kind === 'MERGE' ? await prepareMerge(s, tokens, t, sql) : sql);
    return { statementType: kind, affected: reader.rowsChanged, bytes };
  }
  const target = resolvedTarget?.ref;
  if (!target) throw new BigQueryApiError('invalidQuery', `${kind} target must be a table`);
  let sql = t.translateAll();
  const reads = t.tables.filter((r, i) => i > 0 || !sameRef(r, target));
  const targetMeta = await s.core.tableMeta(s.conn, target);
  if (!targetMeta) throw notFoundTable(target);
  if (targetMeta.type === 'VIEW') throw new BigQueryApiError('invalidQuery', `Cannot ${kind} a view: ${target.datasetId}.${target.tableId}`);
  if (targetMeta.type === 'MATERIALIZED_VIEW') throw materializedViewNotWritable(target, kind);
  let exemptFiltered: Set<string> | undefined;
  if (kind === 'MERGE') {
    exemptFiltered = filteredIdentifiers(tokens, ['ON', 'WHEN']);
    sql = await prepareMerge(s, tokens, t, sql);
  } else if (kind === 'UPDATE' || kind === 'DELETE') {
    exemptFiltered = filteredIdentifiers(tokens);
  }
  if (kind === 'UPDATE') await checkUpdateJoin(s, tokens, t);
  const bytes = await s.checkReads([target, ...reads], tokens, target, exemptFiltered);
  const reader = await s.exec(sql);
  s.core.invalidateStats(target);
  return { statementType: kind, affected: reader.rowsChanged, bytes };
}

/** UPDATE ... FROM: BigQuery fails when a target row joins more than one source row (DuckDB would pick one). */
async function checkUpdateJoin(s: QuerySession, tokens: Token[], t: Translator): Promise<void> {
  const setAt = findTop(tokens, 0, tokens.length, (x) => isKeyword(x, 'SET'));
  const fromAt = findTop(tokens, setAt, tokens.length, (x) => isKeyword(x, 'FROM'));
  if (setAt < 0 || fromAt < 0) return;
  const whereAt = findTop(tokens, fromAt, tokens.length, (x) => isKeyword(x, 'WHERE'));
  const [, afterTarget] = t.path(1);
  const target = s.resolveTable(t.path(1)[0], true)!.sql;
  let aliasAt = afterTarget;
  if (isKeyword(tokens[aliasAt], 'AS')) aliasAt++;
  const alias = aliasAt < setAt ? quoteIdent(tokens[aliasAt]!.value) : target;
  // translated with its FROM keyword, so the source paths resolve as tables
  const from = t.sub(tokens.slice(fromAt, whereAt < 0 ? tokens.length : whereAt)).replace(/^\s*from\s+/i, '');
  const where = whereAt < 0 ? 'true' : t.sub(tokens.slice(whereAt + 1));
  const check = `SELECT count(*) FROM (SELECT ${alias}.rowid FROM ${target}${alias === target ? '' : ` AS ${alias}`}, ${from} WHERE ${where} GROUP BY 1 HAVING count(*) > 1)`;
  const r = await s.exec(check);
  if (Number(r.getRows()[0]?.[0] ?? 0) > 0) {
    throw new BigQueryApiError('invalidQuery', 'UPDATE/MERGE must match at most one source row for each target row');
  }
}

/** BigQuery fails a MERGE whose matched branch would touch a target row more than once. */
async function prepareMerge(s: QuerySession, tokens: Token[], t: Translator, sql: string): Promise<string> {
  const usingAt = findTop(tokens, 0, tokens.length, (x) => isKeyword(x, 'USING'));
  const onAt = findTop(tokens, usingAt, tokens.length, (x) => isKeyword(x, 'ON'));
  const whenAt = findTop(tokens, onAt, tokens.length, (x) => isKeyword(x, 'WHEN'));
  if (usingAt < 0 || onAt < 0 || whenAt < 0) throw new BigQueryApiError('invalidQuery', 'Syntax error: MERGE target USING source ON condition WHEN ...');
  const hasMatched = tokens.some((x, i) => isKeyword(x, 'WHEN') && isKeyword(tokens[i + 1], 'MATCHED'));
  // target [AS] alias
  const [, afterTarget] = t.path(2);
  let targetAlias = '';
  let j = afterTarget;
  if (isKeyword(tokens[j], 'AS')) j++;
  if (j < usingAt) targetAlias = tokens[j]!.value;
  const srcEnd = onAt;
  let srcAliasAt = srcEnd - 1;
  let sourceAlias = '';
  const srcTokens = tokens.slice(usingAt + 1, srcEnd);
  if (srcTokens.length >= 2 && (tokens[srcAliasAt]!.kind === 'ident' || tokens[srcAliasAt]!.kind === 'quoted') && !isOp(tokens[srcAliasAt - 1], '.')) {
    sourceAlias = tokens[srcAliasAt]!.value;
    srcAliasAt--;
    if (isKeyword(tokens[srcAliasAt], 'AS')) srcAliasAt--;
  } else srcAliasAt = srcEnd - 1;
  // INSERT ROW → DuckDB INSERT *
  const rewritten = sql.replace(/\bINSERT ROW\b/gi, 'INSERT *');
  if (!hasMatched) return rewritten;
  const targetSql = s.resolveTable(t.path(2)[0], true)!.sql;
  // translated with its USING keyword, so a source path resolves as a table
  const sourceSql = t.sub(tokens.slice(usingAt, srcAliasAt + 1)).replace(/^\s*USING\s+/i, '');
  const cond = t.sub(tokens.slice(onAt + 1, whenAt));
  const ta = targetAlias ? quoteIdent(targetAlias) : targetSql;
  const check = `SELECT count(*) FROM (SELECT ${targetAlias ? ta : targetSql}.rowid AS r FROM ${targetSql} ${targetAlias ? `AS ${ta}` : ''} JOIN ${sourceSql} ${sourceAlias ? `AS ${quoteIdent(sourceAlias)}` : ''} ON ${cond} GROUP BY 1 HAVING count(*) > 1)`;
  const r = await s.exec(check);
  if (Number(r.getRows()[0]?.[0] ?? 0) > 0) {
    throw new BigQueryApiError('invalidQuery', 'UPDATE/MERGE must match at most one source row for each target row');
  }
  return rewritten;
}

function kw(value: string): Token {
  return { kind: 'ident', value, text: value, start: -1, end: -1, spaceBefore: true };
}

/** `SET t.col = ...` → `SET col = ...` (DuckDB does not accept qualified assignment targets). */
function stripSetQualifiers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let inSet = false;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(', '[')) depth++;
    if (isOp(t, ')', ']')) depth--;
    if (depth === 0 && isKeyword(t, 'SET')) inSet = true;
    else if (depth === 0 && isKeyword(t, 'WHERE', 'FROM', 'WHEN')) inSet = false;
    const prev = out[out.length - 1];
    if (inSet && depth === 0 && (isKeyword(prev, 'SET') || isOp(prev, ',')) && (t.kind === 'ident' || t.kind === 'quoted') && isOp(tokens[i + 1], '.') && isOp(tokens[i + 3], '=')) {
      i += 1; // skip qualifier and dot; the column name is pushed next iteration
      continue;
    }
    out.push(t);
  }
  return out;
}
