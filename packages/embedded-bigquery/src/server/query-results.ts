import type { Engine, Row, TableSchema } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import { timestampsAsSeconds } from './cell-format.js';
import { HttpError, statusOfReason } from './http-error.js';
import type { Job } from './job-manager.js';

/** Rows per getQueryResults page when the client sets no maxResults (BigQuery pages at ~10 MB). */
const DEFAULT_PAGE_ROWS = 20_000;

export interface PageRequest {
  startIndex: number;
  /** Rows per page; 0 asks for none (clients use it to wait for completion only); unset is the default page. */
  maxResults?: number;
  useInt64Timestamp: boolean;
}

/** The body of a finished job's getQueryResults (or jobs.query) page, as BigQuery shapes it. */
export async function resultsPage(engine: Engine, job: Job, page: PageRequest): Promise<Record<string, unknown>> {
  const { resource } = job;
  const { errorResult } = resource.status;
  if (errorResult) throw new HttpError(statusOfReason(errorResult.reason), errorResult.reason, errorResult.message, errorResult.location);

  const base: Record<string, unknown> = {
    jobReference: resource.jobReference,
    jobComplete: true,
    cacheHit: false,
    ...(resource.statistics.sessionInfo ? { sessionInfo: resource.statistics.sessionInfo } : {}),
  };
  const queryStats = resource.statistics.query;
  if (queryStats) {
    base.totalBytesProcessed = queryStats.totalBytesProcessed;
    if (queryStats.numDmlAffectedRows !== undefined) base.numDmlAffectedRows = queryStats.numDmlAffectedRows;
  }
  if (!resource.configuration.query) return { ...base, totalRows: '0' };

  const output = job.output;
  if (!output) throw new BigQueryApiError('notFound', `Not found: results of job ${resource.id} are no longer kept by the embedded BigQuery`);
  const size = page.maxResults ?? DEFAULT_PAGE_ROWS;

  let schema: TableSchema;
  let rows: Row[];
  let totalRows: number;
  if (output.kind === 'memory') {
    schema = output.result.schema;
    totalRows = output.result.rows.length;
    rows = size === 0 ? [] : output.result.rows.slice(page.startIndex, page.startIndex + size);
    if (!page.useInt64Timestamp) rows = timestampsAsSeconds(schema.fields, rows);
  } else if (size === 0) {
    schema = output.schema;
    rows = [];
    totalRows = output.totalRows;
  } else {
    const read = await engine.readRows(output.table, { startIndex: page.startIndex, maxResults: size, useInt64Timestamp: page.useInt64Timestamp });
    schema = read.schema;
    rows = read.rows;
    totalRows = read.totalRows;
  }
  const next = page.startIndex + rows.length;
  const isDmlOrDdl = output.kind === 'memory' && schema.fields.length === 0;
  return {
    ...base,
    ...(isDmlOrDdl ? {} : { schema }),
    totalRows: String(totalRows),
    ...(rows.length > 0 ? { rows } : {}),
    ...(next < totalRows && rows.length > 0 ? { pageToken: String(next) } : {}),
  };
}
