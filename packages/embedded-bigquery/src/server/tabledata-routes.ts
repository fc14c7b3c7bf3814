import { BigQueryApiError } from '../engine/types.js';
import { readJson, sendJson } from './http-io.js';
import { parseMaxResults, parseOffset } from './paging.js';
import type { Router } from './router.js';
import type { ServerContext } from './server-context.js';
import { tableRef } from './table-routes.js';

const DATA = '/projects/:projectId/datasets/:datasetId/tables/:tableId';
/** Rows per tabledata.list page when the client sets no maxResults. */
const DEFAULT_PAGE_ROWS = 10_000;
/** insertIds remembered per table for BigQuery's best-effort de-duplication of retried rows. */
const INSERT_ID_MEMORY = 100_000;

/** tabledata.list and tabledata.insertAll. */
export function addTableDataRoutes(router: Router, ctx: ServerContext): void {
  const { engine } = ctx;
  const seenInsertIds = new Map<string, Set<string>>();

  router.add('GET', `${DATA}/data`, async ({ res, params, query }) => {
    const startIndex = parseOffset(query.get('pageToken'), query.get('startIndex'));
    const maxResults = parseMaxResults(query.get('maxResults'), DEFAULT_PAGE_ROWS) || DEFAULT_PAGE_ROWS;
    const selected = query.get('selectedFields');
    const result = await engine.readRows(tableRef(params), {
      startIndex,
      maxResults,
      ...(selected ? { selectedFields: selected.split(',').map((f) => f.trim()).filter(Boolean) } : {}),
      useInt64Timestamp: query.get('formatOptions.useInt64Timestamp') === 'true',
    });
    const next = startIndex + result.rows.length;
    sendJson(res, 200, {
      kind: 'bigquery#tableDataList',
      totalRows: String(result.totalRows),
      rows: result.rows,
      ...(next < result.totalRows && result.rows.length > 0 ? { pageToken: String(next) } : {}),
    });
  });

  router.add('POST', `${DATA}/insertAll`, async ({ req, res, params }) => {
    const body = await readJson(req, ctx.limits.maxJsonBodyBytes);
    const rows = body.rows;
    if (!Array.isArray(rows)) throw new BigQueryApiError('invalid', 'tabledata.insertAll: rows must be an array');
    const ref = tableRef(params);
    const key = `${ref.projectId}.${ref.datasetId}.${ref.tableId}`;
    const seen = seenInsertIds.get(key) ?? new Set<string>();
    seenInsertIds.set(key, seen);

    // Rows whose insertId was already accepted are retries: BigQuery drops them silently, so do we.
    const kept: { index: number; json: Record<string, unknown>; insertId?: string }[] = [];
    rows.forEach((row: unknown, index) => {
      const r = row as { json?: unknown; insertId?: unknown };
      if (r === null || typeof r !== 'object' || r.json === null || typeof r.json !== 'object' || Array.isArray(r.json)) {
        throw new BigQueryApiError('invalid', `tabledata.insertAll: rows[${index}].json must be an object`);
      }
      const insertId = typeof r.insertId === 'string' && r.insertId !== '' ? r.insertId : undefined;
      if (insertId && seen.has(insertId)) return;
      kept.push({ index, json: r.json as Record<string, unknown>, ...(insertId ? { insertId } : {}) });
    });

    const errors = await engine.insertRows(
      ref,
      kept.map((k) => k.json),
      { skipInvalidRows: body.skipInvalidRows === true, ignoreUnknownValues: body.ignoreUnknownValues === true },
    );
    const failed = new Set(errors.map((e) => e.index));
    const anyFailed = errors.length > 0;
    // Without skipInvalidRows one bad row rejects the whole request, so nothing was stored to remember.
    if (!anyFailed || body.skipInvalidRows === true) {
      kept.forEach((k, i) => {
        if (k.insertId && !failed.has(i)) seen.add(k.insertId);
      });
      if (seen.size > INSERT_ID_MEMORY) seenInsertIds.set(key, new Set([...seen].slice(-INSERT_ID_MEMORY / 2)));
    }
    sendJson(res, 200, {
      kind: 'bigquery#tableDataInsertAllResponse',
      ...(anyFailed ? { insertErrors: errors.map((e) => ({ index: kept[e.index]?.index ?? e.index, errors: e.errors })) } : {}),
    });
  });
}
