/**
 * Hard deletes (`deletes: {mode: key_scan}` on news_events): rows deleted in Postgres reach raw as
 * tombstones exactly once, with lineage, survive a crash (SIGKILL) before the tombstone transaction,
 * and reach curated through the real Dataform CLI on the embedded BigQuery (the merge brings the
 * tombstone in, the post-operation removes the key). A table over deletes.max_keys stops with a
 * sentence naming soft deletes. Expected rows are what the test itself wrote to and deleted from
 * Postgres.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { copyProject, runDataform, type ProjectCopy } from '../dataform/embedded-project.js';
import { bqRows, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';
import { loaderChildEnv, runLoaderChild } from './support/loader-child.js';
let env: LoaderEnv;
let project: ProjectCopy;

const NEWS_DDL = `create table news_events (
  event_id text primary key, title text not null, source_name text not null, event_type text not null, severity text not null,
  risk_score double precision not null, content text, source_url text, location text, mentioned_at timestamptz not null,
  created_at timestamptz, metadata jsonb, updated_at timestamptz not null)`;

/** Events e1..e<n>, each mentioned on 2026-11-2x and last changed at 10:0x that day. */
async function insertEvents(ids: number[], updatedAt = (i: number) => `2026-11-20T10:${String(i % 60).padStart(2, '0')}:00Z`): Promise<void> {
  for (const i of ids) {
    await env.db.client.query(
      `insert into news_events values ($1, 'Headline ' || $1, 'wire', 'economic', 'low', $2, null, null, 'VEN', '2026-11-20T08:00:00Z', null, '{"language":"en"}', $3)
       on conflict (event_id) do update set risk_score = excluded.risk_score, updated_at = excluded.updated_at`,
      [`e${i}`, i * 1.5, updatedAt(i)],
    );
  }
}

const load = async (owner?: string): Promise<BatchResult> => {
  // The stage format is not what these tests are about: JSONL, as the child's default is.
  const [result] = await runLoad(env.config({ tables: ['news_events'], stageFormat: 'jsonl', ...(owner ? { owner } : {}) }));
  if (!result) throw new Error('no result');
  return result;
};

async function sourceIds(): Promise<string[]> {
  return (await env.db.client.query<{ id: string }>('select event_id as id from news_events order by 1')).rows.map((r) => r.id);
}

/** Raw rows as (event_id, tombstone?) with the batch that landed them. */
async function rawTombstones(): Promise<Array<{ event_id: string; risk_score: number; updated_micros: string; batch: string }>> {
  return bqRows(
    env.bigquery,
    `select event_id, risk_score, cast(unix_micros(updated_at) as string) as updated_micros, _batch_id as batch from landform_raw.news_events where _deleted_at is not null order by event_id, _batch_id`,
  );
}

async function curatedIds(): Promise<string[]> {
  return (await bqRows<{ id: string }>(env.bigquery, 'select event_id as id from landform_curated.cur_news_events order by 1')).map((r) => r.id);
}

async function dataform(): Promise<void> {
  const result = await runDataform(project, env.bq.env, ['run', '--actions', 'cur_news_events']);
  expect({ code: result.code, failed: /failed/i.test(result.output) ? result.output : '' }).toEqual({ code: 0, failed: '' });
}

async function child(killAt: string): Promise<{ killed: boolean; results: BatchResult[] }> {
  return runLoaderChild('test/loader/crash-child.ts', loaderChildEnv(env, ['news_events'], { LANDFORM_TEST_KILL_AT: killAt }), 90_000);
}

beforeAll(async () => {
  env = await startLoaderEnv();
  project = await copyProject();
  await env.db.client.query(NEWS_DDL);
  await insertEvents([1, 2, 3, 4, 5, 6]);
}, 120_000);

afterAll(async () => {
  await env?.stop();
  await project?.cleanup();
});

