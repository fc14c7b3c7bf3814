import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryPath } from '../common/identifiers.js';
import type { DataformAction } from './dataform.js';
import type { AssertionDetail, DagNode, QuarantineReason } from './report/model.js';

type Row = Record<string, unknown>;

const SAMPLES = 3;
const FAILING_ROWS = 10;

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * Why rows were quarantined: per table and reason, the all-time count, this run's count and the newest
 * few rows. All of it from `landform_raw.quarantine`, never from the run's own counters.
 */
export async function readQuarantine(bigquery: BigQuery, projectId: string, rawDataset: string, location: string, batchIds: string[]): Promise<QuarantineReason[]> {
  const table = bigQueryPath(projectId, rawDataset, 'quarantine');
  const [rows] = await bigquery.query({
    query: `select table_name, reason, row_json, quarantined_at, batch_id, n, n_this_run
            from (
              select table_name, reason, row_json, quarantined_at, batch_id,
                count(*) over (partition by table_name, reason) as n,
                countif(batch_id in unnest(@batch_ids)) over (partition by table_name, reason) as n_this_run,
                row_number() over (partition by table_name, reason order by quarantined_at desc, batch_id, row_json) as sample
              from ${table}
              where quarantined_at >= timestamp_sub(current_timestamp(), interval 400 day)
            )
            where sample <= @samples
            order by n desc, table_name, reason, sample`,
    params: { batch_ids: batchIds.length > 0 ? batchIds : [''], samples: SAMPLES },
    types: { batch_ids: ['STRING'] },
    location,
  });
  const byKey = new Map<string, QuarantineReason>();
  for (const r of rows as Row[]) {
    const key = `${text(r.table_name)}\u0000${text(r.reason)}`;
    const entry = byKey.get(key) ?? { table: text(r.table_name), reason: text(r.reason), count: Number(text(r.n)), thisRun: Number(text(r.n_this_run)), samples: [] };
    entry.samples.push(text(r.row_json));
    byKey.set(key, entry);
  }
  return [...byKey.values()];
}

/**
 * For each failed assertion: the rows its view returns (Dataform leaves it in the assertions dataset)
 * and its SQL, so the report shows what broke and how it was checked.
 */
export async function readFailedAssertions(bigquery: BigQuery, projectId: string, location: string, actions: DataformAction[], graph: DagNode[]): Promise<AssertionDetail[]> {
  const checkedBy = new Map<string, string>();
  for (const node of graph) for (const a of node.assertions) if (!checkedBy.has(a)) checkedBy.set(a, node.id);
  const failed = actions.filter((a) => a.kind === 'assertion' && a.status === 'failed');
  return Promise.all(failed.map(async (action): Promise<AssertionDetail> => {
    const [dataset = '', name = ''] = action.target.split('.');
    const detail: AssertionDetail = { target: action.target, table: checkedBy.get(action.target) ?? null, rows: [], sql: null };
    try {
      const [meta] = await bigquery.dataset(dataset).table(name).getMetadata();
      detail.sql = (meta as { view?: { query?: string } }).view?.query ?? null;
      const [rows] = await bigquery.query({ query: `select * from ${bigQueryPath(projectId, dataset, name)} limit ${FAILING_ROWS}`, location });
      detail.rows = (rows as Row[]).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, text(v)])));
    } catch {
      // The view may be gone (a later run replaced it): the report then shows the failure without rows.
    }
    return detail;
  }));
}
