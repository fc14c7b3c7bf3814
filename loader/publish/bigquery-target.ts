/**
 * The raw dataset as the loader talks to it: validated paths, and queries with typed named
 * parameters, each run as a job (its id goes to the logs) under the retry policy.
 */
import { BigQuery, type Query } from '@google-cloud/bigquery';
import { bigQueryPath } from '../../common/identifiers.js';
import type { Logger } from '../../common/logger.js';
import { withRetry, type RetryOptions } from '../retry.js';
import { DEFAULT_TIMEOUTS, type LoaderTimeouts } from '../timeouts.js';
import { waitForQueryRows } from './job-wait.js';

export type ParamType = 'STRING' | 'INT64' | 'TIMESTAMP' | 'DATE' | 'BOOL' | 'FLOAT64';
export type Param = { type: ParamType; value: string | number | boolean | null };

export interface BigQueryTarget {
  bigquery: BigQuery;
  projectId: string;
  dataset: string;
  location?: string;
  logger?: Logger;
  retry?: RetryOptions;
  /** Job deadline and per-request timeout (uploads); DEFAULT_TIMEOUTS when omitted. */
  timeouts?: Pick<LoaderTimeouts, 'jobMs' | 'requestMs'>;
}

export function jobTimeoutMs(target: BigQueryTarget): number {
  return target.timeouts?.jobMs ?? DEFAULT_TIMEOUTS.jobMs;
}

/** `project.dataset.table`, backticked, after identifier validation. */
export function tablePath(target: BigQueryTarget, table: string): string {
  return bigQueryPath(target.projectId, target.dataset, table);
}

function toQueryParams(params: Record<string, Param>): { params: Record<string, unknown>; types: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const types: Record<string, string> = {};
  for (const [name, { type, value }] of Object.entries(params)) {
    types[name] = type;
    if (value === null) values[name] = null;
    else if (type === 'TIMESTAMP') values[name] = BigQuery.timestamp(String(value));
    else if (type === 'DATE') values[name] = BigQuery.date(String(value));
    else values[name] = value;
  }
  return { params: values, types };
}

export interface QueryOutcome<Row> {
  rows: Row[];
  jobId: string;
  /** Rows a DML statement changed, when BigQuery reports it. */
  affected?: number;
}

/** Runs one query (or script) as a job and waits for its rows. Transient failures retry the whole job. */
export async function runQuery<Row = Record<string, unknown>>(target: BigQueryTarget, label: string, sql: string, params: Record<string, Param> = {}): Promise<QueryOutcome<Row>> {
  return withRetry(
    async () => {
      // jobTimeoutMs lets BigQuery itself stop the job; the wait below gives up (and cancels) at the same deadline.
      const options: Query = { query: sql, jobPrefix: 'landform_loader_', jobTimeoutMs: jobTimeoutMs(target), ...(target.location ? { location: target.location } : {}) };
      if (Object.keys(params).length > 0) Object.assign(options, toQueryParams(params));
      const [job] = await target.bigquery.createQueryJob(options);
      const { rows, affected } = await waitForQueryRows(job, jobTimeoutMs(target), target.logger);
      target.logger?.debug({ op: label, jobId: job.id }, 'query done');
      return { rows: rows as Row[], jobId: job.id ?? '', ...(affected !== undefined ? { affected } : {}) };
    },
    { label, ...(target.logger ? { logger: target.logger } : {}), ...target.retry },
  );
}
