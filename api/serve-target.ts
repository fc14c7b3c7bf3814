/**
 * Where `landform serve` reads: on embedded defaults (`--demo`, or no GOOGLE_CLOUD_PROJECT) the
 * embedded BigQuery on the demo's data directory, with the local signing key trusted; with
 * GOOGLE_CLOUD_PROJECT set, real BigQuery through application default credentials.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Logger } from '../common/logger.js';
import { openBigQueryTarget } from '../demo/bigquery-target.js';
import { stateDir, statePaths } from '../demo/paths.js';
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

export async function openServeTarget(options: { demo: boolean; env: NodeJS.ProcessEnv; logger: Logger }): Promise<ServeTarget> {
  const { env, logger } = options;
  const embedded = options.demo || (env.GOOGLE_CLOUD_PROJECT ?? '') === '';
  const paths = statePaths(stateDir(env));
  // --demo ignores a GOOGLE_CLOUD_PROJECT left in the shell: it means the local data, always.
  const targetEnv = embedded ? { ...env, GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '' } : env;
  const target = await openBigQueryTarget({ dataDir: paths.bigquery, env: targetEnv, logger });
  if (embedded) await ensureLocalKey(paths.root);
  const externalUrl = env.DATABASE_URL ?? '';
  let loadRunner: LoadRunner | null = null;
  if (env.LANDFORM_EXPORT_ENABLED === 'true' && (externalUrl !== '' || embedded)) {
    loadRunner = createExportRunner({
      databaseUrl: async () => {
        if (externalUrl !== '') return { url: externalUrl, release: async () => undefined };
        // The demo's embedded Postgres runs only for the duration of an export.
        const { openDemoSource } = await import('../demo/source.js');
        const source = await openDemoSource({ paths, env: { ...env, DATABASE_URL: '' }, logger });
        return { url: source.url, release: () => source.stop() };
      },
      projectId: target.projectId,
      location: target.location,
      bigquery: target.bigquery,
      stage: env.LANDFORM_BUCKET ? { kind: 'gcs', bucket: env.LANDFORM_BUCKET } : { kind: 'local', dir: paths.stage },
      env: env.LANDFORM_ENV ?? 'local',
      logger,
    });
  }
  return {
    bigquery: target.bigquery,
    projectId: target.projectId,
    location: target.location,
    local: embedded ? { stateDir: paths.root } : null,
    describe: target.describe,
    loadRunner,
    redact: redactorFor(externalUrl || undefined),
    stop: () => target.stop(),
  };
}
