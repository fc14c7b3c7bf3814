/**
 * Materialized views. BigQuery answers a query of a materialized view as if the view were fresh:
 * it reads the stored result and combines it with what changed in the base tables since the last
 * refresh (`max_staleness` allows an older answer, never requires one). The embedded BigQuery keeps
 * no stored copy: the view is a DuckDB view of its translated query, so every read is that fresh
 * answer. A refresh (automatic, or `CALL BQ.REFRESH_MATERIALIZED_VIEW`) therefore changes no data;
 * it moves `materializedView.lastRefreshTime`, which otherwise stays at the creation time.
 */
import { BigQueryApiError, type MaterializedViewDefinition, type TableReference, type TableResource } from '../types.js';
import { notFoundTable } from '../errors.js';
import { isOp, type Token } from '../sql/tokenizer.js';
import type { OptionValue } from '../sql/ddl.js';
import type { QuerySession, StatementOutcome } from './session.js';

/** Options only a materialized view takes (CREATE/ALTER MATERIALIZED VIEW ... OPTIONS). */
export const MATERIALIZED_VIEW_OPTIONS = ['enable_refresh', 'refresh_interval_minutes', 'max_staleness', 'allow_non_incremental_definition'];

/** BigQuery's bounds on refresh_interval_minutes: one minute to seven days; 30 minutes when not given. */
const MIN_REFRESH_MINUTES = 1;
const MAX_REFRESH_MINUTES = 7 * 24 * 60;
const DEFAULT_REFRESH_MS = 30 * 60 * 1000;

/** Functions whose value changes between reads: a materialized view may not use them (its stored answer would be wrong). */
const NON_DETERMINISTIC = new Set(['CURRENT_DATE', 'CURRENT_DATETIME', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'RAND', 'GENERATE_UUID', 'SESSION_USER']);

export function isMaterializedView(meta: Pick<TableResource, 'type'> | undefined): boolean {
  return meta?.type === 'MATERIALIZED_VIEW';
}

/** The materializedView resource from OPTIONS, keeping what an ALTER does not set from the previous definition. */
export function materializedViewDefinition(query: string, o: Record<string, OptionValue>, previous?: MaterializedViewDefinition): MaterializedViewDefinition {
  const def: MaterializedViewDefinition = previous ? { ...previous } : { query, enableRefresh: true, refreshIntervalMs: String(DEFAULT_REFRESH_MS), lastRefreshTime: String(Date.now()) };
  if ('enable_refresh' in o) {
    if (typeof o.enable_refresh !== 'boolean') throw new BigQueryApiError('invalidQuery', 'Materialized view option enable_refresh must be a BOOL literal');
    def.enableRefresh = o.enable_refresh;
  }
  if ('refresh_interval_minutes' in o) {
    const m = o.refresh_interval_minutes;
    if (typeof m !== 'number' || !Number.isFinite(m)) throw new BigQueryApiError('invalidQuery', 'Materialized view option refresh_interval_minutes must be a number');
    if (m < MIN_REFRESH_MINUTES || m > MAX_REFRESH_MINUTES) {
      throw new BigQueryApiError('invalidQuery', `Materialized view refresh interval must be between ${MIN_REFRESH_MINUTES} minute and ${MAX_REFRESH_MINUTES / 1440} days; got ${m} minutes`);
    }
    def.refreshIntervalMs = String(Math.round(m * 60000));
  }
  if ('max_staleness' in o) {
    if (typeof o.max_staleness !== 'string' || !/^-?\d+-\d+ -?\d+ -?\d+:\d+:\d+(\.\d+)?$/.test(o.max_staleness)) {
      throw new BigQueryApiError('invalidQuery', 'Materialized view option max_staleness must be an INTERVAL literal');
    }
    def.maxStaleness = o.max_staleness;
  }
  if ('allow_non_incremental_definition' in o) {
    if (previous) throw new BigQueryApiError('invalidQuery', 'allow_non_incremental_definition cannot be changed after the materialized view is created');
    if (o.allow_non_incremental_definition !== true && o.allow_non_incremental_definition !== false) throw new BigQueryApiError('invalidQuery', 'Materialized view option allow_non_incremental_definition must be a BOOL literal');
    def.allowNonIncrementalDefinition = o.allow_non_incremental_definition;
  }
  return def;
}

/**
 * What BigQuery rejects in a materialized view's query and a fresh answer cannot make right: a query
 * that reads no table, non-deterministic functions, query parameters. Other shapes BigQuery limits
 * (its incremental-refresh rules) are accepted: the answer stays the query's.
 */
export function checkMaterializedViewQuery(query: Token[], tables: TableReference[], parameters: number): void {
  if (tables.length === 0) throw new BigQueryApiError('invalidQuery', 'Materialized view query must reference at least one base table');
  if (parameters > 0) throw new BigQueryApiError('invalidQuery', 'Query parameters cannot be used in a materialized view definition');
  for (let k = 0; k < query.length; k++) {
    const t = query[k]!;
    if (t.kind !== 'ident' || !NON_DETERMINISTIC.has(t.value.toUpperCase())) continue;
    if (isOp(query[k - 1], '.')) continue;
    throw new BigQueryApiError('invalidQuery', `Materialized view query contains unsupported feature: non-deterministic function ${t.value.toUpperCase()}`);
  }
}

/** The error DDL of another kind gets on a materialized view, and materialized-view DDL on another kind. */
export function wrongKind(ref: TableReference, meta: TableResource, statement: string): BigQueryApiError {
  const is = meta.type === 'MATERIALIZED_VIEW' ? 'a materialized view' : meta.type === 'VIEW' ? 'a view' : meta.type === 'SNAPSHOT' ? 'a table snapshot' : 'a table';
  return new BigQueryApiError('invalidQuery', `${ref.projectId}.${ref.datasetId}.${ref.tableId} is ${is}; ${statement} cannot be used on it`);
}

/** `CALL BQ.REFRESH_MATERIALIZED_VIEW('[project.]dataset.view')`: the view is always fresh, so only lastRefreshTime moves. */
export async function refreshMaterializedView(s: QuerySession, name: string): Promise<StatementOutcome> {
  const parts = name.split('.');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => p === '')) throw new BigQueryApiError('invalidQuery', `Invalid materialized view name: ${name}`);
  const ref = s.resolveTable(parts, true)?.ref;
  if (!ref) throw new BigQueryApiError('invalidQuery', `Invalid materialized view name: ${name}`);
  const meta = await s.core.tableMeta(s.conn, ref);
  if (!meta) throw notFoundTable(ref);
  if (!isMaterializedView(meta) || !meta.materializedView) throw wrongKind(ref, meta, 'BQ.REFRESH_MATERIALIZED_VIEW');
  const refreshed: TableResource = { ...meta, materializedView: { ...meta.materializedView, lastRefreshTime: String(Date.now()) } };
  await s.withinTransaction(() => s.core.saveTable(s.conn, refreshed, undefined));
  return { statementType: 'CALL', bytes: 0 };
}
