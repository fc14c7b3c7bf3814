/**
 * The demo's warehouse for a command other than `npm start` (`landform serve`, `cost`, `extract`):
 * the embedded BigQuery on the state directory, held with the state lock so a running `npm start`
 * is named, never disturbed, and released when the warehouse stops, or when opening it fails.
 */
import { openBigQueryTarget, type BigQueryTarget } from './bigquery-target.js';
import { stateDir, statePaths, type StatePaths } from './paths.js';
import { acquireStateLock } from './state-lock.js';
import type { Logger } from '../common/logger.js';

export interface LockedDemoWarehouse {
  target: BigQueryTarget;
  paths: StatePaths;
  /** Stops the servers, then releases the lock. */
  stop(): Promise<void>;
}

export async function openLockedDemoWarehouse(options: {
  /** The command named to whoever finds the state locked. */
  command: string;
  /** Start the embedded GCS beside it (the stage and export buckets). */
  withGcs: boolean;
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Run while the lock is held, after the servers started; a failure stops them and releases the lock. */
  prepare?: (target: BigQueryTarget, paths: StatePaths) => Promise<void>;
}): Promise<LockedDemoWarehouse> {
  const paths = statePaths(stateDir(options.env));
  const lock = await acquireStateLock(paths.root, options.command);
  try {
    // The local data, always: a GOOGLE_CLOUD_PROJECT or emulator host left in the shell is ignored here.
    const target = await openBigQueryTarget({
      dataDir: paths.bigquery,
      ...(options.withGcs ? { gcsDir: paths.gcs } : {}),
      env: { ...options.env, GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '' },
      logger: options.logger,
    });
    try {
      await options.prepare?.(target, paths);
    } catch (error) {
      await target.stop();
      throw error;
    }
    return {
      target,
      paths,
      stop: async () => {
        try {
          await target.stop();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
