/**
 * Dry runs of each planned action's statements on a warehouse (the embedded BigQuery, or a real
 * project): BigQuery's own `totalBytesProcessed` per job, with nothing written.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { PlannedAction } from './plan.js';
import { billedForJob } from './price.js';

export interface ActionBytes {
  target: string;
  kind: PlannedAction['kind'];
  jobs: number;
  bytesProcessed: number;
  bytesBilled: number;
  /** The dry run's error, when BigQuery refused a statement (the action's figures are then partial). */
  error?: string;
}

export async function dryRunActions(bigquery: BigQuery, actions: PlannedAction[], location: string): Promise<ActionBytes[]> {
  const out: ActionBytes[] = [];
  for (const action of actions) {
    const row: ActionBytes = { target: action.target, kind: action.kind, jobs: action.statements.length, bytesProcessed: 0, bytesBilled: 0 };
    for (const query of action.statements) {
      try {
        const [job] = await bigquery.createQueryJob({ query, dryRun: true, location, useLegacySql: false });
        const processed = Number(job.metadata?.statistics?.totalBytesProcessed ?? 0);
        row.bytesProcessed += processed;
        row.bytesBilled += billedForJob(processed);
      } catch (error) {
        row.error = ((error as Error).message ?? String(error)).split('\n')[0];
        break;
      }
    }
    out.push(row);
  }
  return out;
}
