/**
 * The loader configuration of the crash-test child processes (crash-run.ts, crash-child.ts), read
 * from the environment their tests set: DATABASE_URL, LANDFORM_TEST_BQ_URL, LANDFORM_TEST_STAGE,
 * LANDFORM_TEST_CONTRACTS, LANDFORM_TEST_TABLES and optionally LANDFORM_TEST_LOG.
 */
import { pino } from 'pino';
import type { LoaderConfig, LoaderHooks } from '../../../loader/index.js';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';

export const needEnv = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/** `owner` is the same scheduled job on every re-run: it takes back the lease its killed run left. */
export function childLoaderConfig(hooks: LoaderHooks, owner: string): LoaderConfig {
  return {
    databaseUrl: needEnv('DATABASE_URL'),
    projectId: 'landform-local',
    location: 'US',
    rawDataset: 'landform_raw',
    env: 'test',
    stage: { kind: 'local', dir: needEnv('LANDFORM_TEST_STAGE') },
    bigquery: bigQueryClientFor(needEnv('LANDFORM_TEST_BQ_URL')),
    contractsDir: needEnv('LANDFORM_TEST_CONTRACTS'),
    tables: needEnv('LANDFORM_TEST_TABLES').split(','),
    logger: pino({ level: process.env.LANDFORM_TEST_LOG ?? 'silent' }, pino.destination(2)),
    hooks,
    owner,
  };
}
