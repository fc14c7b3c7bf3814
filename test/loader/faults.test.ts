/**
 * Faults that used to hang the loader end it cleanly instead, within the configured timeouts:
 * - the stage disk fills during a two-table run (a real 64 KiB tmpfs: root only, as CI runs);
 * - the BigQuery upload endpoint accepts the request and never answers (a proxy in front of the
 *   embedded BigQuery that swallows uploads and forwards everything else).
 * Each time: the batch is recorded as failed, its staging table is dropped, no Postgres session is
 * left idle in a transaction, the lease is free; and a re-run lands every source row exactly once.
 */
import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { bigQueryClientFor } from '../support/embedded-bigquery.js';
import { bqRows, keys, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv();
  await env.db.client.query(`
    insert into telemetry_readings
    select g, 'device-' || (g % 17), timestamptz '2026-08-01T00:00:00Z' + g * interval '1 second', '{"battery_v": 12.5, "engine_rpm": 900, "coolant_temp_c": 80.25}', timestamptz '2026-08-01T00:00:00Z' + g * interval '1 second'
    from generate_series(1, 8000) as g;
    insert into devices
    select 'pump-' || g, 'SN-0000' || g, 'P100', 'site-' || (g % 3), null, timestamptz '2025-06-01T00:00:00Z' + g * interval '1 day', timestamptz '2026-08-01T00:00:00Z'
    from generate_series(1, 20) as g;`);
});

afterAll(async () => {
  await env?.stop();
});

const one = (results: BatchResult[], table: string): BatchResult => {
  const found = results.find((r) => r.table === table);
  if (!found) throw new Error(`no result for ${table}`);
  return found;
};

async function leftovers(): Promise<{ stagingTables: string[]; idleInTransaction: number; loaderSessions: number; heldLeases: number }> {
  const [tables] = await env.bigquery.dataset('landform_raw').getTables();
  const sessions = await env.db.client.query<{ idle: string; all: string }>(
    `select count(*) filter (where state like 'idle in transaction%') as idle, count(*) as all from pg_stat_activity where application_name = 'landform-loader'`,
  );
  const leases = await bqRows<{ n: number }>(env.bigquery, `select count(*) as n from landform_raw.load_leases where owner is not null`);
  return {
    stagingTables: tables.map((t) => t.id ?? '').filter((id) => id.startsWith('_stage_')),
    idleInTransaction: Number(sessions.rows[0]?.idle),
    loaderSessions: Number(sessions.rows[0]?.all),
    heldLeases: Number(leases[0]?.n),
  };
}

async function failedBatch(batchId: string): Promise<{ status: string; error: string }[]> {
  return bqRows(env.bigquery, `select status, error from landform_raw.export_batches where batch_id = '${batchId}'`);
}

async function rawDeviceVersions(): Promise<string[]> {
  return keys(await bqRows<{ k: string; c: string }>(env.bigquery, `select device_id as k, cast(unix_micros(updated_at) as string) as c from landform_raw.devices`));
}

