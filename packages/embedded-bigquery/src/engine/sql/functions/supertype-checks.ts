/**
 * Arguments that need a common supertype (conversion_rules#supertypes): COALESCE, IFNULL, IF's
 * branches and CASE's THEN/ELSE results. DuckDB casts across kinds where BigQuery fails with "No
 * matching signature" (COALESCE(1, 'a') answered 1). The items whose kind the text decides are judged
 * here; the others by tests over typeof(), which DuckDB folds to a constant.
 */
import { COERCIBLE, acceptedSql, groupKinds, groupSql, staticKind, superOf } from './argument-kinds.js';

/** Whether the items have a common supertype: known (true/false), or the SQL that decides it. */
export type Verdict = { known: boolean } | { sql: string };

/** The SQL deciding that two items of unknown kinds have a common supertype (as far as DuckDB would mix them). */
function pairSql(a: string, b: string): string {
  const [ga, gb] = [groupSql(a), groupSql(b)];
  return `(${ga} = ${gb} OR ${ga} = '' OR ${gb} = '')`;
}

/** The most items of unknown kinds checked against each other (pairs grow quadratically). */
const MAX_UNKNOWN = 6;

/** Whether `items` (translated SQL) have a common supertype for BigQuery. */
export function commonSupertype(items: string[]): Verdict {
  const groups = new Set<string>();
  let literals = false;
  const unknown: string[] = [];
  for (const x of items) {
    const k = staticKind(x);
    if (k === undefined) unknown.push(x);
    else if (k === '0') continue;
    else if (k === 's' && COERCIBLE.test(x)) literals = true;
    else groups.add(superOf(k));
  }
  if (groups.size > 1) return { known: false };
  const [group] = [...groups];
  // a STRING literal or parameter joins STRING and the date/time kinds only
  if (literals && group !== undefined && !['s', 'd', 't', 'z'].includes(group)) return { known: false };
  if (unknown.length === 0) return { known: true };
  const allowed = group !== undefined ? groupKinds(group) : literals ? 'sdetz' : undefined;
  const checks = allowed ? unknown.map((u) => acceptedSql(u, allowed)) : [];
  if (unknown.length <= MAX_UNKNOWN) for (let i = 0; i < unknown.length; i++) for (let j = i + 1; j < unknown.length; j++) checks.push(pairSql(unknown[i]!, unknown[j]!));
  return checks.length === 0 ? { known: true } : { sql: checks.join(' AND ') };
}
