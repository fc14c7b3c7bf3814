import type { DatasetReference, DatasetResource } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import { readJson, sendEmpty, sendJson } from './http-io.js';
import { paginate } from './paging.js';
import { datasetView } from './resources.js';
import type { Router } from './router.js';
import type { ServerContext } from './server-context.js';

function datasetRef(params: Record<string, string>): DatasetReference {
  return { projectId: params.projectId ?? '', datasetId: params.datasetId ?? '' };
}

/** datasets.insert/get/list/patch/update/delete. */
export function addDatasetRoutes(router: Router, ctx: ServerContext): void {
  const { engine, location } = ctx;

  router.add('GET', '/projects/:projectId/datasets', async ({ res, params, query }) => {
    const all = await engine.listDatasets(params.projectId ?? '');
    const { page, nextPageToken } = paginate(all, query, 1000);
    sendJson(res, 200, {
      kind: 'bigquery#datasetList',
      datasets: page.map((d) => {
        const view = datasetView(d, location);
        return { kind: view.kind, id: view.id, datasetReference: view.datasetReference, location: view.location, ...(d.labels ? { labels: d.labels } : {}) };
      }),
      ...(nextPageToken ? { nextPageToken } : {}),
    });
  });

  router.add('POST', '/projects/:projectId/datasets', async ({ req, res, params }) => {
    const body = (await readJson(req, ctx.limits.maxJsonBodyBytes)) as Partial<DatasetResource>;
    const ref = body.datasetReference;
    if (!ref?.datasetId) throw new BigQueryApiError('invalid', 'datasets.insert: datasetReference.datasetId is required');
    const projectId = ref.projectId ?? params.projectId ?? '';
    if (projectId !== params.projectId) {
      throw new BigQueryApiError('invalid', `datasets.insert: datasetReference.projectId ${projectId} does not match the project in the URL (${params.projectId})`);
    }
    const created = await engine.createDataset({ ...body, datasetReference: { projectId, datasetId: ref.datasetId }, location: body.location ?? location });
    sendJson(res, 200, datasetView(created, location));
  });

  router.add('GET', '/projects/:projectId/datasets/:datasetId', async ({ res, params }) => {
    sendJson(res, 200, datasetView(await engine.getDataset(datasetRef(params)), location));
  });

  const patch = async ({ req, res, params }: Parameters<Parameters<Router['add']>[2]>[0]): Promise<void> => {
    const body = (await readJson(req, ctx.limits.maxJsonBodyBytes)) as Partial<DatasetResource>;
    delete body.datasetReference;
    sendJson(res, 200, datasetView(await engine.patchDataset(datasetRef(params), body), location));
  };
  router.add('PATCH', '/projects/:projectId/datasets/:datasetId', patch);
  // datasets.update replaces the resource; the engine only merges, which covers what clients send (full metadata).
  router.add('PUT', '/projects/:projectId/datasets/:datasetId', patch);

  router.add('DELETE', '/projects/:projectId/datasets/:datasetId', async ({ res, params, query }) => {
    await engine.deleteDataset(datasetRef(params), { deleteContents: query.get('deleteContents') === 'true' });
    sendEmpty(res, 204);
  });
}
