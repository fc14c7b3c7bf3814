/**
 * The loader in a child process on a GCS stage (the embedded GCS), killed with SIGKILL before the
 * publish when LANDFORM_TEST_CRASH_AT=beforePublish, as a crashed Cloud Run task dies. Driven by
 * gcs-stage.test.ts: DATABASE_URL, LANDFORM_TEST_BQ_URL, LANDFORM_TEST_BQ_TOKEN, LANDFORM_TEST_GCS_URL,
 * LANDFORM_TEST_CRASH_AT.
 */
import { pino } from 'pino';
import { runLoad } from '../../../loader/index.js';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const crash = process.env.LANDFORM_TEST_CRASH_AT === 'beforePublish';
const results = await runLoad({
  databaseUrl: need('DATABASE_URL'),
  projectId: 'landform-local',
  location: 'US',
  rawDataset: 'landform_raw',
  env: 'test',
  stage: { kind: 'gcs', bucket: 'landform-stage', apiEndpoint: need('LANDFORM_TEST_GCS_URL') },
  bigquery: bigQueryClientFor(need('LANDFORM_TEST_BQ_URL'), 'landform-local', need('LANDFORM_TEST_BQ_TOKEN')),
  tables: ['telemetry_readings'],
  logger: pino({ level: process.env.LANDFORM_TEST_LOG ?? 'silent' }, pino.destination(2)),
  hooks: crash ? { beforePublish: () => void process.kill(process.pid, 'SIGKILL') } : {},
  owner: 'gcs-crash-test-job',
  stagePartBytes: 16 * 1024,
});
process.stdout.write(`${JSON.stringify(results)}\n`);
