/**
 * The loader in a child process, killed (SIGKILL: no cleanup, no failure record) at the n-th call
 * of a named hook, the way a crashed Cloud Run task dies. Used by deletes.test.ts and
 * backfill.test.ts. Environment: DATABASE_URL, LANDFORM_TEST_BQ_URL, LANDFORM_TEST_STAGE,
 * LANDFORM_TEST_CONTRACTS, LANDFORM_TEST_TABLES, LANDFORM_TEST_KILL_AT (`<hook>:<n>`, e.g.
 * `afterPublish:2`, or `never`), and for a backfill LANDFORM_TEST_BACKFILL (`from,to,batchSeconds`).
 * Prints the results as one JSON line when it is not killed.
 */
import { runLoad, type LoaderConfig, type LoaderHooks } from '../../loader/index.js';
import { childLoaderConfig } from './support/child-loader-config.js';

const [hook = 'never', nth = '1'] = (process.env.LANDFORM_TEST_KILL_AT ?? 'never').split(':');
let calls = 0;
const maybeDie = () => {
  calls += 1;
  if (calls === Number(nth)) process.kill(process.pid, 'SIGKILL');
};
const hooks: LoaderHooks = { [hook]: maybeDie };

const backfill = process.env.LANDFORM_TEST_BACKFILL?.split(',');
const config: LoaderConfig = {
  // The same scheduled job re-run: it takes back the lease its killed run left.
  ...childLoaderConfig(hooks, 'crash-child-job'),
  // What these crash tests are about is not the stage format: JSONL.
  stageFormat: 'jsonl',
  ...(backfill ? { backfill: { from: backfill[0] ?? '', to: backfill[1] ?? '' }, backfillBatchSeconds: Number(backfill[2]) } : {}),
};
const results = await runLoad(config);
process.stdout.write(`${JSON.stringify(results)}\n`);
