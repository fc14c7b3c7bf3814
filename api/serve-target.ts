/**
 * Where `landform serve` reads: on embedded defaults (`--demo`, or no GOOGLE_CLOUD_PROJECT) the
 * embedded BigQuery on the demo's data directory, with the local signing key trusted; with
 * GOOGLE_CLOUD_PROJECT set, real BigQuery through application default credentials. On embedded
 * defaults the demo's embedded GCS runs beside it, as under `npm start`: the export trigger's loader
 * stages to gs://landform-stage there and the load jobs read those `gs://` URIs. The demo modules
 * load only on embedded defaults, so a deployed image needs api/ but not demo/.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { projectId as checkProjectId } from '../common/identifiers.js';
import type { Logger } from '../common/logger.js';
import type { LoaderConfig } from '../loader/index.js';
import { ensureLocalKey } from './auth/local-key.js';
import { createExportRunner, redactorFor } from './export-runner.js';
import type { LoadRunner } from './exports.js';

export interface ServeTarget {
  bigquery: BigQuery;
  projectId: string;
  location: string;
  /** Set on embedded defaults: the state directory whose local key verifies tokens. */
  local: { stateDir: string } | null;
  describe: string;
  loadRunner: LoadRunner | null;
  redact: (text: string) => string;
  stop(): Promise<void>;
}

interface Warehouse {
  bigquery: BigQuery;
  projectId: string;
  location: string;
  describe: string;
  stateDir: string | null;
  /** Where the export trigger's loader stages (the demo's embedded GCS on embedded defaults). */
  stage: LoaderConfig['stage'] | null;
  stop(): Promise<void>;
}

async function openWarehouse(embedded: boolean, env: NodeJS.ProcessEnv, logger: Logger): Promise<Warehouse> {
  if (!embedded) {
    const { BigQuery: Client } = await import('@google-cloud/bigquery');
    const projectId = checkProjectId(env.GOOGLE_CLOUD_PROJECT as string);
    const location = env.LANDFORM_LOCATION ?? 'US';
    return { bigquery: new Client({ projectId, location }), projectId, location, describe: `BigQuery project ${projectId} (${location})`, stateDir: null, stage: null, stop: async () => undefined };
  }
  const { LOCAL_STAGE_BUCKET } = await import('../demo/bigquery-target.js');
  const { openLockedDemoWarehouse } = await import('../demo/locked-warehouse.js');
  // the demo's embedded GCS too (its stage and export buckets), as `npm start` runs it
  const warehouse = await openLockedDemoWarehouse({
    command: 'serve', withGcs: true, env, logger,
    prepare: async (_target, paths) => {
      await ensureLocalKey(paths.root);
    },
  });
  const { target } = warehouse;
  return {
    ...target,
    stateDir: warehouse.paths.root,
    stage: target.gcs !== null ? { kind: 'gcs', bucket: LOCAL_STAGE_BUCKET, apiEndpoint: target.gcs.url } : null,
    stop: () => warehouse.stop(),
  };
}

function exportRunner(warehouse: Warehouse, env: NodeJS.ProcessEnv, logger: Logger): LoadRunner | null {
  const externalUrl = env.DATABASE_URL ?? '';
  const demoState = warehouse.stateDir;
  if (env.LANDFORM_EXPORT_ENABLED !== 'true' || (externalUrl === '' && demoState === null)) return null;
  return createExportRunner({
    databaseUrl: async () => {
      if (externalUrl !== '' || demoState === null) return { url: externalUrl, release: async () => undefined };
      // The demo's embedded Postgres runs only for the duration of an export.
      const { openDemoSource } = await import('../demo/source.js');
      const { statePaths } = await import('../demo/paths.js');
      const source = await openDemoSource({ paths: statePaths(demoState), env: { ...env, DATABASE_URL: '' }, logger });
      return { url: source.url, release: () => source.stop() };
    },
    projectId: warehouse.projectId,
    location: warehouse.location,
    bigquery: warehouse.bigquery,
    stage: warehouse.stage ?? (env.LANDFORM_BUCKET ? { kind: 'gcs', bucket: env.LANDFORM_BUCKET } : { kind: 'local', dir: '.landform/stage' }),
    env: env.LANDFORM_ENV ?? 'local',
    logger,
  });
}

export async function openServeTarget(options: { demo: boolean; env: NodeJS.ProcessEnv; logger: Logger }): Promise<ServeTarget> {
  const { env, logger } = options;
  const embedded = options.demo || (env.GOOGLE_CLOUD_PROJECT ?? '') === '';
  const warehouse = await openWarehouse(embedded, env, logger);
  return {
    bigquery: warehouse.bigquery,
    projectId: warehouse.projectId,
    location: warehouse.location,
    local: warehouse.stateDir !== null ? { stateDir: warehouse.stateDir } : null,
    describe: warehouse.describe,
    loadRunner: exportRunner(warehouse, env, logger),
    redact: redactorFor(env.DATABASE_URL || undefined),
    stop: () => warehouse.stop(),
  };
}
