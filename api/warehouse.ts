/**
 * The API's only door to BigQuery: parameterized query jobs with `maximumBytesBilled` on each, the
 * job id and bytes processed kept for the request log, and warehouse errors turned into a sentence
 * for people (the SQL and the driver's message stay in the server log).
 */
import { BigQuery } from '@google-cloud/bigquery';
import type { Logger } from '../common/logger.js';
import { ProblemError } from './problem.js';

export type ParamType = 'STRING' | 'INT64' | 'DATE' | 'TIMESTAMP';

export interface QuerySpec {
  /** A name for logs (`vendor_kpis`), never shown to clients. */
  name: string;
  sql: string;
  params: Record<string, string | number>;
  types: Record<string, ParamType>;
}

export interface QueryStats {
  query: string;
  jobId: string | null;
  bytesProcessed: number | null;
  cacheHit: boolean | null;
}

export interface QueryResult<T> {
  rows: T[];
  stats: QueryStats;
}

export interface WarehouseOptions {
  projectId: string;
  location: string;
  maximumBytesBilled: number;
  logger: Logger;
}

interface JobsQueryResponse {
  jobReference?: { jobId?: string };
  totalBytesProcessed?: string;
  cacheHit?: boolean;
}

export interface TableRef {
  dataset: string;
  table: string;
}

/**
 * Values as the client encodes them: it sends an empty value for a DATE or TIMESTAMP given as a plain
 * string with an explicit type, so those travel as BigQueryDate / BigQueryTimestamp (their type is implied).
 */
function encodeParams(spec: QuerySpec): { params: Record<string, unknown>; types: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const types: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec.params)) {
    const type = spec.types[name];
    if (type === 'DATE') params[name] = BigQuery.date(String(value));
    else if (type === 'TIMESTAMP') params[name] = BigQuery.timestamp(String(value));
    else {
      params[name] = value;
      if (type !== undefined) types[name] = type;
    }
  }
  return { params, types };
}

export class Warehouse {
  constructor(
    readonly bigquery: BigQuery,
    readonly options: WarehouseOptions,
  ) {}

  async run<T>(spec: QuerySpec): Promise<QueryResult<T>> {
    try {
      // The promise resolves to the callback's arguments (rows, next page, jobs.query response); the typings list two.
      const [rows, , response] = (await this.bigquery.query({
        query: spec.sql,
        ...encodeParams(spec),
        location: this.options.location,
        maximumBytesBilled: String(this.options.maximumBytesBilled),
        useQueryCache: true,
        labels: { landform_api: spec.name },
      })) as unknown as [unknown[], unknown, JobsQueryResponse | undefined];
      const meta = response ?? {};
      return {
        rows: rows as T[],
        stats: {
          query: spec.name,
          jobId: meta.jobReference?.jobId ?? null,
          bytesProcessed: meta.totalBytesProcessed !== undefined ? Number(meta.totalBytesProcessed) : null,
          cacheHit: meta.cacheHit ?? null,
        },
      };
    } catch (error) {
      const reason = (error as { errors?: { reason?: string }[] }).errors?.[0]?.reason;
      this.options.logger.error({ query: spec.name, reason, err: { message: (error as Error).message } }, 'warehouse query failed');
      if (reason === 'bytesBilledLimitExceeded') throw new ProblemError(502, 'the query would scan more than this server may bill per request (LANDFORM_API_MAX_BYTES_BILLED)');
      throw new ProblemError(502, 'the warehouse query failed; the server log has the details under this request id');
    }
  }

  /** One sentence per missing dataset or table, in the order given; empty when every one exists. */
  async missing(tables: TableRef[]): Promise<string[]> {
    const problems: string[] = [];
    const datasets = [...new Set(tables.map((t) => t.dataset))];
    const absent = new Set<string>();
    for (const name of datasets) {
      if (!(await this.exists(() => this.bigquery.dataset(name).exists()))) {
        absent.add(name);
        problems.push(`dataset ${this.options.projectId}.${name} does not exist (run the Dataform project: npm start, or the GCP workflow)`);
      }
    }
    for (const { dataset, table } of tables) {
      if (absent.has(dataset)) continue;
      if (!(await this.exists(() => this.bigquery.dataset(dataset).table(table).exists()))) {
        problems.push(`table ${this.options.projectId}.${dataset}.${table} does not exist (run the Dataform project: npm start, or the GCP workflow)`);
      }
    }
    return problems;
  }

  private async exists(check: () => Promise<[boolean]>): Promise<boolean> {
    try {
      const [found] = await check();
      return found;
    } catch (error) {
      this.options.logger.warn({ err: { message: (error as Error).message } }, 'readiness check could not reach BigQuery');
      return false;
    }
  }
}
