/**
 * require_partition_filter, as BigQuery enforces it: a query that reads such a table must filter
 * on its partitioning column in a WHERE clause (BigQuery: "Cannot query over table 'p.d.t'
 * without a filter over column(s) 'x' that can be used for partition elimination").
 *
 * Rule implemented (an approximation of BigQuery's planner check, erring on the strict side):
 * - SELECT, INSERT ... SELECT, CREATE TABLE AS and MERGE sources: some WHERE clause of the
 *   statement must mention the partition column (or _PARTITIONTIME/_PARTITIONDATE for
 *   ingestion-time partitioning).
 * - MERGE target: exempt when the ON clause or a WHEN ... AND condition mentions the partition
 *   column (this is where Dataform puts `updatePartitionFilter`). BigQuery's "Updating partitioned
 *   table data using DML" page (cloud.google.com/bigquery/docs/using-dml-with-partitioned-tables)
 *   prunes a MERGE target's partitions with filters in the ON and WHEN conditions, and "Querying
 *   partitioned tables" requires the WHERE predicate for reads.
 * - UPDATE/DELETE target: the WHERE clause must mention the column.
 * - A view or materialized view over such a table (at any depth): BigQuery asks for the same filter
 *   on a query through it, satisfied by a WHERE clause of the view's own query or of the query that
 *   reads it (the name the base table gives the column; a column the view renames is not followed).
 */
import { BigQueryApiError, type TableReference, type TableResource } from './types.js';
import { isKeyword, isOp, type Token } from './sql/tokenizer.js';
import { viewReads, type ViewScope } from './bytes-estimate/views.js';

const CLAUSE_END = new Set(['GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'WHEN', 'SELECT', 'FROM', 'JOIN', 'ON']);

/** Lower-case identifiers appearing inside WHERE clauses (any nesting), and inside ON/WHEN for MERGE. */
export function filteredIdentifiers(tokens: Token[], clauses: readonly string[] = ['WHERE']): Set<string> {
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

export function checkPartitionFilter(ref: TableReference, column: string, filtered: Set<string>): void {
  const c = column.toLowerCase();
  if (filtered.has(c) || filtered.has('_partitiontime') || filtered.has('_partitiondate')) return;
  throw partitionFilterError(ref, column);
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
export async function checkViewPartitionFilters(scope: ViewScope, meta: TableResource, filtered: Set<string>, depth = 0): Promise<void> {
  const query = meta.view?.query ?? meta.materializedView?.query;
  if (!query || depth > 16) return;
  const read = await viewReads(scope, { ...meta, view: { ...meta.view, query } });
  if (!read) return;
  const combined = new Set([...filtered, ...filteredIdentifiers(read.stmt)]);
  for (const r of read.reads) {
    const col = requiredFilterColumn(r.meta);
    if (col) checkPartitionFilter(r.ref, col, combined);
    if (r.meta.type === 'VIEW' || r.meta.type === 'MATERIALIZED_VIEW') await checkViewPartitionFilters(scope, r.meta, combined, depth + 1);
  }
}