describe('hard deletes by key scan', () => {
  test('the first load scans every key and lands no tombstone; curated has every event', async () => {
    const result = await load();
    expect([result.status, result.rowsLoaded, result.deletes?.status, result.deletes?.keysScanned, result.deletes?.tombstones]).toEqual(['succeeded', 6, 'succeeded', 6, 0]);
    expect(await rawTombstones()).toEqual([]);
    // A scan that finds nothing gone records no lineage row (every run scans).
    expect(await bqRows(env.bigquery, `select count(*) as n from landform_raw.export_batches where batch_id = '${result.deletes?.batchId}'`)).toEqual([{ n: 0 }]);
    await dataform();
    expect(await curatedIds()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6']);
  }, 180_000);

  test('two deleted events land one tombstone each (a copy of the last version), with a lineage row that does not move the watermark', async () => {
    const [watermarkBefore] = await bqRows<{ w: string }>(env.bigquery, `select cast(unix_micros(max(watermark_to)) as string) as w from landform_raw.export_batches where table_name = 'news_events' and status = 'succeeded' and watermark_to_key is not null`);
    const before = Date.now();
    await env.db.client.query(`delete from news_events where event_id in ('e2', 'e5')`);
    const result = await load();
    expect([result.status, result.rowsLoaded, result.deletes?.keysScanned, result.deletes?.tombstones]).toEqual(['succeeded', 0, 4, 2]);
    const tombstones = await rawTombstones();
    expect(tombstones.map(({ batch: _b, ...t }) => t)).toEqual([
      { event_id: 'e2', risk_score: 3, updated_micros: String(Date.parse('2026-11-20T10:02:00Z') * 1000) },
      { event_id: 'e5', risk_score: 7.5, updated_micros: String(Date.parse('2026-11-20T10:05:00Z') * 1000) },
    ]);
    expect(new Set(tombstones.map((t) => t.batch))).toEqual(new Set([result.deletes?.batchId]));
    const [lineage] = await bqRows<Record<string, unknown>>(
      env.bigquery,
      `select status, rows_extracted, rows_loaded, watermark_to_key, stage_uri, cast(unix_micros(b.started_at) as string) as started, (select count(*) from landform_raw.news_events r where r._batch_id = b.batch_id and r._deleted_at >= b.started_at) as stamped
       from landform_raw.export_batches b where batch_id = '${result.deletes?.batchId}'`,
    );
    expect(lineage).toEqual({ status: 'succeeded', rows_extracted: 4, rows_loaded: 2, watermark_to_key: null, stage_uri: expect.stringMatching(/\.manifest\.json$/), started: expect.any(String), stamped: 2 });
    // The manifest names the keys file with its row count; the SUCCESS marker sits beside it.
    const manifestPath = String(lineage?.stage_uri).replace(/^file:\/\//, '');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { kind: string; files: Array<{ rows: number }> };
    expect([manifest.kind, manifest.files.map((f) => f.rows)]).toEqual(['delete_key_scan', [4]]);
    expect(JSON.parse(await readFile(manifestPath.replace(/\.manifest\.json$/, '.SUCCESS'), 'utf8'))).toMatchObject({ status: 'SUCCESS', row_count: 2 });
    expect(Number(lineage?.started) / 1000).toBeGreaterThanOrEqual(before - 1000);
    const [watermarkAfter] = await bqRows<{ w: string }>(env.bigquery, `select cast(unix_micros(max(watermark_to)) as string) as w from landform_raw.export_batches where table_name = 'news_events' and status = 'succeeded' and watermark_to_key is not null`);
    expect(watermarkAfter).toEqual(watermarkBefore);
  }, 120_000);

  test('an incremental Dataform run removes the deleted events from curated', async () => {
    await dataform();
    expect(await curatedIds()).toEqual(['e1', 'e3', 'e4', 'e6']);
    expect(await curatedIds()).toEqual(await sourceIds());
  }, 180_000);

  test('exactly once: the next run finds the same keys gone and lands nothing; a re-inserted key is live again', async () => {
    const again = await load();
    // Nothing committed after the last batch's recorded snapshot: the lookback reads no row again
    // (loader/source/window.ts), the batch is empty; the key scan still runs and finds nothing new.
    expect([again.status, again.rowsLoaded, again.deletes?.tombstones]).toEqual(['empty', 0, 0]);
    expect((await rawTombstones()).map((t) => t.event_id)).toEqual(['e2', 'e5']);

    await insertEvents([2], () => '2026-11-21T09:00:00Z');
    const back = await load();
    expect([back.status, back.rowsLoaded, back.deletes?.tombstones]).toEqual(['succeeded', 1, 0]);
    // Live again: its latest raw version is the new one (cur_news_events.test.yaml covers the same in curated).
    const [latest] = await bqRows(env.bigquery, `select _deleted_at is null as live from landform_raw.news_events where event_id = 'e2' order by updated_at desc, _deleted_at is null limit 1`);
    expect(latest).toEqual({ live: true });
  }, 180_000);

  test('a crash (SIGKILL) after the keys are loaded, before the tombstone transaction, leaves nothing; the re-run lands the tombstone once', async () => {
    await env.db.client.query(`delete from news_events where event_id = 'e3'`);
    const crashed = await child('beforeTombstones:1');
    expect(crashed.killed).toBe(true);
    expect((await rawTombstones()).map((t) => t.event_id)).toEqual(['e2', 'e5']);

    // The same job again (it takes back the lease its killed run left), in this process.
    const rerun = await load('crash-child-job');
    expect([rerun.status, rerun.deletes?.tombstones]).toEqual(['succeeded', 1]);
    expect((await rawTombstones()).map((t) => t.event_id)).toEqual(['e2', 'e3', 'e5']);
    await dataform();
    expect(await curatedIds()).toEqual(await sourceIds());
  }, 240_000);

  test('a table over deletes.max_keys stops the scan with a sentence naming the limit and soft deletes, and records the failure', async () => {
    const file = path.join(env.contractsDir, 'tables/news_events.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/max_keys: \d+/, 'max_keys: 3'));
    const result = await load();
    expect(result.deletes).toEqual(expect.objectContaining({ status: 'failed' }));
    expect(result.status).toBe('failed');
    expect(result.deletes?.status).toBe('failed');
    expect(result.error).toBe(
      'news_events: the delete key scan stopped because public.news_events has 4 rows, more than deletes.max_keys (3) in contracts/tables/news_events.yaml; raise max_keys, or give the table a soft-delete column (deleted_at as the cursor) and drop deletes.',
    );
    const [failed] = await bqRows<{ n: number }>(env.bigquery, `select count(*) as n from landform_raw.export_batches where batch_id = '${result.deletes?.batchId}' and status = 'failed' and error like '%max_keys%'`);
    expect(failed).toEqual({ n: 1 });
    expect((await rawTombstones()).map((t) => t.event_id)).toEqual(['e2', 'e3', 'e5']);
  }, 120_000);

  test('a source table emptied entirely gets a tombstone for every live key, and curated ends empty', async () => {
    await env.db.client.query('delete from news_events');
    const result = await load();
    expect([result.status, result.deletes?.keysScanned, result.deletes?.tombstones]).toEqual(['succeeded', 0, 4]);
    // e2 twice: deleted, written again, deleted again.
    expect((await rawTombstones()).map((t) => t.event_id)).toEqual(['e1', 'e2', 'e2', 'e3', 'e4', 'e5', 'e6']);
    await dataform();
    expect(await curatedIds()).toEqual([]);
  }, 180_000);
});
