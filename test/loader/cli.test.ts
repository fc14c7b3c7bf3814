/**
 * `landform load` as a scheduled job runs it: a child process configured only through flags and
 * environment (DATABASE_URL, GOOGLE_CLOUD_PROJECT, BIGQUERY_EMULATOR_HOST and the metadata server of
 * the embedded BigQuery), JSON logs on stderr, exit codes 0 / 1 / 2.
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`insert into telemetry_readings select g, 'dev', '2026-07-01T00:00:00Z', '{"battery_v": 12}', timestamptz '2026-07-01T00:00:00Z' + g * interval '1 second' from generate_series(1, 25) g`);
});

afterAll(async () => {
  await env?.stop();
});

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/landform.js', 'load', ...args],
      { env: { ...process.env, NODE_OPTIONS: '', ...env.bq.env, DATABASE_URL: env.db.url, GOOGLE_CLOUD_PROJECT: 'landform-local', LANDFORM_LOG_LEVEL: 'info', ...extraEnv }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const common = () => ['--tables', 'telemetry_readings', '--stage-dir', env.stageDir, '--contracts', env.contractsDir, '--env', 'test'];

describe('landform load', () => {
  test('--dry-run plans without writing; a run lands the rows; status shows the batch', async () => {
    const plan = await cli([...common(), '--dry-run', '--json']);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual([{ table: 'telemetry_readings', mode: 'append', window: 'incremental', watermarkFrom: null, estimatedRows: expect.any(Number) }]);

    const run = await cli([...common(), '--json']);
    expect(run.code).toBe(0);
    const [result] = JSON.parse(run.stdout) as { status: string; rowsLoaded: number; batchId: string }[];
    expect(result).toMatchObject({ status: 'succeeded', rowsLoaded: 25 });
    // Structured logs carry the batch id and job ids, and never the database password.
    const logs = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.find((l) => l.msg === 'batch published')).toMatchObject({ table: 'telemetry_readings', batchId: result?.batchId, rows: 25, jobId: expect.any(String), loadJobIds: [expect.any(String)] });
    expect(run.stderr).not.toContain('landform-test');

    const status = await cli([...common(), 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toEqual([
      expect.objectContaining({ table_name: 'telemetry_readings', batch_id: result?.batchId, status: 'succeeded', rows_loaded: 25, watermark_to: '2026-07-01T00:00:25.000000Z' }),
    ]);

    const replan = await cli([...common(), '--dry-run', '--json']);
    expect(JSON.parse(replan.stdout)[0]).toMatchObject({ watermarkFrom: '2026-07-01T00:00:25.000000Z' });
  });

  test('usage and configuration errors exit 2 with one clear line; the password never shows', async () => {
    const badTable = await cli(['--tables', 'telemetry_readings;drop', '--stage-dir', env.stageDir, '--contracts', env.contractsDir]);
    expect(badTable.code).toBe(2);
    expect(badTable.stderr).toContain('landform load: invalid loader configuration: tables must match [a-z_][a-z0-9_]*');

    const unreachable = await cli(common(), { DATABASE_URL: 'postgres://loader:s3cret-pw@127.0.0.1:1/nowhere' });
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('cannot connect to Postgres at postgres://loader:***@127.0.0.1:1/nowhere');
    expect(unreachable.stderr).not.toContain('s3cret-pw');

    const noUrl = await cli(common(), { DATABASE_URL: '' });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('DATABASE_URL is not set');
    expect((await cli(['--from', '2026-01-01T00:00:00Z'])).code).toBe(2);
    expect((await cli(['--no-such-flag'])).code).toBe(2);
  });
});
