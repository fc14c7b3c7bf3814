/**
 * totalBytesProcessed and totalBytesBilled of one statement, as BigQuery's on-demand pricing
 * computes them: for each table read, the referenced columns (every column for `SELECT *`) over
 * the partitions its filters keep; for the target of UPDATE, DELETE and a MERGE with an UPDATE or
 * DELETE clause, also every column of the target's kept partitions ("On-demand query size
 * calculation" in the DML reference: q + t). Billed: per table, rounded up to a whole MB with at
 * least 10 MB ("minimum 10 MB data processed per table referenced"); a table read for 0 bytes
 * (empty, or every partition pruned) adds nothing. Clustering is not counted: BigQuery's block
 * pruning on clustered columns shows only after the query runs, and dry runs report the bound
 * without it, which is what this estimate gives.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import type { TableReference, TableResource } from '../types.js';
import type { KeptPartitions } from './column-sizes.js';
import { keptPartitions, partitionBounds, type Evaluate } from './pruning.js';
import { StatementScope, type Conjunct } from './statement-scope.js';

const MB = 1024 * 1024;

export interface BytesEstimate {
  processed: number;
  billed: number;
}

export interface EstimateContext {
  conn: DuckDBConnection;
  /** Bytes of these columns (or all) of a table over the kept partitions (or all of them). */
  bytesForColumns(conn: DuckDBConnection, ref: TableReference, meta: TableResource, cols: Set<string> | 'all', kept?: KeptPartitions): Promise<number>;
  evaluate: Evaluate;
  /** A view's own statement and reads, to bill its tables. */
  expandView?(meta: TableResource): Promise<{ stmt: Token[]; reads: TableRead[] } | null>;
}

/** One table the statement reads, with its catalog entry. */
export interface TableRead {
  ref: TableReference;
  meta: TableResource;
}

/** Billed bytes of one table read: whole MB, at least 10 MB once anything is read. */
export function billedForTable(processed: number): number {
  if (processed <= 0) return 0;
  return Math.max(10 * MB, Math.ceil(processed / MB) * MB);
}

/** The statement's DML target and how it is written to (INSERT adds nothing for the target). */
export interface DmlTarget {
  ref: TableReference;
  kind: 'INSERT' | 'UPDATE' | 'DELETE' | 'MERGE';
}

/**
 * Columns charged: every identifier of the statement that names a column of the table (a column
 * named in a CTE or subquery counts even when the outer query drops it: the estimate errs high
 * there), or every column when a `*` expands this table's read directly.
 */
function columnsOf(scope: StatementScope, ref: TableReference, found: Occurrence[], named: Set<string>): Set<string> | 'all' {
  for (const o of found) if (scope.starReads(o.at, o.alias, ref.tableId)) return 'all';
  return named;
}

type Occurrence = ReturnType<StatementScope['occurrences']>[number];

/**
 * Where the statement reads the table: its occurrences, less an INSERT's own target (`INSERT INTO t`
 * writes t without reading it; a read of t in the INSERT's query is a read like any other, pruned
 * by its own filters).
 */
function readsOf(scope: StatementScope, ref: TableReference, target: DmlTarget | undefined): Occurrence[] {
  const found = scope.occurrences(ref);
  if (target?.kind !== 'INSERT') return found;
  const t = scope.tokens;
  return found.filter((o) => !(o.at === 2 && isKeyword(t[0], 'INSERT') && isKeyword(t[1], 'INTO')));
}

