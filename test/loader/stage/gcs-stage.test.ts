/**
 * The loader's GCS stage for real: staged parts written through @google-cloud/storage into an embedded
 * GCS, loaded by the embedded BigQuery from `gs://` URIs. First load, incremental load, a crash
 * (SIGKILL) before the publish and a re-run, and a failed batch moved under `{env}/_failed/`, where the
 * stage bucket's lifecycle rule (infra/bucket.tf) deletes it. Expected rows come from Postgres,
 * expected checksums from the downloaded bytes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Bucket } from '@google-cloud/storage';
import { pino } from 'pino';
import { runLoad, type BatchResult, type LoaderConfig } from '../../../loader/index.js';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../../support/embedded-gcs.js';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';
import { bqRows, rawTelemetryKeys, SOURCE_DDL, sourceTelemetryKeys } from '../support/loader-env.js';

const run = promisify(execFile);
const BUCKET = 'landform-stage';
let db: TestPostgres;
let gcs: TestGcs;
let bq: TestBigQuery;
let bucket: Bucket;

function config(overrides: Partial<LoaderConfig> = {}): LoaderConfig {
  return {
    databaseUrl: db.url,
    projectId: 'landform-local',
    location: 'US',
    rawDataset: 'landform_raw',
    env: 'test',
    stage: { kind: 'gcs', bucket: BUCKET, apiEndpoint: gcs.server.url },
    bigquery: bq.bigquery,
    tables: ['telemetry_readings', 'devices'],
    logger: pino({ level: process.env.LANDFORM_TEST_LOG ?? 'silent' }),
    retry: { attempts: 2, baseDelayMs: 10, maxDelayMs: 50 },
    // small parts: a batch can be several objects, each its own gs:// load
    stagePartBytes: 16 * 1024,
    ...overrides,
  };
}

async function insertReadings(from: number, to: number): Promise<void> {
  await db.client.query(`
    insert into telemetry_readings
    select g, 'dev-' || (g % 7), timestamptz '2026-02-01T00:00:00Z' + g * interval '1 minute',
      jsonb_build_object('battery_v', 12 + (g % 3) * 0.1), timestamptz '2026-02-01T00:00:00Z' + g * interval '1 second'
    from generate_series($1::int, $2::int) as g`, [from, to]);
}

async function objectNames(prefix: string): Promise<string[]> {
  const [files] = await bucket.getFiles({ prefix });
  return files.map((f) => f.name).sort();
}

async function download(name: string): Promise<Buffer> {
  return (await bucket.file(name).download())[0];
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const stemOf = (manifestUri: string): string => manifestUri.slice(`gs://${BUCKET}/`.length).replace(/\.manifest\.json$/, '');

async function succeeded(table: string): Promise<number> {
  const [row] = await bqRows<{ n: number }>(bq.bigquery, `select count(*) as n from landform_raw.export_batches where table_name = '${table}' and status = 'succeeded'`);
  return Number(row?.n ?? 0);
}

async function child(crashAt: 'beforePublish' | 'never'): Promise<{ killed: boolean; results: BatchResult[] }> {
  const env = {
    ...process.env, NODE_OPTIONS: '', DATABASE_URL: db.url, LANDFORM_TEST_BQ_URL: bq.server.url, LANDFORM_TEST_BQ_TOKEN: bq.token ?? '',
    LANDFORM_TEST_GCS_URL: gcs.server.url, LANDFORM_TEST_CRASH_AT: crashAt,
  };
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/loader/stage/gcs-crash-run.ts'], { env, timeout: 90_000 });
    return { killed: false, results: JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as BatchResult[] };
  } catch (error) {
    if ((error as { signal?: string }).signal === 'SIGKILL') return { killed: true, results: [] };
    throw new Error(`loader child failed: ${(error as Error).message}\n${(error as { stderr?: string }).stderr ?? ''}`, { cause: error });
  }
}

beforeAll(async () => {
  [db, gcs] = await Promise.all([startTestPostgres(), startTestGcs()]);
  bq = await startTestBigQuery({ gcs: { url: gcs.server.url }, logger: pino({ level: 'silent' }) });
  [bucket] = await gcs.storage.createBucket(BUCKET);
  await db.client.query(SOURCE_DDL);
  await insertReadings(1, 400);
  await db.client.query(`
    insert into devices
    select 'pump-' || g, 'SN-0000' || g, 'P100', 'site-' || (g % 3), null, timestamptz '2025-06-01T00:00:00Z' + g * interval '1 day', timestamptz '2026-02-01T00:00:00Z'
    from generate_series(1, 20) as g`);
}, 60_000);

afterAll(async () => {
  await Promise.allSettled([bq?.stop(), db?.stop()]);
  await gcs?.stop();
});

describe('the loader on a GCS stage', () => {
  let first: BatchResult[];

  test('first load: every part, the manifest and the SUCCESS marker are objects in the bucket; the raw table equals the source', async () => {
    first = await runLoad(config());
    expect(first.map((r) => [r.table, r.status, r.rowsLoaded])).toEqual([['devices', 'succeeded', 20], ['telemetry_readings', 'succeeded', 400]]);
    expect(await rawTelemetryKeys(bq.bigquery)).toEqual(await sourceTelemetryKeys(db));

    const telemetry = first.find((r) => r.table === 'telemetry_readings')!;
    expect(telemetry.manifestUri).toMatch(/^gs:\/\/landform-stage\/test\/landform_raw\/telemetry_readings\/\d{4}\/\d\d\/\d\d\/telemetry_readings_\d{8}_\d{6}_[0-9a-f]+\.manifest\.json$/);
    const stem = stemOf(telemetry.manifestUri!);
    const names = await objectNames(stem);
    expect(names).toContain(`${stem}.SUCCESS`);
    const parts = names.filter((n) => n.startsWith(`${stem}_`));
    expect(parts.length).toBeGreaterThanOrEqual(1);
    // the manifest describes the bytes in the bucket
    const listed = (await download(`${stem}.manifest.json`)).toString('utf8');
    for (const part of parts) expect(listed).toContain(sha256(await download(part)));
  });

  test('incremental load: only the new rows are loaded (rows the lookback re-reads are skipped as duplicates)', async () => {
    await insertReadings(401, 450);
    const second = await runLoad(config({ tables: ['telemetry_readings'] }));
    expect(second.map((r) => [r.table, r.status, r.rowsLoaded, r.rowsExtracted - r.rowsSkippedDuplicate])).toEqual([['telemetry_readings', 'succeeded', 50, 50]]);
    expect(await rawTelemetryKeys(bq.bigquery)).toEqual(await sourceTelemetryKeys(db));
    expect(await succeeded('telemetry_readings')).toBe(2);
  });

  test('a crash (SIGKILL) before the publish loses nothing and the re-run duplicates nothing', async () => {
    await insertReadings(451, 600);
    const crashed = await child('beforePublish');
    expect(crashed.killed).toBe(true);
    expect((await rawTelemetryKeys(bq.bigquery)).length).toBe(450);
    const rerun = await child('never');
    expect(rerun.results.map((r) => [r.table, r.status, r.rowsLoaded])).toEqual([['telemetry_readings', 'succeeded', 150]]);
    const raw = await rawTelemetryKeys(bq.bigquery);
    expect(raw).toEqual(await sourceTelemetryKeys(db));
    expect(new Set(raw).size).toBe(raw.length);
    expect(await succeeded('telemetry_readings')).toBe(3);
  }, 180_000);

  test('a failed batch moves under {env}/_failed/ with its FAILURE marker, and export_batches points there', async () => {
    await insertReadings(601, 650);
    const failing = await runLoad(config({
      tables: ['telemetry_readings'],
      hooks: { beforePublish: () => { throw new Error('publish refused by the test'); } },
    }));
    expect(failing.map((r) => [r.status, r.error])).toEqual([['failed', 'publish refused by the test']]);
    const batchId = failing[0]!.batchId;
    const everywhere = await objectNames('test/');
    const ofBatch = everywhere.filter((n) => n.includes(`_${batchId}`));
    expect(ofBatch.length).toBeGreaterThan(2);
    for (const name of ofBatch) expect(name.startsWith('test/_failed/landform_raw/telemetry_readings/')).toBe(true);
    const failure = ofBatch.find((n) => n.endsWith('.FAILURE'))!;
    expect(JSON.parse((await download(failure)).toString('utf8'))).toMatchObject({ error: 'publish refused by the test' });
    const [lineage] = await bqRows<{ stage_uri: string; status: string }>(bq.bigquery, `select stage_uri, status from landform_raw.export_batches where batch_id = '${batchId}'`);
    expect(lineage).toEqual({ status: 'failed', stage_uri: `gs://${BUCKET}/${failure.replace(/\.FAILURE$/, '.manifest.json')}` });
    expect(ofBatch).toContain(failure.replace(/\.FAILURE$/, '.manifest.json'));
    // the watermark stayed: the next run lands the rows
    const retry = await runLoad(config({ tables: ['telemetry_readings'] }));
    expect(retry.map((r) => [r.status, r.rowsLoaded])).toEqual([['succeeded', 50]]);
    expect(await rawTelemetryKeys(bq.bigquery)).toEqual(await sourceTelemetryKeys(db));
  });

  test('the stage bucket lifecycle in infra/ and the runbook name the same _failed prefix', () => {
    expect(readFileSync('infra/bucket.tf', 'utf8')).toContain('matches_prefix = ["${var.environment}/_failed/"]');
    expect(readFileSync('docs/runbook.md', 'utf8')).toContain('`<env>/_failed/`');
  });
});

