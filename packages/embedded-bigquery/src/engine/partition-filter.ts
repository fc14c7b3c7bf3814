/**
 * require_partition_filter, as BigQuery enforces it: a query that reads such a table must filter
 * on its partitioning column in a WHERE clause (BigQuery: "Cannot query over table 'p.d.t'
 * without a filter over column(s) 'x' that can be used for partition elimination").
 *
 * Rule implemented (an approximation of BigQuery's planner check, erring on the strict side):
 * - SELECT, INSERT ... SELECT, CREATE TABLE AS and MERGE sources: some WHERE clause of the
 *   statement must filter on the partition column (or _PARTITIONTIME/_PARTITIONDATE for
 *   ingestion-time partitioning) in a conjunct, or in every branch of a disjunction.
 * - MERGE target: exempt when the ON clause or a WHEN ... AND condition mentions the partition
 *   column (this is where Dataform puts `updatePartitionFilter`). BigQuery's "Updating partitioned
 *   table data using DML" page (cloud.google.com/bigquery/docs/using-dml-with-partitioned-tables)
 *   prunes a MERGE target's partitions with filters in the ON and WHEN conditions, and "Querying
 *   partitioned tables" requires the WHERE predicate for reads.
 * - UPDATE/DELETE target: the WHERE clause must mention the column.
 * - The conjunct must reference the partition column alone ("There must be at least one predicate
 *   that only references a partition column", Query partitioned tables): one that also names another
 *   column of the table (`TIMESTAMP_ADD(ts, INTERVAL 6 HOUR) > ts2`) does not count. Other names
 *   (script variables, functions, a subquery's own columns) are constants there.
 * - A view or materialized view over such a table (at any depth): BigQuery asks for the same filter
 *   on a query through it, satisfied by a WHERE clause of the view's own query or of the query that
 *   reads it, by the name the view gives the column (`SELECT ts AS t2 ...`: a filter on t2).
 */
import { BigQueryApiError, type TableReference, type TableResource } from './types.js';
import { isKeyword, isOp, type Token } from './sql/tokenizer.js';
import { viewReads, type ViewScope } from './bytes-estimate/views.js';
import { outputNames } from './select-output.js';

/** Date parts, type names and literals: words of a filter that are not its columns when written without backticks. */
const NOT_COLUMNS = new Set([
  'MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'DAYOFWEEK', 'DAYOFYEAR', 'WEEK', 'ISOWEEK', 'MONTH', 'QUARTER', 'YEAR', 'ISOYEAR',
  'DATE', 'DATETIME', 'TIME', 'TIMESTAMP', 'INTERVAL', 'INT64', 'FLOAT64', 'NUMERIC', 'BIGNUMERIC', 'STRING', 'BYTES', 'BOOL', 'TRUE', 'FALSE', 'NULL',
  'AND', 'OR', 'NOT', 'IS', 'IN', 'BETWEEN', 'LIKE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'AS', 'UNNEST', 'ZONE', 'AT', 'FROM', 'CAST', 'SAFE_CAST',
]);
const CLAUSE_END = new Set(['GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'WHEN', 'SELECT', 'FROM', 'JOIN', 'ON']);

/**
 * Lower-case identifiers a WHERE clause (any nesting) filters on: of each top-level conjunct (`a AND b`),
 * and of a disjunction (`a OR b`) only those every branch filters on, so `ts IS NOT NULL OR TRUE`, which
 * cannot eliminate a partition, filters on nothing (BigQuery: "Cannot query over table ... without a
 * filter ... that can be used for partition elimination"). For MERGE (ON/WHEN), any mention.
 */
export function filteredIdentifiers(tokens: Token[], clauses: readonly string[] = ['WHERE']): Set<string> {
  if (clauses.length !== 1 || clauses[0] !== 'WHERE') return mentionedIdentifiers(tokens, clauses);
  const out = new Set<string>();
  for (let i = 0; i < tokens.length; i++) {
    if (!isKeyword(tokens[i], 'WHERE')) continue;
    for (const id of conditionIdentifiers(tokens, i + 1, whereEnd(tokens, i + 1))) out.add(id);
  }
  return out;
}

/** The end of the condition starting at s: a clause keyword at its depth (outside CASE), a closing bracket below it, or the end. */
function whereEnd(tokens: Token[], s: number): number {
  let depth = 0;
  let cases = 0;
  for (let i = s; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'eof' || isOp(t, ';')) return i;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) {
      if (--depth < 0) return i;
    } else if (depth === 0 && isKeyword(t, 'CASE')) cases++;
    else if (depth === 0 && isKeyword(t, 'END') && cases > 0) cases--;
    else if (depth === 0 && cases === 0 && t.kind === 'ident' && CLAUSE_END.has(t.value.toUpperCase())) return i;
  }
  return tokens.length;
}

