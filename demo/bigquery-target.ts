import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import type { Storage } from '@google-cloud/storage';
import type { GcsTarget } from '@landform/embedded-bigquery';
import { projectId as checkProjectId } from '../common/identifiers.js';
import type { Logger } from '../common/logger.js';
import { DemoError } from './errors.js';

export const LOCAL_PROJECT_ID = 'landform-local';
export const LOCAL_LOCATION = 'US';
/** Buckets of the embedded GCS: the loader's stage and `landform extract`'s destination (contracts/exports name it). */
export const LOCAL_STAGE_BUCKET = 'landform-stage';
export const LOCAL_EXPORT_BUCKET = 'landform-exports';

/** The embedded GCS beside the embedded BigQuery: its API base and a real @google-cloud/storage client for it. */
export interface LocalGcs {
  url: string;
  storage: Storage;
  dataDir: string;
}

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
  /** The embedded GCS the embedded BigQuery loads from and extracts to (null for GCP, or when no directory was given). */
  gcs: LocalGcs | null;
  stop(): Promise<void>;
}

/**
 * A real GCP project when GOOGLE_CLOUD_PROJECT is set and BIGQUERY_EMULATOR_HOST is not (application
 * default credentials, as the seeds ask); otherwise the embedded BigQuery, persisted under `dataDir`,
 * and, when `gcsDir` is given, an embedded GCS persisted there, started first and handed to the
 * BigQuery as its Cloud Storage (load jobs read `gs://` URIs from it, extract jobs write to it), with
 * the stage and export buckets created.
 */
export async function openBigQueryTarget(options: { dataDir: string; gcsDir?: string; env: NodeJS.ProcessEnv; logger: Logger }): Promise<BigQueryTarget> {
  const { env, logger } = options;
  const { BigQuery } = await import('@google-cloud/bigquery');
  const gcpProject = env.GOOGLE_CLOUD_PROJECT;
  if (gcpProject !== undefined && gcpProject !== '' && (env.BIGQUERY_EMULATOR_HOST ?? '') === '') {
    const projectId = checkProjectId(gcpProject);
    const location = env.LANDFORM_LOCATION ?? LOCAL_LOCATION;
    const bigquery = new BigQuery({ projectId, location, autoRetry: false });
    // Readiness before anything is landed: a wrong project or missing credentials fail here, explained.
    await bigquery.query({ query: 'select 1', location }).catch((error: unknown) => {
      throw unreachableWarehouse(error, `GCP project ${projectId} (${location})`);
    });
    return {
      kind: 'gcp', projectId, location, bigquery: new BigQuery({ projectId, location }), childEnv: { ...env },
      describe: `GCP project ${projectId} (${location})`, gcs: null, stop: async () => undefined,
    };
  }
  const { startEmbeddedBigQuery } = await import('@landform/embedded-bigquery');
  const { OAuth2Client } = await import('google-auth-library');
  await mkdir(options.dataDir, { recursive: true });
  const gcs = options.gcsDir !== undefined ? await openLocalGcs(options.gcsDir, logger) : null;
  const server = await startEmbeddedBigQuery({
    port: 0, dataPath: options.dataDir, projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, logger,
    // extract jobs hand their files to the GCS in this process (no HTTP, no second copy); loads read over HTTP
    ...(gcs !== null ? { gcs: { url: gcs.url, putFile: gcs.putFile } } : {}),
  }).catch(async (error: unknown) => {
    await gcs?.stop();
    throw embeddedStartError(error, options.dataDir);
  });
  // In-process client: endpoint and token by option, so this process's environment stays untouched.
  const authClient = new OAuth2Client();
  authClient.setCredentials({ access_token: 'embedded', expiry_date: Date.now() + 24 * 3600 * 1000 });
  const bigquery = new BigQuery({ projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, apiEndpoint: server.url, authClient });
  return {
    kind: 'embedded', projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION, bigquery,
    childEnv: { ...env, ...server.env, ...(gcs !== null ? { STORAGE_EMULATOR_HOST: gcs.url } : {}) },
    describe: `embedded BigQuery ${server.url} (data in ${options.dataDir})${gcs !== null ? `, embedded GCS ${gcs.url} (data in ${gcs.dataDir})` : ''}`,
    gcs: gcs !== null ? { url: gcs.url, storage: gcs.storage, dataDir: gcs.dataDir } : null,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        await gcs?.stop();
      }
    },
  };
}

