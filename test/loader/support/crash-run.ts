/**
 * Runs the loader in a child process and kills it (SIGKILL, no cleanup, no failure record) at a
 * named point, the way a crashed Cloud Run task dies. Driven by environment variables set by
 * crash.test.ts: DATABASE_URL, LANDFORM_TEST_BQ_URL, LANDFORM_TEST_STAGE, LANDFORM_TEST_CONTRACTS,
 * LANDFORM_TEST_TABLES, LANDFORM_TEST_CRASH_AT (beforePublish | afterPublish | never).
 */
import { runLoad, type LoaderHooks } from '../../../loader/index.js';
import { childLoaderConfig } from './child-loader-config.js';

const crashAt = process.env.LANDFORM_TEST_CRASH_AT ?? 'never';
const die = () => {
  process.kill(process.pid, 'SIGKILL');
};
const hooks: LoaderHooks = {
  beforePublish: crashAt === 'beforePublish' ? die : undefined,
  afterPublish: crashAt === 'afterPublish' ? die : undefined,
};

// Every child is the same scheduled job re-run: it takes back the lease its killed run left (a
// different owner would wait for the lease to lapse, which lease.test.ts covers).
const results = await runLoad(childLoaderConfig(hooks, 'crash-test-job'));
process.stdout.write(`${JSON.stringify(results)}\n`);
