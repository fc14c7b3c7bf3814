/**
 * What a statement writes, as the table (or dataset, or routine) names TableLocks queues on:
 * the target of INSERT/UPDATE/DELETE/MERGE/TRUNCATE and of CREATE/DROP/ALTER. Script-local objects
 * (temporary tables and functions) belong to one connection and need no turn. A name that does not
 * resolve yields nothing: the statement itself then fails with its usual error.
 */
import { isKeyword, type Token } from '../sql/tokenizer.js';
import { readDottedPath, startsPath } from './dotted-paths.js';
import type { QuerySession } from './session.js';

const kw = (t: Token | undefined): string => (t?.kind === 'ident' ? t.value.toUpperCase() : '');

export function writeTargets(s: QuerySession, stmt: Token[]): string[] {
  const first = kw(stmt[0]);
  let i = 1;
  switch (first) {
    case 'INSERT':
    case 'DELETE':
    case 'MERGE':
      if (isKeyword(stmt[i], 'INTO', 'FROM')) i++;
      return tableAt(s, stmt, i);
    case 'UPDATE':
      return tableAt(s, stmt, i);
    case 'TRUNCATE':
      return isKeyword(stmt[i], 'TABLE') ? tableAt(s, stmt, i + 1) : [];
    case 'CREATE':
    case 'DROP':
    case 'ALTER': {
      if (isKeyword(stmt[i], 'OR') && isKeyword(stmt[i + 1], 'REPLACE')) i += 2;
      if (isKeyword(stmt[i], 'TEMP', 'TEMPORARY')) return [];
      while (isKeyword(stmt[i], 'SNAPSHOT', 'MATERIALIZED', 'EXTERNAL', 'AGGREGATE')) i++;
      let what = kw(stmt[i]);
      if (what === 'TABLE' && isKeyword(stmt[i + 1], 'FUNCTION')) {
        what = 'FUNCTION';
        i++;
      }
      i++;
      if (isKeyword(stmt[i], 'IF')) i += isKeyword(stmt[i + 1], 'NOT') ? 3 : 2;
      if (what === 'TABLE' || what === 'VIEW') {
        const table = tableAt(s, stmt, i);
        // RENAME TO writes the new name too: no one may create it meanwhile
        const to = first === 'ALTER' ? stmt.findIndex((t, k) => k > i && isKeyword(t, 'RENAME') && isKeyword(stmt[k + 1], 'TO')) : -1;
        const renamed = to > 0 && table[0] && (stmt[to + 2]?.kind === 'ident' || stmt[to + 2]?.kind === 'quoted') ? stmt[to + 2]!.value : undefined;
        return renamed ? [...table, `${table[0]!.slice(0, table[0]!.lastIndexOf('.') + 1)}${renamed}`] : table;
      }
      if (what === 'SCHEMA') return schemaAt(s, stmt, i);
      if (what === 'FUNCTION' || what === 'PROCEDURE') return routineAt(s, stmt, i);
      return [];
    }
    default:
      return [];
  }
}

function pathAt(stmt: Token[], i: number): string[] | undefined {
  return startsPath(stmt, i) ? readDottedPath(stmt, i).parts : undefined;
}

function tableAt(s: QuerySession, stmt: Token[], i: number): string[] {
  const parts = pathAt(stmt, i);
  if (!parts) return [];
  if (parts.length === 1 && s.tempTables.has(parts[0]!.toLowerCase())) return [];
  let ref;
  try {
    ref = s.resolveTable(parts, false)?.ref;
  } catch {
    return [];
  }
  return ref ? [`${ref.projectId}:${ref.datasetId}.${ref.tableId}`] : [];
}

function schemaAt(s: QuerySession, stmt: Token[], i: number): string[] {
  const parts = pathAt(stmt, i);
  if (!parts || parts.length > 2) return [];
  const [projectId, datasetId] = parts.length === 2 ? parts : [s.options.projectId, parts[0]!];
  return [`dataset ${projectId}:${datasetId}`];
}

function routineAt(s: QuerySession, stmt: Token[], i: number): string[] {
  const parts = pathAt(stmt, i);
  if (!parts) return [];
  const dataset = parts.length === 3 ? `${parts[0]}:${parts[1]}` : parts.length === 2 ? `${s.options.projectId}:${parts[0]}` : s.defaultDataset ? `${s.defaultDataset.projectId}:${s.defaultDataset.datasetId}` : undefined;
  return dataset ? [`routine ${dataset}.${parts[parts.length - 1]}`] : [];
}
