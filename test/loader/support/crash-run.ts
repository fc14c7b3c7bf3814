/**
 * Runs the loader in a child process and kills it (SIGKILL, no cleanup, no failure record) at a
 * named point, the way a crashed Cloud Run task dies. Driven by environment variables set by
 * crash.test.ts: DATABASE_URL, LANDFORM_TEST_BQ_URL, LANDFORM_TEST_STAGE, LANDFORM_TEST_CONTRACTS,
 * LANDFORM_TEST_TABLES, LANDFORM_TEST_CRASH_AT (beforePublish | afterPublish | never).
 */
import { pino } from 'pino';
import { runLoad, type LoaderHooks } from '../../../loader/index.js';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const crashAt = process.env.LANDFORM_TEST_CRASH_AT ?? 'never';
const die = () => {
  process.kill(process.pid, 'SIGKILL');
};
const hooks: LoaderHooks = {
  beforePublish: crashAt === 'beforePublish' ? die : undefined,
  afterPublish: crashAt === 'afterPublish' ? die : undefined,
};

const results = await runLoad({
  databaseUrl: need('DATABASE_URL'),
  projectId: 'landform-local',
  location: 'US',
  rawDataset: 'landform_raw',
  env: 'test',
  stage: { kind: 'local', dir: need('LANDFORM_TEST_STAGE') },
  bigquery: bigQueryClientFor(need('LANDFORM_TEST_BQ_URL')),
  contractsDir: need('LANDFORM_TEST_CONTRACTS'),
  tables: need('LANDFORM_TEST_TABLES').split(','),
  logger: pino({ level: process.env.LANDFORM_TEST_LOG ?? 'silent' }, pino.destination(2)),
  hooks,
  // Every child is the same scheduled job re-run: it takes back the lease its killed run left (a
  // different owner would wait for the lease to lapse, which lease.test.ts covers).
  owner: 'crash-test-job',
});
process.stdout.write(`${JSON.stringify(results)}\n`);
