/**
 * `landform extract` as a scheduled job runs it: the real CLI in a child process, pointed at an
 * embedded BigQuery (BIGQUERY_EMULATOR_HOST and its metadata server) and an embedded GCS
 * (STORAGE_EMULATOR_HOST) by environment only. Exit codes and the --json report are the contract.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestBigQuery, TEST_PROJECT_ID, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BUCKET = 'cli-exports';

function exportYaml(name: string, exclude: string): string {
  return `name: ${name}
description: CLI test export
source:
  table: marts.daily
  partition_column: day
format: jsonl
compression: gzip
destinations:
  - kind: gcs
    bucket: ${BUCKET}
exclude: [${exclude}]
`;
}

describe('landform extract (CLI)', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let dir: string;

  const landform = (args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> =>
    new Promise((resolve, reject) => {
      // async spawn: the servers answering the child live in this process's event loop
      const child = spawn(process.execPath, [join(REPO, 'bin/landform.js'), 'extract', '--exports-dir', dir, '--env', 'ci', '--project', TEST_PROJECT_ID, ...args], {
        cwd: REPO,
        env: { ...process.env, ...bq.env, STORAGE_EMULATOR_HOST: gcs.server.url, LANDFORM_LOG_LEVEL: 'warn', ...extraEnv },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  beforeAll(async () => {
    gcs = await startTestGcs();
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
    await gcs.storage.createBucket(BUCKET);
    await gcs.storage.createBucket('deployed-exports');
    await gcs.storage.createBucket('flag-exports');
    await bq.bigquery.createDataset('landform_raw');
    const [marts] = await bq.bigquery.createDataset('marts');
    const [table] = await marts.createTable('daily', { schema: { fields: [{ name: 'day', type: 'DATE' }, { name: 'n', type: 'INTEGER' }, { name: 'note', type: 'STRING' }] } });
    await table.insert([{ day: '2025-09-16', n: 1, note: 'a' }, { day: '2025-09-16', n: 2, note: 'b' }, { day: '2025-09-17', n: 3, note: 'c' }]);
    dir = await mkdtemp(join(tmpdir(), 'landform-cli-exports-'));
    await writeFile(join(dir, 'daily_jsonl.yaml'), exportYaml('daily_jsonl', 'note'));
    await writeFile(join(dir, 'daily_broken.yaml'), exportYaml('daily_broken', 'missing_column'));
  });
  afterAll(async () => {
    await bq?.stop();
    await gcs?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a run exports, the second is a no-op; both exit 0', async () => {
    const first = await landform(['--exports', 'daily_jsonl', '--partition', '2025-09-16', '--json']);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    const [outcome] = (JSON.parse(first.stdout) as { exports: { status: string; rowCount: number; manifestUri: string }[] }).exports;
    expect(outcome).toMatchObject({ status: 'SUCCESS', rowCount: 2 });
    expect(outcome!.manifestUri).toMatch(new RegExp(`^gs://${BUCKET}/ci/marts/daily/2025/09/16/manifest_`));
    const second = await landform(['--exports', 'daily_jsonl', '--partition', '2025-09-16', '--json']);
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as { exports: { status: string }[] }).exports.map((o) => o.status)).toEqual(['SKIPPED']);
  });

  test('--dry-run writes nothing', async () => {
    const before = (await gcs.storage.bucket(BUCKET).getFiles())[0].length;
    const run = await landform(['--exports', 'daily_jsonl', '--partition', '2025-09-17', '--dry-run', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { exports: { status: string }[] }).exports.map((o) => o.status)).toEqual(['PLANNED']);
    expect((await gcs.storage.bucket(BUCKET).getFiles())[0].length).toBe(before);
  });

  test("LANDFORM_EXPORT_BUCKET, and --bucket over it, replace the configuration's bucket; a bad name exits 2", async () => {
    const byEnv = await landform(['--exports', 'daily_jsonl', '--partition', '2025-09-17', '--json'], { LANDFORM_EXPORT_BUCKET: 'deployed-exports' });
    expect({ code: byEnv.code, stderr: byEnv.stderr }).toEqual({ code: 0, stderr: '' });
    expect((JSON.parse(byEnv.stdout) as { exports: { manifestUri: string }[] }).exports[0]!.manifestUri).toMatch(/^gs:\/\/deployed-exports\/ci\/marts\/daily\/2025\/09\/17\/manifest_/);
    const byFlag = await landform(['--exports', 'daily_jsonl', '--partition', '2025-09-17', '--bucket', 'flag-exports', '--json'], { LANDFORM_EXPORT_BUCKET: 'deployed-exports' });
    expect((JSON.parse(byFlag.stdout) as { exports: { status: string; manifestUri: string }[] }).exports[0]).toMatchObject({ status: 'SUCCESS', manifestUri: expect.stringMatching(/^gs:\/\/flag-exports\//) });
    const [flagged] = await gcs.storage.bucket('flag-exports').getFiles({ prefix: 'ci/marts/daily/2025/09/17/' });
    expect(flagged.some((f) => f.name.endsWith('/SUCCESS'))).toBe(true);
    // nothing went to the configured bucket for that day
    expect((await gcs.storage.bucket(BUCKET).getFiles({ prefix: 'ci/marts/daily/2025/09/17/' }))[0]).toEqual([]);
    expect((await landform(['--bucket', 'Not_A_Bucket!'])).code).toBe(2);
    expect((await landform([], { LANDFORM_EXPORT_BUCKET: 'Not_A_Bucket!' })).code).toBe(2);
  });

  test('a failed export exits 1; an unknown export or a bad date exits 2', async () => {
    const failed = await landform(['--exports', 'daily_broken', '--partition', '2025-09-16']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILURE\s+daily_broken .*missing_column/);
    // the log line the log-based metrics count (infra/monitoring.tf: msg, export, status, durationMs)
    const logged = failed.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'export finished');
    expect(logged).toMatchObject({ export: 'daily_broken', status: 'FAILURE' });
    expect(typeof logged?.durationMs).toBe('number');
    expect((await landform(['--exports', 'nope'])).code).toBe(2);
    expect((await landform(['--partition', '2025-13-01'])).code).toBe(2);
  });
});
