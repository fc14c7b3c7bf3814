import type { DatasetReference, LoadOptions, QueryParameter, QueryResult, TableReference, TableSchema } from '../engine/types.js';

/** `configuration.extract` as the REST API sends it. */
export interface ExtractJobConfig {
  sourceTable?: TableReference & { projectId?: string };
  sourceModel?: unknown;
  destinationUri?: string;
  destinationUris?: string[];
  destinationFormat?: string;
  compression?: string;
  printHeader?: boolean;
  fieldDelimiter?: string;
  [key: string]: unknown;
}

export type JobState = 'PENDING' | 'RUNNING' | 'DONE';

export interface JobErrorProto {
  reason: string;
  message: string;
  location?: string;
}

export interface QueryJobConfig {
  query: string;
  useLegacySql?: boolean;
  defaultDataset?: DatasetReference;
  parameterMode?: 'NAMED' | 'POSITIONAL';
  queryParameters?: QueryParameter[];
  destinationTable?: TableReference;
  writeDisposition?: LoadOptions['writeDisposition'];
  createDisposition?: LoadOptions['createDisposition'];
  [key: string]: unknown;
}

export interface LoadJobConfig extends Omit<LoadOptions, 'sourceFormat'> {
  destinationTable: TableReference;
  sourceFormat?: string;
  sourceUris?: string[];
  [key: string]: unknown;
}

export interface CopyJobConfig {
  sourceTable?: TableReference;
  sourceTables?: TableReference[];
  destinationTable: TableReference;
  writeDisposition?: LoadOptions['writeDisposition'];
  createDisposition?: LoadOptions['createDisposition'];
  [key: string]: unknown;
}

export interface JobConfiguration {
  jobType?: 'QUERY' | 'LOAD' | 'COPY' | 'EXTRACT';
  dryRun?: boolean;
  labels?: Record<string, string>;
  query?: QueryJobConfig;
  load?: LoadJobConfig;
  copy?: CopyJobConfig;
  extract?: ExtractJobConfig;
  [key: string]: unknown;
}

export interface JobReference {
  projectId: string;
  jobId: string;
  location: string;
}

/** The Job resource as BigQuery returns it (int64 fields as decimal strings). */
export interface JobResource {
  kind: 'bigquery#job';
  id: string;
  etag: string;
  selfLink: string;
  user_email: string;
  jobReference: JobReference;
  configuration: JobConfiguration;
  status: { state: JobState; errorResult?: JobErrorProto; errors?: JobErrorProto[] };
  statistics: {
    creationTime: string;
    startTime?: string;
    endTime?: string;
    totalBytesProcessed?: string;
    numChildJobs?: string;
    /** The session the query ran in. */
    sessionInfo?: { sessionId: string };
    query?: Record<string, unknown>;
    load?: Record<string, unknown>;
    copy?: Record<string, unknown>;
    extract?: Record<string, unknown>;
  };
}

/** Where a finished query job's rows live: in memory, or in the destination table it wrote. */
export type QueryOutput = { kind: 'memory'; result: QueryResult } | { kind: 'table'; table: TableReference; schema: TableSchema; totalRows: number; statementType: string };
