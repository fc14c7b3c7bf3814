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
 */
import { BigQueryApiError, type TableReference } from './types.js';
import { isKeyword, isOp, type Token } from './sql/tokenizer.js';

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