/** The embedded GCS on `dataDir`, with the demo's buckets. */
async function openLocalGcs(dataDir: string, logger: Logger): Promise<LocalGcs & { stop(): Promise<void>; putFile: NonNullable<GcsTarget['putFile']> }> {
  const { startEmbeddedGcs } = await import('@landform/embedded-gcs');
  const { Storage } = await import('@google-cloud/storage');
  const server = await startEmbeddedGcs({ port: 0, dataPath: dataDir, projectId: LOCAL_PROJECT_ID, logger }).catch((error: unknown) => {
    const message = (error as Error)?.message ?? String(error);
    const pid = /in use by another embedded GCS \(pid (\d+)\)/.exec(message)?.[1];
    if (pid !== undefined) {
      throw new DemoError(`the GCS data in ${dataDir} is in use by another process (pid ${pid}); stop that process, or set LANDFORM_HOME to another directory`, 2, { cause: error });
    }
    throw new DemoError(`the embedded GCS did not start with its data in ${dataDir} (${message.split('\n')[0]}); run again with --verbose, or \`landform reset\` to start from scratch`, 1, { cause: error });
  });
  // With a non-Google apiEndpoint the client sends no credentials (see test/support/embedded-gcs.ts).
  const storage = new Storage({ projectId: LOCAL_PROJECT_ID, apiEndpoint: server.url });
  try {
    for (const name of [LOCAL_STAGE_BUCKET, LOCAL_EXPORT_BUCKET]) {
      const [exists] = await storage.bucket(name).exists();
      if (!exists) await storage.createBucket(name, { location: LOCAL_LOCATION });
    }
  } catch (error) {
    await server.stop();
    throw new DemoError(`the embedded GCS at ${server.url} did not create the demo's buckets (${(error as Error).message}); run \`landform reset\` to start from scratch`, 1, { cause: error });
  }
  return {
    url: server.url, storage, dataDir, stop: () => server.stop(),
    putFile: (object: { bucket: string; name: string }, filePath: string, bytes?: AsyncIterable<Uint8Array>) => server.putFile(object.bucket, object.name, filePath, bytes ? { bytes } : {}),
  };
}

/** Dataform's credentials file: project and location only, so it authenticates with the environment's credentials. */
export async function writeDataformCredentials(file: string, target: Pick<BigQueryTarget, 'projectId' | 'location'>): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ projectId: target.projectId, location: target.location })}\n`);
  return file;
}

/** DuckDB's "Could not set lock on file ... (PID n)" and friends, as a sentence naming the holder. */
export function embeddedStartError(error: unknown, dataDir: string): DemoError {
  const message = (error as Error)?.message ?? String(error);
  const lock = /Could not set lock on file[\s\S]*?PID (\d+)/i.exec(message);
  if (lock !== null || /Could not set lock/i.test(message)) {
    const pid = lock?.[1];
    return new DemoError(`the BigQuery data in ${dataDir} is in use by another process${pid !== undefined ? ` (pid ${pid})` : ''}, such as a \`landform bigquery\` still running on it; stop that process, or set LANDFORM_HOME to another directory`, 2, { cause: error });
  }
  return new DemoError(`the embedded BigQuery did not start with its data in ${dataDir} (${message.split('\n')[0]}); run again with --verbose, or \`landform reset\` to start from scratch`, 1, { cause: error });
}

/** A warehouse that does not answer, named with what to check. */
export function unreachableWarehouse(error: unknown, what: string): DemoError {
  const e = error as { code?: string | number; message?: string };
  const first = (e.message ?? String(error)).split('\n')[0];
  if (/Could not load the default credentials|invalid_grant|Unable to detect a Project Id/i.test(first ?? '')) {
    return new DemoError(`cannot authenticate to BigQuery for ${what}: ${first}; run \`gcloud auth application-default login\`, or unset GOOGLE_CLOUD_PROJECT to use the embedded BigQuery`, 2, { cause: error });
  }
  return new DemoError(`BigQuery for ${what} did not answer (${first}); check the network and the project id, or unset GOOGLE_CLOUD_PROJECT to use the embedded BigQuery`, 2, { cause: error });
}