/** [s, e) split at the depth-0 keyword (AND: not the one of a BETWEEN; outside CASE). */
function splitAt(tokens: Token[], s: number, e: number, word: 'AND' | 'OR'): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let cases = 0;
  let between = 0;
  let from = s;
  for (let i = s; i < e; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) depth--;
    else if (depth > 0) continue;
    else if (isKeyword(t, 'CASE')) cases++;
    else if (isKeyword(t, 'END') && cases > 0) cases--;
    else if (cases > 0) continue;
    else if (isKeyword(t, 'BETWEEN')) between++;
    else if (isKeyword(t, 'AND') && between > 0 && word === 'AND') between--;
    else if (isKeyword(t, word)) {
      parts.push([from, i]);
      from = i + 1;
    }
  }
  parts.push([from, e]);
  return parts;
}

/** The identifiers a condition filters on (see filteredIdentifiers). */
function conditionIdentifiers(tokens: Token[], s: number, e: number): Set<string> {
  const branches = splitAt(tokens, s, e, 'OR');
  if (branches.length > 1) {
    const sets = branches.map(([a, b]) => conditionIdentifiers(tokens, a, b));
    return new Set([...sets[0]!].filter((id) => sets.every((x) => x.has(id))));
  }
  const conjuncts = splitAt(tokens, s, e, 'AND');
  if (conjuncts.length > 1) return new Set(conjuncts.flatMap(([a, b]) => [...conditionIdentifiers(tokens, a, b)]));
  // a whole parenthesized condition (not a subquery): its inside
  if (isOp(tokens[s], '(') && !isKeyword(tokens[s + 1], 'SELECT', 'WITH') && closeOf(tokens, s) === e - 1) return conditionIdentifiers(tokens, s + 1, e - 1);
  const out = new Set<string>();
  for (let i = s; i < e; i++) {
    const t = tokens[i]!;
    if (t.kind === 'ident' || t.kind === 'quoted') for (const p of t.value.split('.')) out.add(p.toLowerCase());
  }
  return out;
}

function closeOf(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isOp(tokens[i], '(', '[')) depth++;
    else if (isOp(tokens[i], ')', ']') && --depth === 0) return i;
  }
  return -1;
}

/** Lower-case identifiers appearing inside the clauses (any nesting): MERGE's ON and WHEN conditions. */
function mentionedIdentifiers(tokens: Token[], clauses: readonly string[]): Set<string> {
  const out = new Set<string>();
  const stack: boolean[] = [false];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(')) {
      stack.push(stack[stack.length - 1]!);
      continue;
    }
    if (isOp(t, ')')) {
      stack.pop();
      if (stack.length === 0) stack.push(false);
      continue;
    }
    if (t.kind === 'ident' && clauses.includes(t.value.toUpperCase())) {
      stack[stack.length - 1] = true;
      continue;
    }
    if (t.kind === 'ident' && CLAUSE_END.has(t.value.toUpperCase()) && !clauses.includes(t.value.toUpperCase())) {
      // `WHEN MATCHED AND cond`: the condition after AND still counts for MERGE
      if (!(clauses.includes('WHEN') && isKeyword(t, 'WHEN'))) stack[stack.length - 1] = false;
      continue;
    }
    if ((t.kind === 'ident' || t.kind === 'quoted') && stack[stack.length - 1]) {
      for (const p of t.value.split('.')) out.add(p.toLowerCase());
    }
  }
  return out;
}

export function partitionFilterError(ref: TableReference, column: string): BigQueryApiError {
  return new BigQueryApiError(
    'invalidQuery',
    `Cannot query over table '${ref.projectId}.${ref.datasetId}.${ref.tableId}' without a filter over column(s) '${column}' that can be used for partition elimination`,
  );
}

/**
 * Fails unless the statement filters on the column. With `isolated` (the statement and the table's
 * catalog entry), the filtering conjunct must also name no other column of the table.
 */
export function checkPartitionFilter(ref: TableReference, column: string, filtered: Set<string>, isolated?: { stmt: Token[]; meta: TableResource }): void {
  const names = partitionNames(column);
  if (!names.some((n) => filtered.has(n))) throw partitionFilterError(ref, column);
  if (isolated && !isolatedFilter(isolated.stmt, names, fieldNames(isolated.meta))) throw partitionFilterError(ref, column);
}

function partitionNames(column: string): string[] {
  return [column.toLowerCase(), '_partitiontime', '_partitiondate'];
}

function fieldNames(meta: TableResource): Set<string> {
  return new Set((meta.schema?.fields ?? []).map((f) => f.name.toLowerCase()));
}

/** Whether some WHERE clause of the statement holds a condition on one of `names` and no other column in `fields`. */
export function isolatedFilter(tokens: Token[], names: string[], fields: Set<string>): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (isKeyword(tokens[i], 'WHERE') && isolatedCondition(tokens, i + 1, whereEnd(tokens, i + 1), names, fields)) return true;
  }
  return false;
}

