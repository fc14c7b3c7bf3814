import type { Engine } from '../engine/types.js';
import type { Logger } from '../logger.js';
import type { JobManager } from './job-manager.js';

export interface ServerLimits {
  /** Largest JSON request body (jobs.insert, insertAll, tables.insert, ...). */
  maxJsonBodyBytes: number;
  /** Largest load-job upload, as received and after gunzip. */
  maxUploadBytes: number;
}

/** What every route module needs: the engine, the job manager and the server's defaults. */
export interface ServerContext {
  engine: Engine;
  jobs: JobManager;
  /** Location reported on datasets, tables and jobs that do not name one. */
  location: string;
  logger: Logger;
  /** Directory for uploaded load-job data, removed on stop. */
  uploadDir: string;
  limits: ServerLimits;
  /** Base URL of this server, for resumable upload session URIs. */
  baseUrl: () => string;
}
