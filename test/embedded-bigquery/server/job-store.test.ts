/**
 * The job records file on its own: the last line of a job wins, a line cut short by a kill is
 * skipped, jobs that were not DONE come back DONE with a retryable error, the file is compacted
 * at start (newest `retained` jobs) and while it grows, so it stays about the size of what it holds.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { FileJobStore, JOBS_FILE, type StoredJob } from '../../../packages/embedded-bigquery/src/server/job-store.js';
import type { JobState } from '../../../packages/embedded-bigquery/src/server/job-types.js';

function record(jobId: string, state: JobState, creationTime: number): StoredJob {
  return {
    resource: {
      kind: 'bigquery#job',
      id: `p:US.${jobId}`,
      etag: '',
      selfLink: '',
      user_email: 'e@p.iam.gserviceaccount.com',
      jobReference: { projectId: 'p', jobId, location: 'US' },
      configuration: { jobType: 'QUERY', query: { query: 'select 1' } },
      status: { state },
      statistics: { creationTime: String(creationTime) },
    },
  };
}

async function lineCount(dir: string): Promise<number> {
  return (await readFile(join(dir, JOBS_FILE), 'utf8')).split('\n').filter((l) => l !== '').length;
}

describe('FileJobStore', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'landform-job-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('last line wins, a torn last line is skipped, unfinished jobs come back DONE with backendError, deleted ones stay gone', async () => {
    const { store } = await FileJobStore.open(dir, 100);
    await store.save('p:a', record('a', 'PENDING', 1));
    await store.save('p:a', record('a', 'DONE', 1));
    await store.save('p:b', record('b', 'RUNNING', 2));
    await store.save('p:c', record('c', 'DONE', 3));
    await store.remove('p:c');
    // A kill in the middle of a write.
    const file = join(dir, JOBS_FILE);
    await writeFile(file, `${await readFile(file, 'utf8')}{"key":"p:d","job":{"resou`);

    const { jobs } = await FileJobStore.open(dir, 100);
    expect([...jobs.keys()].sort()).toEqual(['p:a', 'p:b']);
    expect(jobs.get('p:a')?.resource.status).toEqual({ state: 'DONE' });
    const restarted = jobs.get('p:b')?.resource.status;
    expect(restarted?.state).toBe('DONE');
    expect(restarted?.errorResult?.reason).toBe('backendError');
    expect(restarted?.errorResult?.message).toMatch(/stopped \(killed or crashed\) while this job was RUNNING/);
    // Compacted at start: one line per kept job.
    expect(await lineCount(dir)).toBe(2);
  });

  test('keeps the newest `retained` jobs at start, and rewrites the file while it grows', async () => {
    const { store } = await FileJobStore.open(dir, 100);
    for (let i = 0; i < 20; i++) await store.save(`p:j${i}`, record(`j${i}`, 'DONE', 1000 + i));
    // 3000 updates of the same 20 jobs: without compaction the file would hold 3020 lines.
    for (let round = 0; round < 150; round++) for (let i = 0; i < 20; i++) await store.save(`p:j${i}`, record(`j${i}`, 'DONE', 1000 + i));
    expect(await lineCount(dir)).toBeLessThanOrEqual(2 * 20 + 1000 + 1);
    store.forget('p:j0');

    const { jobs } = await FileJobStore.open(dir, 5);
    expect([...jobs.keys()].sort()).toEqual(['p:j15', 'p:j16', 'p:j17', 'p:j18', 'p:j19']);
    expect(await lineCount(dir)).toBe(5);
  });
});
