/**
 * The loader run behind the export trigger: `runLoad` from loader/, configured the way
 * `landform load` configures it (DATABASE_URL from the environment; the stage the caller gives:
 * gs://landform-stage on the demo's embedded GCS, LANDFORM_BUCKET on GCP, else the local stage
 * directory; the same BigQuery client the API reads with).
 */
import type { BigQuery } from '@google-cloud/bigquery';
import type { Logger } from '../common/logger.js';
import { redactText, secretsOf } from '../common/redact.js';
import type { LoaderConfig, LoaderHooks } from '../loader/index.js';
import type { LoadRunner } from './exports.js';

export interface ExportRunnerOptions {
  /** The source database; resolved per run, so a demo can start its embedded Postgres only when asked. */
  databaseUrl: () => Promise<{ url: string; release(): Promise<void> }>;
  projectId: string;
  location: string;
  bigquery: BigQuery;
  rawDataset?: string;
  stage: LoaderConfig['stage'];
  env?: string;
  logger: Logger;
  /** For tests: the loader's pause points. */
  hooks?: LoaderHooks;
}

export function createExportRunner(options: ExportRunnerOptions): LoadRunner {
  return async (tables) => {
    const { runLoad } = await import('../loader/index.js');
    const source = await options.databaseUrl();
    try {
      return await runLoad({
        databaseUrl: source.url,
        projectId: options.projectId,
        location: options.location,
        rawDataset: options.rawDataset ?? 'landform_raw',
        env: options.env ?? 'local',
        stage: options.stage,
        bigquery: options.bigquery,
        logger: options.logger,
        progress: false,
        ...(tables ? { tables } : {}),
        ...(options.hooks ? { hooks: options.hooks } : {}),
      });
    } finally {
      await source.release();
    }
  };
}

/** Masks the secrets of a database URL wherever they appear in a run's error text. */
export function redactorFor(databaseUrl: string | undefined): (text: string) => string {
  const secrets = databaseUrl ? secretsOf(databaseUrl) : [];
  return (text) => redactText(text, secrets);
}