async function sourceDeviceVersions(): Promise<string[]> {
  const result = await env.db.client.query<{ k: string; c: string }>(`select device_id as k, (extract(epoch from updated_at) * 1000000)::bigint::text as c from devices`);
  return keys(result.rows);
}

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['bin/landform.js', 'load', '--contracts', env.contractsDir, '--env', 'test', '--json', ...args],
      { env: { ...process.env, NODE_OPTIONS: '', ...env.bq.env, DATABASE_URL: env.db.url, GOOGLE_CLOUD_PROJECT: 'landform-local', LANDFORM_LOG_LEVEL: 'warn', ...extraEnv }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const timeouts = { connectMs: 5_000, statementMs: 30_000, idleInTransactionMs: 10_000, requestMs: 1_000, jobMs: 30_000, readinessMs: 5_000 };
const isRoot = process.getuid?.() === 0;

describe('a stage disk that fills up during a two-table run', () => {
  const mountPoint = () => path.join(path.dirname(env.stageDir), 'small-disk');

  afterAll(() => {
    if (isRoot) execFileSync('umount', [mountPoint()], { stdio: 'ignore' });
  });

  (isRoot ? test : test.skip)('fails the batch that hit ENOSPC cleanly; a re-run on a roomy stage lands everything once', async () => {
    await mkdir(mountPoint(), { recursive: true });
    // 64 KiB: devices fits, telemetry (about 1.4 MB of NDJSON, some 150 KiB gzipped) does not.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint()]);
    const started = Date.now();
    const results = await runLoad(env.config({ tables: ['devices', 'telemetry_readings'], stage: { kind: 'local', dir: mountPoint() }, compression: 'gzip', stagePartBytes: 4 * 1024 * 1024, timeouts }));
    expect(Date.now() - started).toBeLessThan(60_000);
    const telemetry = one(results, 'telemetry_readings');
    expect(telemetry.status).toBe('failed');
    expect(telemetry.error).toMatch(/ENOSPC|no space left/i);
    expect(one(results, 'devices').status).toBe('succeeded');
    expect(await failedBatch(telemetry.batchId)).toEqual([{ status: 'failed', error: telemetry.error }]);
    expect(await leftovers()).toEqual({ stagingTables: [], idleInTransaction: 0, loaderSessions: 0, heldLeases: 0 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual([]);

    const rerun = await runLoad(env.config({ tables: ['devices', 'telemetry_readings'], compression: 'none', timeouts }));
    // devices landed above and has nothing new: no row committed after its recorded snapshot (window.ts).
    expect(rerun.map((r) => [r.table, r.status])).toEqual([
      ['devices', 'empty'],
      ['telemetry_readings', 'succeeded'],
    ]);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    expect(await rawDeviceVersions()).toEqual(await sourceDeviceVersions());
  });

  (isRoot ? test : test.skip)('through the CLI: exit 1 with the batch failed; a re-run exits 0 and lands it once', async () => {
    await env.db.client.query(`
      insert into telemetry_readings
      select g, 'device-' || (g % 17), timestamptz '2026-08-03T00:00:00Z', '{"battery_v": 12.5, "engine_rpm": 900}', timestamptz '2026-08-03T00:00:00Z' + g * interval '1 second'
      from generate_series(10001, 18000) as g;`);
    // The disk of the first test is still full of its failed batch's parts.
    const full = await cli(['--tables', 'telemetry_readings', '--stage-dir', mountPoint(), '--compression', 'gzip']);
    expect(full.code).toBe(1);
    const [failed] = JSON.parse(full.stdout) as BatchResult[];
    expect(failed).toMatchObject({ table: 'telemetry_readings', status: 'failed', error: expect.stringMatching(/ENOSPC|no space left/i) });
    expect(await failedBatch(failed?.batchId ?? '')).toEqual([{ status: 'failed', error: failed?.error }]);
    expect(await leftovers()).toEqual({ stagingTables: [], idleInTransaction: 0, loaderSessions: 0, heldLeases: 0 });

    const rerun = await cli(['--tables', 'telemetry_readings', '--stage-dir', env.stageDir]);
    expect(rerun.code).toBe(0);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });
});

describe('a BigQuery upload endpoint that accepts and never answers', () => {
  let proxy: http.Server;
  let proxyUrl: string;
  const held: Socket[] = [];

  beforeAll(async () => {
    const upstream = new URL(env.bq.server.url);
    proxy = http.createServer((req, res) => {
      if (req.method === 'POST' && (req.url ?? '').startsWith('/upload/')) {
        // Take the whole body, then say nothing, ever.
        held.push(req.socket);
        req.resume();
        return;
      }
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      });
      forward.on('error', () => res.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => proxy?.close(resolve));
  });

  test('the batch fails within the request timeout, is recorded as failed, and a re-run lands it once', async () => {
    await env.db.client.query(`insert into telemetry_readings values (9001, 'late', '2026-08-05T00:00:00Z', '{}', '2026-08-05T00:00:00Z')`);
    const client = bigQueryClientFor(proxyUrl, 'landform-local', env.bq.token);
    const started = Date.now();
    const [result] = await runLoad(env.config({ tables: ['telemetry_readings'], bigquery: client, timeouts, retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 20 } }));
    // 2 upload attempts x 1 s (an error that used up the upload's retries is not retried around it), plus the work around them.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(result?.status).toBe('failed');
    expect(result?.error).toMatch(/upload of .* did not finish within 1 s/);
    expect(await failedBatch(result?.batchId ?? '')).toEqual([{ status: 'failed', error: result?.error }]);
    expect(await leftovers()).toEqual({ stagingTables: [], idleInTransaction: 0, loaderSessions: 0, heldLeases: 0 });

    const [rerun] = await runLoad(env.config({ tables: ['telemetry_readings'], timeouts }));
    expect(rerun?.status).toBe('succeeded');
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });

  test('through the CLI: exit 1 within --request-timeout with the batch failed; a re-run exits 0 and lands it once', async () => {
    await env.db.client.query(`insert into telemetry_readings values (9002, 'later', '2026-08-06T00:00:00Z', '{}', '2026-08-06T00:00:00Z')`);
    const silent = await cli(['--tables', 'telemetry_readings', '--stage-dir', env.stageDir, '--request-timeout', '1'], { BIGQUERY_EMULATOR_HOST: proxyUrl });
    expect(silent.code).toBe(1);
    const [failed] = JSON.parse(silent.stdout) as BatchResult[];
    expect(failed).toMatchObject({ status: 'failed', error: expect.stringMatching(/upload of .* did not finish within 1 s/) });
    expect(await failedBatch(failed?.batchId ?? '')).toEqual([{ status: 'failed', error: failed?.error }]);

    const rerun = await cli(['--tables', 'telemetry_readings', '--stage-dir', env.stageDir]);
    expect(rerun.code).toBe(0);
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });
});
