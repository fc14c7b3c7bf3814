import type { Engine } from '../engine/types.js';
import type { Logger } from '../logger.js';
import type { JobManager } from './job-manager.js';

/** What every route module needs: the engine, the job manager and the server's defaults. */
export interface ServerContext {
  engine: Engine;
  jobs: JobManager;
  /** Location reported on datasets, tables and jobs that do not name one. */
  location: string;
  logger: Logger;
  /** Directory for uploaded load-job data, removed on stop. */
  uploadDir: string;
  /** Base URL of this server, for resumable upload session URIs. */
  baseUrl: () => string;
}
