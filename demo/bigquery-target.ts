import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { projectId as checkProjectId } from '../common/identifiers.js';
import type { Logger } from '../common/logger.js';

export const LOCAL_PROJECT_ID = 'landform-local';
export const LOCAL_LOCATION = 'US';

/** Where the demo lands and models data: the embedded BigQuery (default) or a real GCP project. */
export interface BigQueryTarget {
  kind: 'embedded' | 'gcp';
  projectId: string;
  location: string;
  /** A real @google-cloud/bigquery client for this process. */
  bigquery: BigQuery;
  /** Environment for child processes (the Dataform CLI) that must reach the same warehouse. */
  childEnv: NodeJS.ProcessEnv;
  /** Endpoint for people: a URL for the embedded server, the project for GCP. */
  describe: string;
  stop(): Promise<void>;
}

/**
 * A real GCP project when GOOGLE_CLOUD_PROJECT is set and BIGQUERY_EMULATOR_HOST is not (application
 * default credentials, as the seeds ask); otherwise the embedded BigQuery, persisted under `dataDir`.
 */
export async function openBigQueryTarget(options: { dataDir: string; env: NodeJS.ProcessEnv; logger: Logger }): Promise<BigQueryTarget> {
  const { env, logger } = options;
  const { BigQuery } = await import('@google-cloud/bigquery');
  const gcpProject = env.GOOGLE_CLOUD_PROJECT;
  if (gcpProject !== undefined && gcpProject !== '' && (env.BIGQUERY_EMULATOR_HOST ?? '') === '') {
    const projectId = checkProjectId(gcpProject);
    const location = env.LANDFORM_LOCATION ?? LOCAL_LOCATION;
    return {
      kind: 'gcp', projectId, location, bigquery: new BigQuery({ projectId, location }), childEnv: { ...env },
      describe: `GCP project ${projectId} (${location})`, stop: async () => undefined,
    };
  }
  const { startEmbeddedBigQuery } = await import('@landform/embedded-bigquery');
  const { OAuth2Client } = await import('google-auth-library');
  await mkdir(options.dataDir, { recursive: true });
  const server = await startEmbeddedBigQuery({ port: 0, dataPath: options.dataDir, projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, logger });
  // In-process client: endpoint and token by option, so this process's environment stays untouched.
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'embedded', expiry_date: Date.now() + 24 * 3600 * 1000 });
  const bigquery = new BigQuery({ projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, apiEndpoint: server.url, authClient });
  return {
    kind: 'embedded', projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, bigquery, childEnv: { ...env, ...server.env },
    describe: `embedded BigQuery ${server.url} (data in ${options.dataDir})`, stop: () => server.stop(),
  };
}

/** Dataform's credentials file: project and location only, so it authenticates with the environment's credentials. */
export async function writeDataformCredentials(file: string, target: Pick<BigQueryTarget, 'projectId' | 'location'>): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ projectId: target.projectId, location: target.location })}\n`);
  return file;
}
