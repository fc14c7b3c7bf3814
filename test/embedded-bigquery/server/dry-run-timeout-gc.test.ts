/**
 * A dry run's timeout survives garbage collection. Node 20 holds an AbortSignal.timeout inside
 * AbortSignal.any only weakly: a collection before the deadline lost the timeout, and a dry run
 * of a query needing minutes ran to its end (seen as a CI failure of job-control.test.ts).
 */
import { expect, test } from '@jest/globals';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startTestBigQuery } from '../../support/embedded-bigquery.js';
import { LONG_QUERY, within } from './long-query.js';

v8.setFlagsFromString('--expose_gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

test('a dry run under the default job timeout ends with reason timeout while garbage is collected every 50 ms', async () => {
  const bq = await startTestBigQuery({ defaultJobTimeoutMs: 1500 });
  const collecting = setInterval(collectGarbage, 50);
  try {
    const dry = (await within(20_000, 'the dry run', bq.bigquery.createQueryJob({ query: LONG_QUERY, dryRun: true }).then(() => undefined, (e: unknown) => e))) as { errors?: { reason?: string; message?: string }[] } | undefined;
    expect(dry?.errors?.[0]).toMatchObject({ reason: 'timeout', message: expect.stringMatching(/1500 ms/) });
  } finally {
    clearInterval(collecting);
    await bq.stop();
  }
}, 60_000);