function isolatedCondition(tokens: Token[], s: number, e: number, names: string[], fields: Set<string>): boolean {
  const branches = splitAt(tokens, s, e, 'OR');
  if (branches.length > 1) return branches.every(([a, b]) => isolatedCondition(tokens, a, b, names, fields));
  const conjuncts = splitAt(tokens, s, e, 'AND');
  if (conjuncts.length > 1) return conjuncts.some(([a, b]) => isolatedCondition(tokens, a, b, names, fields));
  if (isOp(tokens[s], '(') && !isKeyword(tokens[s + 1], 'SELECT', 'WITH') && closeOf(tokens, s) === e - 1) return isolatedCondition(tokens, s + 1, e - 1, names, fields);
  let partition = false;
  for (let i = s; i < e; i++) {
    const t = tokens[i]!;
    // a subquery's names are its own tables' columns
    if (isOp(t, '(') && isKeyword(tokens[i + 1], 'SELECT', 'WITH')) {
      i = closeOf(tokens, i);
      if (i < 0) break;
      continue;
    }
    if (t.kind !== 'ident' && t.kind !== 'quoted') continue;
    // `INTERVAL 1 DAY`, `TIMESTAMP_TRUNC(ts, DAY)`, `DATE '2024-01-01'`, `CAST(x AS DATE)`: not columns, unquoted
    if (t.kind === 'ident' && NOT_COLUMNS.has(t.value.toUpperCase()) && !isOp(tokens[i + 1], '.')) continue;
    // a path: its dotted parts, in one token or several
    const parts = t.value.split('.').map((x) => x.toLowerCase());
    let j = i + 1;
    while (isOp(tokens[j], '.') && (tokens[j + 1]?.kind === 'ident' || tokens[j + 1]?.kind === 'quoted')) {
      parts.push(...tokens[j + 1]!.value.split('.').map((x) => x.toLowerCase()));
      j += 2;
    }
    i = j - 1;
    if (isOp(tokens[j], '(')) continue;
    if (names.includes(parts[parts.length - 1]!)) {
      partition = true;
      continue;
    }
    // another column of the table, or a column qualified by a table's alias (`o.created`)
    if (parts.some((p) => fields.has(p)) || (parts.length > 1 && !fields.has(parts[0]!))) return false;
  }
  return partition;
}

/** The column a read of the table must filter on, or undefined when it requires no partition filter. */
export function requiredFilterColumn(meta: TableResource): string | undefined {
  const col = meta.timePartitioning?.field ?? meta.rangePartitioning?.field ?? (meta.timePartitioning ? '_PARTITIONTIME' : undefined);
  return col && (meta.requirePartitionFilter || meta.timePartitioning?.requirePartitionFilter) ? col : undefined;
}

/**
 * require_partition_filter of the tables under a view or materialized view (through nested views):
 * each needs its column in a WHERE clause of the reading statement (filtered) or of a view on the way.
 */
export async function checkViewPartitionFilters(scope: ViewScope, meta: TableResource, filtered: Set<string>, reading?: Token[], depth = 0, outer: Token[][] = reading ? [reading] : []): Promise<void> {
  const query = meta.view?.query ?? meta.materializedView?.query;
  if (!query || depth > 16) return;
  const read = await viewReads(scope, { ...meta, view: { ...meta.view, query } });
  if (!read) return;
  // the statements from this view's out to the reading query (when the caller gave it)
  const chain = [read.stmt, ...outer];
  for (const r of read.reads) {
    const col = requiredFilterColumn(r.meta);
    if (col) checkThroughViews(r.ref, r.meta, col, chain, reading ? undefined : filtered);
    if (r.meta.type === 'VIEW' || r.meta.type === 'MATERIALIZED_VIEW') await checkViewPartitionFilters(scope, r.meta, filtered, reading, depth + 1, chain);
  }
}

/**
 * The column filtered in one of the statements on the way, each by the name it sees: the base
 * table's in the innermost view, then as each view's select list renames it (`ts AS t2`); a view
 * that does not output the column cannot be filtered on it further out. Without the reading
 * statement (`filtered` given instead), its names are matched by the base table's name.
 */
function checkThroughViews(ref: TableReference, meta: TableResource, column: string, chain: Token[][], filtered: Set<string> | undefined): void {
  const fields = fieldNames(meta);
  let names: string[] | undefined = partitionNames(column);
  for (const [k, stmt] of chain.entries()) {
    if (!names) break;
    if (isolatedFilter(stmt, names, fields)) return;
    if (k < chain.length - 1) names = outputNames(stmt, names);
  }
  if (filtered && partitionNames(column).some((n) => filtered.has(n))) return;
  throw partitionFilterError(ref, column);
}
