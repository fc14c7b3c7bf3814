/**
 * Retries and the dead-letter prefix, with faults injected at the edge of a real S3 copy (s3rver):
 * a connection reset on the first upload is retried after a backoff and only the copy is redone;
 * a destination that keeps failing ends in FAILURE, its retry history in the dead-letter prefix.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { runExtracts, type CopyTarget, type ExportOutcome } from '../../extracts/index.js';
import { S3Target } from '../../extracts/s3-target.js';
import { startTestBigQuery, TEST_PROJECT_ID, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';
import { startTestS3, type TestS3 } from './copy-servers.js';

const yaml = (name: string): string => `name: ${name}
description: retry test export
entity: ${name}
source:
  table: marts.daily
format: csv
compression: none
destinations:
  - kind: gcs
    bucket: exports-main
  - kind: s3
    bucket: dr-bucket
`;

function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

/** The real S3 target, whose uploads fail with a connection reset while `failures()` says so. */
class FlakyTarget implements CopyTarget {
  readonly kind = 's3' as const;
  constructor(
    private readonly inner: S3Target,
    private readonly failures: () => boolean,
  ) {}
  uri(name: string): string {
    return this.inner.uri(name);
  }
  async put(name: string, body: Readable, size: number): Promise<void> {
    if (this.failures()) {
      body.destroy();
      throw connectionReset();
    }
    await this.inner.put(name, body, size);
  }
  read(name: string): Promise<Readable> {
    return this.inner.read(name);
  }
}

describe('retries and dead letters', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let s3: TestS3;
  let dir: string;
  const delays: number[] = [];

  const run = (name: string, failing: () => boolean): Promise<ExportOutcome[]> =>
    runExtracts({
      bigquery: bq.bigquery,
      storage: gcs.storage,
      projectId: TEST_PROJECT_ID,
      rawDataset: 'landform_raw',
      env: 'ci',
      exportsDir: dir,
      only: [name],
      now: new Date('2025-09-16T01:00:00Z'),
      retry: { attempts: 3, baseDelayMs: 100, sleep: async (ms) => void delays.push(ms), random: () => 1 },
      copyTargets: async (d) => new FlakyTarget(new S3Target(s3.client, d.kind === 's3' ? d.bucket : ''), failing),
    });
  const extractJobs = async (): Promise<number> => (await bq.bigquery.getJobs())[0].filter((j) => j.metadata?.configuration?.extract).length;

  beforeAll(async () => {
    [gcs, s3] = await Promise.all([startTestGcs(), startTestS3(['dr-bucket'])]);
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
    await gcs.storage.createBucket('exports-main');
    await bq.bigquery.createDataset('landform_raw');
    const [marts] = await bq.bigquery.createDataset('marts');
    const [table] = await marts.createTable('daily', { schema: { fields: [{ name: 'n', type: 'INTEGER' }] } });
    await table.insert([{ n: 1 }, { n: 2 }]);
    dir = await mkdtemp(join(tmpdir(), 'landform-retry-exports-'));
    await writeFile(join(dir, 'flaky_once.yaml'), yaml('flaky_once'));
    await writeFile(join(dir, 'always_down.yaml'), yaml('always_down'));
  });
  afterAll(async () => {
    await bq?.stop();
    await Promise.all([gcs?.stop(), s3?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a transient copy failure is retried after a backoff, without a second extract job', async () => {
    const before = await extractJobs();
    let calls = 0;
    const [outcome] = await run('flaky_once', () => ++calls === 1);
    expect(outcome).toMatchObject({ status: 'SUCCESS', attempts: 2 });
    expect(await extractJobs()).toBe(before + 1);
    // full jitter with random() = 1: the ceiling itself, base * 2^0
    expect(delays).toEqual([100]);
  });

  test('a destination that keeps failing: FAILURE marker, no SUCCESS, no token, request/error/history in the dead letter', async () => {
    delays.length = 0;
    const [outcome] = await run('always_down', () => true);
    expect(outcome).toMatchObject({ status: 'FAILURE', attempts: 3 });
    expect(delays).toEqual([100, 200]);
    const bucket = gcs.storage.bucket('exports-main');
    const folder = 'ci/marts/always_down/2025/09/16';
    expect((await bucket.file(`${folder}/SUCCESS`).exists())[0]).toBe(false);
    const failure = JSON.parse((await bucket.file(`${folder}/FAILURE`).download())[0].toString('utf8'));
    expect(failure).toMatchObject({ status: 'FAILURE', error: 'socket hang up', retry_count: 2 });
    const [dead] = await bucket.getFiles({ prefix: 'ci/_dead_letter/always_down/' });
    const history = dead.find((f) => f.name.endsWith('/retry_history.json'))!;
    const records = JSON.parse((await history.download())[0].toString('utf8')) as { attempt: number; transient: boolean }[];
    expect(records.map((r) => [r.attempt, r.transient])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
    expect((await bucket.getFiles({ prefix: 'ci/_idempotency/always_down_' }))[0]).toHaveLength(0);
    const [rows] = await bq.bigquery.query("select status, attempts from landform_raw.extract_runs where export_name = 'always_down'");
    expect(rows).toEqual([{ status: 'FAILURE', attempts: 3 }]);
  });
});
