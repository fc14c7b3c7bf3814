import type { DatasetResource, TableResource } from '../engine/types.js';

/** Fills the fields BigQuery always returns on a dataset and that clients read (kind, id, location). */
export function datasetView(dataset: DatasetResource, defaultLocation: string): DatasetResource & Record<string, unknown> {
  const { projectId, datasetId } = dataset.datasetReference;
  const now = String(Date.now());
  return {
    ...dataset,
    kind: 'bigquery#dataset',
    id: `${projectId}:${datasetId}`,
    location: dataset.location ?? defaultLocation,
    creationTime: dataset.creationTime ?? now,
    lastModifiedTime: dataset.lastModifiedTime ?? dataset.creationTime ?? now,
    etag: etagOf(dataset.lastModifiedTime ?? ''),
  };
}

/**
 * Fills the fields BigQuery always returns on a table. The Dataform CLI reads `schema.fields`,
 * `type` and `lastModifiedTime` (as a Long) from tables.get, so those are never absent.
 */
export function tableView(table: TableResource, defaultLocation: string, options: { stats?: boolean } = {}): TableResource & Record<string, unknown> {
  const { projectId, datasetId, tableId } = table.tableReference;
  const now = String(Date.now());
  const view: TableResource & Record<string, unknown> = {
    ...table,
    kind: 'bigquery#table',
    id: `${projectId}:${datasetId}.${tableId}`,
    type: table.type ?? 'TABLE',
    schema: table.schema ?? { fields: [] },
    location: table.location ?? defaultLocation,
    creationTime: table.creationTime ?? now,
    lastModifiedTime: table.lastModifiedTime ?? table.creationTime ?? now,
    etag: etagOf(table.lastModifiedTime ?? ''),
  };
  if (options.stats === false) {
    delete view.numRows;
    delete view.numBytes;
  } else if (view.type !== 'VIEW') {
    view.numRows = table.numRows ?? '0';
    view.numBytes = table.numBytes ?? '0';
  }
  return view;
}

/** Short summary used by tables.list, as BigQuery lists tables (no schema, no row counts). */
export function tableListEntry(table: TableResource): Record<string, unknown> {
  const { projectId, datasetId, tableId } = table.tableReference;
  return {
    kind: 'bigquery#table',
    id: `${projectId}:${datasetId}.${tableId}`,
    tableReference: table.tableReference,
    type: table.type ?? 'TABLE',
    ...(table.timePartitioning ? { timePartitioning: table.timePartitioning } : {}),
    ...(table.rangePartitioning ? { rangePartitioning: table.rangePartitioning } : {}),
    ...(table.clustering ? { clustering: table.clustering } : {}),
    ...(table.labels ? { labels: table.labels } : {}),
    ...(table.view ? { view: { useLegacySql: false } } : {}),
    creationTime: table.creationTime,
  };
}

function etagOf(seed: string): string {
  return Buffer.from(seed || 'embedded').toString('base64');
}
