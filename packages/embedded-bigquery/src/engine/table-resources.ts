/** Helpers of the engine's table and dataset calls: lock names, the fields a client may set, tables.patch schemas. */
import { BigQueryApiError, type DatasetReference, type TableFieldSchema, type TableReference, type TableResource } from './types.js';

/** The names TableLocks queues writers on (as BigQuery prints them in its errors). */
export function tableLock(ref: TableReference): string {
  return `${ref.projectId}:${ref.datasetId}.${ref.tableId}`;
}

export function datasetLock(ref: DatasetReference): string {
  return `dataset ${ref.projectId}:${ref.datasetId}`;
}

/** The table fields a client may set (tables.insert / tables.patch); server-owned fields are ignored. */
export function pickMeta(t: Partial<TableResource>): Partial<TableResource> {
  const out: Partial<TableResource> = {};
  if (t.description !== undefined) out.description = t.description;
  if (t.friendlyName !== undefined) out.friendlyName = t.friendlyName;
  if (t.labels !== undefined) out.labels = dropNullLabels(t.labels);
  if (t.expirationTime !== undefined) out.expirationTime = t.expirationTime;
  if (t.timePartitioning !== undefined) out.timePartitioning = t.timePartitioning;
  if (t.rangePartitioning !== undefined) out.rangePartitioning = t.rangePartitioning;
  if (t.requirePartitionFilter !== undefined) out.requirePartitionFilter = t.requirePartitionFilter;
  if (t.clustering !== undefined) out.clustering = t.clustering;
  if (t.schema !== undefined) out.schema = t.schema;
  return out;
}

export function dropNullLabels(labels: Record<string, string | null>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** tables.patch schema: may change descriptions and modes REQUIRED→NULLABLE, and add columns; not drop or retype. */
export function patchSchema(current: TableFieldSchema[], next: TableFieldSchema[], ref: TableReference): TableFieldSchema[] {
  for (const c of current) {
    const n = next.find((x) => x.name.toLowerCase() === c.name.toLowerCase());
    if (!n) throw new BigQueryApiError('invalid', `Provided Schema does not match Table ${ref.projectId}:${ref.datasetId}.${ref.tableId}. Field ${c.name} is missing in new schema`);
  }
  return next.map((n) => {
    const c = current.find((x) => x.name.toLowerCase() === n.name.toLowerCase());
    if (!c) return n;
    return { ...c, ...(n.description !== undefined ? { description: n.description } : {}), ...(n.mode === 'NULLABLE' && c.mode === 'REQUIRED' ? { mode: 'NULLABLE' as const } : {}), ...(c.fields ? { fields: n.fields ? patchSchema(c.fields, n.fields, ref) : c.fields } : {}) };
  });
}

/** The error DML, loads, streaming inserts and schema patches get on a materialized view (its rows and schema come from its query only). */
export function materializedViewNotWritable(ref: TableReference, what: string, reason: 'invalid' | 'invalidQuery' = 'invalidQuery'): BigQueryApiError {
  return new BigQueryApiError(reason, `Cannot ${what} materialized view ${ref.projectId}:${ref.datasetId}.${ref.tableId}: its rows and schema come from its query only`);
}
