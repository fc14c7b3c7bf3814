/**
 * DML on an ingestion-time partitioned table (ingestion-time.ts): a bare `INSERT INTO t VALUES`
 * / `INSERT INTO t SELECT` names the table's schema columns (DuckDB would count the hidden
 * pseudo-columns too), and a statement that may set `_PARTITIONTIME` asks for `_PARTITIONDATE`
 * to follow it.
 */
import { BigQueryApiError, type TableReference, type TableResource } from '../types.js';
import { isKeyword, isOp, type Token, type TokenKind } from '../sql/tokenizer.js';
import { isIngestionTime } from '../ingestion-time.js';
import { readDottedPath, startsPath } from './dotted-paths.js';
import type { QuerySession } from './session.js';

export async function ingestionDml(s: QuerySession, stmt: Token[]): Promise<{ stmt: Token[]; sync?: TableResource }> {
  const first = isKeyword(stmt[0], 'INSERT', 'UPDATE', 'DELETE', 'MERGE') ? stmt[0]!.value.toUpperCase() : '';
  if (!first) return { stmt };
  const at = first !== 'UPDATE' && isKeyword(stmt[1], 'INTO', 'FROM') ? 2 : 1;
  if (!startsPath(stmt, at)) return { stmt };
  const { parts, end } = readDottedPath(stmt, at);
  let ref: TableReference | undefined;
  try {
    ref = s.resolveTable(parts, false)?.ref;
  } catch {
    return { stmt };
  }
  const meta = ref ? await s.core.tableMeta(s.conn, ref) : undefined;
  if (meta?.type === 'SNAPSHOT') throw new BigQueryApiError('invalidQuery', `Table snapshot ${meta.tableReference.datasetId}.${meta.tableReference.tableId} is read-only: ${first} cannot modify it`);
  if (!ref || !meta || !isIngestionTime(meta)) return { stmt };
  const sync = stmt.some((t) => (t.kind === 'ident' || t.kind === 'quoted') && /^_PARTITIONTIME$/i.test(t.value)) ? meta : undefined;
  const after = end + 1;
  if (first !== 'INSERT' || (isOp(stmt[after], '(') && !isKeyword(stmt[after + 1], 'SELECT', 'WITH'))) return { stmt, sync };
  const pos = stmt[end]!.end;
  const tok = (kind: TokenKind, value: string, text: string): Token => ({ kind, value, text, start: pos, end: pos, spaceBefore: true });
  const names = (meta.schema?.fields ?? []).flatMap((f, k) => [...(k > 0 ? [tok('op', ',', ',')] : []), tok('quoted', f.name, `\`${f.name}\``)]);
  return { stmt: [...stmt.slice(0, after), tok('op', '(', '('), ...names, tok('op', ')', ')'), ...stmt.slice(after)], sync };
}
