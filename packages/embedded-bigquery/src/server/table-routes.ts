import type { TableReference, TableResource } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { paginate } from './paging.js';
import { tableListEntry, tableView } from './resources.js';
import type { RequestContext, Router } from './router.js';
import type { ServerContext } from './server-context.js';

export function tableRef(params: Record<string, string>): TableReference {
  return { projectId: params.projectId ?? '', datasetId: params.datasetId ?? '', tableId: params.tableId ?? '' };
}

const TABLE = '/projects/:projectId/datasets/:datasetId/tables';

/** tables.get's `view` values (TableMetadataView). */
const TABLE_VIEWS = new Set(['TABLE_METADATA_VIEW_UNSPECIFIED', 'BASIC', 'STORAGE_STATS', 'FULL']);

/** tables.insert/get/list/patch/update/delete. */
export function addTableRoutes(router: Router, ctx: ServerContext): void {
  const { engine, location } = ctx;

  router.add('GET', TABLE, async ({ res, params, query }) => {
    const all = await engine.listTables({ projectId: params.projectId ?? '', datasetId: params.datasetId ?? '' });
    const { page, nextPageToken } = paginate(all, query, 1000);
    sendJson(res, 200, {
      kind: 'bigquery#tableList',
      tables: page.map(tableListEntry),
      totalItems: all.length,
      ...(nextPageToken ? { nextPageToken } : {}),
    });
  });

  router.add('POST', TABLE, async ({ req, res, params }) => {
    const body = (await readJson(req, ctx.limits.maxJsonBodyBytes)) as Partial<TableResource>;
    const tableId = body.tableReference?.tableId;
    if (!tableId) throw new BigQueryApiError('invalid', 'tables.insert: tableReference.tableId is required');
    const ref = { ...tableRef(params), tableId };
    for (const key of ['projectId', 'datasetId'] as const) {
      const given = body.tableReference?.[key];
      if (given && given !== ref[key]) throw new BigQueryApiError('invalid', `tables.insert: tableReference.${key} ${given} does not match the URL (${ref[key]})`);
    }
    const table: TableResource = { ...body, tableReference: ref };
    if (body.view && !body.type) table.type = 'VIEW';
    if (body.view?.useLegacySql) throw new BigQueryApiError('invalid', `tables.insert ${ref.datasetId}.${tableId}: legacy SQL views are not supported`);
    sendJson(res, 200, tableView(await engine.createTable(table), location));
  });

  // view=BASIC: schema and partitioning without storage statistics (numRows, numBytes), which the
  // engine would count; the default (STORAGE_STATS, FULL) includes them, as BigQuery's does.
  router.add('GET', `${TABLE}/:tableId`, async ({ res, params, query }) => {
    const view = query.get('view') ?? 'TABLE_METADATA_VIEW_UNSPECIFIED';
    if (!TABLE_VIEWS.has(view)) throw new BigQueryApiError('invalid', `Invalid value at 'view' (type.googleapis.com/google.cloud.bigquery.v2.GetTableRequest.TableMetadataView), "${view}"`);
    const stats = view !== 'BASIC';
    sendJson(res, 200, tableView(await engine.getTable(tableRef(params), { stats }), location, { stats }));
  });

  const patch = async ({ req, res, params }: RequestContext): Promise<void> => {
    const body = (await readJson(req, ctx.limits.maxJsonBodyBytes)) as Partial<TableResource>;
    delete body.tableReference;
    sendJson(res, 200, tableView(await engine.patchTable(tableRef(params), body), location));
  };
  router.add('PATCH', `${TABLE}/:tableId`, patch);
  // tables.update replaces the resource; clients send the full metadata they read, so a merge is equivalent.
  router.add('PUT', `${TABLE}/:tableId`, patch);

  router.add('DELETE', `${TABLE}/:tableId`, async ({ res, params }) => {
    await engine.deleteTable(tableRef(params));
    sendEmpty(res, 204);
  });
}