export async function estimateBytes(ctx: EstimateContext, stmt: Token[], reads: TableRead[], target?: DmlTarget, depth = 0, outer: Conjunct[] = []): Promise<BytesEstimate> {
  const scope = new StatementScope(stmt);
  const list = target?.kind === 'INSERT' ? insertColumnList(stmt) : undefined;
  const qualifiers = new Map(reads.map(({ ref }) => [ref, qualifiersOf(scope, ref)] as const));
  // the names each table is charged for: every name but an INSERT's own column list (the columns it
  // writes) and a column qualified by another table's alias (`s.x` does not read t.x)
  // one scan of the statement: each name (its dotted parts) with the qualifier written before it
  const names: { parts: string[]; qualifier: string | undefined }[] = [];
  stmt.forEach((t, i) => {
    if (list && i >= list[0] && i <= list[1]) return;
    if (t.kind !== 'ident' && t.kind !== 'quoted') return;
    const qualifier = isOp(stmt[i - 1], '.') && !isOp(stmt[i - 3], '.') ? stmt[i - 2]?.value.toLowerCase() : undefined;
    names.push({ parts: t.value.split('.').map((p) => p.toLowerCase()), qualifier });
  });
  const namedFor = (ref: TableReference): Set<string> => {
    const own = qualifiers.get(ref) ?? new Set<string>();
    const others = new Set([...qualifiers].filter(([r]) => r !== ref).flatMap(([, q]) => [...q]).filter((q) => !own.has(q)));
    return new Set(names.filter((n) => n.qualifier === undefined || !others.has(n.qualifier)).flatMap((n) => n.parts));
  };
  let processed = 0;
  let billed = 0;
  for (const { ref, meta } of reads) {
    if (meta.type === 'VIEW') {
      // views of views: BigQuery allows 16 levels
      const view = depth < 16 && ctx.expandView ? await ctx.expandView(meta) : null;
      if (view) {
        // a view read once: the reading query's filters on it prune its tables too (BigQuery inlines the view)
        const at = scope.occurrences(ref);
        const filters = at.length === 1 ? scope.readFilters(at[0]!.at, at[0]!.alias, ref.tableId).map((c) => ({ ...c, source: stmt })) : [];
        const inner = await estimateBytes(ctx, view.stmt, view.reads, undefined, depth + 1, filters);
        processed += inner.processed;
        billed += inner.billed;
      }
      continue;
    }
    const isTarget = target !== undefined && same(target.ref, ref);
    const found = readsOf(scope, ref, isTarget ? target : undefined);
    // INSERT does not scan its target (unless its query reads it too)
    if (isTarget && target.kind === 'INSERT' && found.length === 0) continue;
    const kept = await keptFor(ctx, scope, ref, found, meta, isTarget ? target : undefined, outer);
    // a table not named in the text (a wildcard's match) is charged like the statement's own reads
    const named = namedFor(ref);
    const columns = found.length > 0 ? columnsOf(scope, ref, found, named) : anyStar(stmt) ? 'all' : named;
    let bytes = await ctx.bytesForColumns(ctx.conn, ref, meta, columns, kept);
    if (isTarget && rewritesTarget(stmt, target.kind)) bytes += await ctx.bytesForColumns(ctx.conn, ref, meta, 'all', kept);
    processed += bytes;
    billed += billedForTable(bytes);
  }
  return { processed, billed };
}

/** The names a column of the table may be qualified with: its aliases and its table name. */
function qualifiersOf(scope: StatementScope, ref: TableReference): Set<string> {
  return new Set([ref.tableId.toLowerCase(), ...scope.occurrences(ref).flatMap((o) => (o.alias ? [o.alias.toLowerCase()] : []))]);
}

/** `INSERT [INTO] t (a, b) ...`: the bracket positions of the column list, or undefined. */
function insertColumnList(stmt: Token[]): [number, number] | undefined {
  let k = isKeyword(stmt[1], 'INTO') ? 2 : 1;
  while (stmt[k] && (stmt[k]!.kind === 'ident' || stmt[k]!.kind === 'quoted' || isOp(stmt[k], '.'))) k++;
  if (!isOp(stmt[k], '(') || isKeyword(stmt[k + 1], 'SELECT', 'WITH')) return undefined;
  for (let j = k + 1; j < stmt.length; j++) {
    if (isOp(stmt[j], '(')) return undefined;
    if (isOp(stmt[j], ')')) return [k, j];
  }
  return undefined;
}

function anyStar(stmt: Token[]): boolean {
  return stmt.some((t, i) => isOp(t, '*') && (isKeyword(stmt[i - 1], 'SELECT', 'DISTINCT') || isOp(stmt[i - 1], '.', ',')));
}

function same(a: TableReference, b: TableReference): boolean {
  return a.projectId === b.projectId && a.datasetId === b.datasetId && a.tableId === b.tableId;
}

/** UPDATE and DELETE always; MERGE when some WHEN clause updates or deletes. */
function rewritesTarget(stmt: Token[], kind: DmlTarget['kind']): boolean {
  if (kind === 'UPDATE' || kind === 'DELETE') return true;
  if (kind !== 'MERGE') return false;
  return stmt.some((t, i) => isKeyword(t, 'THEN') && isKeyword(stmt[i + 1], 'UPDATE', 'DELETE'));
}

/** The partitions every read of the table keeps; undefined when some read keeps them all. */
async function keptFor(ctx: EstimateContext, scope: StatementScope, ref: TableReference, found: Occurrence[], meta: TableResource, target: DmlTarget | undefined, outer: Conjunct[]): Promise<KeptPartitions | undefined> {
  const bounds = partitionBounds(meta);
  if (!bounds) return undefined;
  if (found.length === 0) return undefined;
  let kept: KeptPartitions | undefined;
  for (const [i, o] of found.entries()) {
    const qualifiers = new Set([ref.tableId.toLowerCase(), ...(o.alias ? [o.alias] : [])]);
    // a MERGE target is pruned by its ON condition (where Dataform puts updatePartitionFilter)
    const conjuncts: Conjunct[] = target?.kind === 'MERGE' && i === 0
      ? scope.topLevelFilters('ON', ['WHEN'], qualifiers)
      : scope.readFilters(o.at, o.alias, ref.tableId, bounds.column, outer);
    const k = await keptPartitions(scope.tokens, conjuncts, bounds, ctx.evaluate);
    if (!k) return undefined;
    // several reads of one table: pruned only when they all keep the same partitions
    if (kept && kept.key !== k.key) return undefined;
    kept = k;
  }
  return kept;
}
