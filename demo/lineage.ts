import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryPath } from '../common/identifiers.js';
import type { Freshness, LineageBatch } from './report/model.js';

type Row = Record<string, unknown>;

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'object' && 'value' in value) return String((value as { value: unknown }).value);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

function int(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value);
}

/** Succeeded batches recorded so far; 0 when the lineage table does not exist yet (a first load). */
export async function countSucceededBatches(bigquery: BigQuery, projectId: string, rawDataset: string, location: string): Promise<number> {
  try {
    const [rows] = await bigquery.query({
      query: `select count(*) as n from ${bigQueryPath(projectId, rawDataset, 'export_batches')}
              where started_at >= timestamp '2000-01-01' and status = 'succeeded'`,
      location,
    });
    return int((rows as Row[])[0]?.n);
  } catch (error) {
    if (/not ?found/i.test((error as Error).message) || (error as { code?: number }).code === 404) return 0;
    throw error;
  }
}

/** The newest batches in `export_batches` (the lineage the report shows), newest first. */
export async function readLineage(bigquery: BigQuery, projectId: string, rawDataset: string, location: string, limit = 200): Promise<LineageBatch[]> {
  const [rows] = await bigquery.query({
    query: `select batch_id, table_name, status, started_at, finished_at, watermark_from, watermark_to, rows_extracted, rows_loaded,
              rows_skipped_duplicate, rows_quarantined, contract_hash, error
            from ${bigQueryPath(projectId, rawDataset, 'export_batches')}
            where started_at >= timestamp_sub(current_timestamp(), interval 400 day)
            order by started_at desc, table_name
            limit @limit`,
    params: { limit },
    location,
  });
  return (rows as Row[]).map((r) => ({
    batchId: String(r.batch_id), table: String(r.table_name), status: String(r.status),
    startedAt: iso(r.started_at), finishedAt: iso(r.finished_at), watermarkFrom: iso(r.watermark_from), watermarkTo: iso(r.watermark_to),
    rowsExtracted: int(r.rows_extracted), rowsLoaded: int(r.rows_loaded), rowsSkippedDuplicate: int(r.rows_skipped_duplicate),
    rowsQuarantined: int(r.rows_quarantined), contractHash: String(r.contract_hash ?? ''), error: r.error === null || r.error === undefined ? null : String(r.error),
  }));
}

/** Per table: the last successful batch and how far its newest landed cursor is behind `now`. */
export function freshnessOf(batches: LineageBatch[], tables: string[], now: Date): Freshness[] {
  return tables.map((table) => {
    const ok = batches.filter((b) => b.table === table && b.status === 'succeeded');
    const last = ok.map((b) => b.finishedAt).filter((t): t is string => t !== null).sort().pop() ?? null;
    const mark = ok.map((b) => b.watermarkTo).filter((t): t is string => t !== null).sort().pop() ?? null;
    return { table, lastSuccessAt: last, watermarkTo: mark, lagMinutes: mark === null ? null : (now.getTime() - Date.parse(mark)) / 60_000 };
  });
}
