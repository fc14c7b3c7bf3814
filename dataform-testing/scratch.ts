/**
 * A scratch warehouse for one test run: an in-memory embedded BigQuery with its own token, a client
 * for this process, and the environment and credentials file for the Dataform CLI. `stop()` leaves
 * nothing behind: the data was only ever in memory, and the temp dir is removed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { LOCAL_LOCATION, LOCAL_PROJECT_ID } from '../demo/bigquery-target.js';
import { prepareDataformSetup } from '../demo/dataform-env.js';

export interface ScratchWarehouse {
  bigquery: BigQuery;
  /** For the Dataform CLI: this process's environment pointed at the scratch server. */
  env: NodeJS.ProcessEnv;
  credentialsFile: string;
  dir: string;
  stop(): Promise<void>;
}

export async function startScratchWarehouse(projectDir: string): Promise<ScratchWarehouse> {
  const [{ startEmbeddedBigQuery, generateToken }, { BigQuery }, { OAuth2Client }, { createLogger }] = await Promise.all([
    import('@landform/embedded-bigquery'), import('@google-cloud/bigquery'), import('google-auth-library'), import('../common/logger.js'),
  ]);
  const dir = await mkdtemp(path.join(tmpdir(), 'landform-test-'));
  const token = generateToken();
  const server = await startEmbeddedBigQuery({
    port: 0, dataPath: ':memory:', token, projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION,
    logger: createLogger('embedded-bigquery', process.env.LANDFORM_LOG_LEVEL || 'warn'),
  }).catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: token, expiry_date: Date.now() + 24 * 3600 * 1000 });
  const bigquery = new BigQuery({ projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, apiEndpoint: server.url, authClient });
  // The CLI gets the token from the server's metadata endpoint, as on GCP; none is in the environment.
  const setup = await prepareDataformSetup({ serverEnv: { ...server.env, CLOUDSDK_CONFIG: path.join(dir, 'gcloud') }, stateRoot: dir, projectDir });
  return {
    bigquery, env: { ...process.env, ...setup.env, HOME: dir }, credentialsFile: setup.credentialsFile, dir,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
