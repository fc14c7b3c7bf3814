/**
 * The API on the demo's own data: `npm start`'s pipeline (tiny) fills an embedded BigQuery, then the
 * server answers over real HTTP. Vendor and admin KPIs, risk buckets and recent events must equal
 * figures computed independently with SQL on the Postgres source rows. The export trigger then runs
 * the real loader against the demo's Postgres: started, held at a loader pause point, refused while
 * it runs (409), finished with its rows and load job id.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { pino } from 'pino';
import { createExportRunner } from '../../api/export-runner.js';
import { openBigQueryTarget, type BigQueryTarget } from '../../demo/bigquery-target.js';
import { statePaths } from '../../demo/paths.js';
import { runDemo } from '../../demo/pipeline.js';
import { openDemoSource, type DemoSource } from '../../demo/source.js';
import { Writable } from 'node:stream';
import { silentLogger, startTestApi, type TestApi } from './support/api-server.js';

let home = '';
let source: DemoSource;
let client: pg.Client;
let target: BigQueryTarget;
let api: TestApi;
let releaseExport: () => void = () => undefined;
const exportHeld = new Promise<void>((resolve) => {
  releaseExport = resolve;
});
// One instant for the server's clock and the expected windows, so a midnight between them cannot split them.
const NOW = new Date();
const day = (offset: number) => new Date(Math.floor(NOW.getTime() / 86_400_000) * 86_400_000 - offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'landform-api-demo-'));
  await chmod(home, 0o755);
  const env = { ...process.env, LANDFORM_HOME: home, DATABASE_URL: '', GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '' };
  const run = await runDemo({ env, logger: silentLogger, size: 'tiny', tty: false, skipTests: true });
  if (!run.ok) throw new Error(`demo run failed: ${run.problems.join('; ')}`);
  const paths = statePaths(home);
  source = await openDemoSource({ paths, env, logger: silentLogger });
  client = new pg.Client({ connectionString: source.url });
  await client.connect();
  target = await openBigQueryTarget({ dataDir: paths.bigquery, env, logger: silentLogger });
  const loadRunner = createExportRunner({
    databaseUrl: async () => ({ url: source.url, release: async () => undefined }),
    projectId: target.projectId, location: target.location, bigquery: target.bigquery,
    stage: { kind: 'local', dir: paths.stage }, logger: silentLogger,
    hooks: { beforePublish: () => exportHeld },
  });
  api = await startTestApi({ bigquery: target.bigquery, now: NOW, env: { LANDFORM_EXPORT_ENABLED: 'true' }, server: { loadRunner } });
}, 240_000);

afterAll(async () => {
  releaseExport();
  await api?.stop();
  await target?.stop();
  await client?.end();
  await source?.stop();
  if (home !== '') await rm(home, { recursive: true, force: true });
});

const VENDOR_PG = `
  select vendor_store_id,
    count(distinct order_id) filter (where event_type = 'order_created')::int as order_count,
    coalesce(sum(amount_cents) filter (where event_type = 'order_created'), 0)::int as revenue_cents,
    round(coalesce(sum(amount_cents) filter (where event_type = 'order_created'), 0)::numeric
      / nullif(count(distinct order_id) filter (where event_type = 'order_created'), 0), 2)::float8 as average_order_value_cents,
    coalesce(sum(amount_cents) filter (where event_type = 'cash_collected'), 0)::int as cash_collected_cents
  from marketplace_events
  where (occurred_at at time zone 'UTC')::date between $1::date and $2::date
  group by vendor_store_id order by vendor_store_id`;

const MARKETPLACE_PG = `
  select
    coalesce(sum(amount_cents) filter (where event_type = 'order_created'), 0)::int as gmv_cents,
    count(distinct order_id) filter (where event_type = 'order_created')::int as order_count,
    round(coalesce(sum(amount_cents) filter (where event_type = 'order_created'), 0)::numeric
      / nullif(count(distinct order_id) filter (where event_type = 'order_created'), 0), 2)::float8 as average_order_value_cents,
    coalesce(sum(amount_cents) filter (where event_type = 'cash_collected'), 0)::int as cash_collected_cents,
    count(*) filter (where event_type = 'payout_completed')::int as payouts_completed,
    coalesce(sum(amount_cents) filter (where event_type = 'payout_completed'), 0)::int as payout_cents
  from marketplace_events
  where (occurred_at at time zone 'UTC')::date between $1::date and $2::date`;

describe('KPIs on the demo data equal figures computed from Postgres', () => {
  test.each(['7d', '30d'])('every vendor, %s: its own totals and nothing else', async (preset) => {
    const from = day(preset === '7d' ? 6 : 29);
    const expected = (await client.query(VENDOR_PG, [from, day(0)])).rows as { vendor_store_id: string }[];
    expect(expected.length).toBeGreaterThan(1);
    const seen = new Set<string>();
    for (const { vendor_store_id: store, ...totals } of expected) {
      const response = await api.get(`/api/v1/vendor/analytics?preset=${preset}`, await api.token({ role: 'vendor', storeId: store }));
      const body = (await response.json()) as { store_id: string; window: { from: string; to: string }; totals: object };
      expect({ store, status: response.status, storeId: body.store_id, window: [body.window.from, body.window.to], totals: body.totals })
        .toEqual({ store, status: 200, storeId: store, window: [from, day(0)], totals });
      seen.add(JSON.stringify(body.totals));
    }
    // The vendors' figures differ, so a response leaking another store's rows would be caught.
    expect(seen.size).toBe(expected.length);
  });

  test('a store with no sales gets zeros, not someone else’s figures', async () => {
    const response = await api.get('/api/v1/vendor/analytics?preset=7d', await api.token({ role: 'vendor', storeId: 'vendor-999' }));
    const body = (await response.json()) as { totals: object; series: { order_count: number }[] };
    expect(body.totals).toEqual({ order_count: 0, revenue_cents: 0, average_order_value_cents: null, cash_collected_cents: 0 });
    expect(body.series.every((d) => d.order_count === 0)).toBe(true);
  });

  test('the daily series of one vendor equals its per-day figures in Postgres', async () => {
    const rows = (await client.query(`
      select (occurred_at at time zone 'UTC')::date::text as date,
        count(distinct order_id) filter (where event_type = 'order_created')::int as order_count,
        coalesce(sum(amount_cents) filter (where event_type = 'order_created'), 0)::int as revenue_cents,
        coalesce(sum(amount_cents) filter (where event_type = 'cash_collected'), 0)::int as cash_collected_cents
      from marketplace_events where vendor_store_id = 'vendor-001' and (occurred_at at time zone 'UTC')::date between $1::date and $2::date
      group by 1 order by 1`, [day(6), day(0)])).rows as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(0);
    const body = (await (await api.get('/api/v1/vendor/analytics?preset=7d', await api.token({ role: 'vendor', storeId: 'vendor-001' }))).json()) as { series: Record<string, unknown>[] };
    const active = body.series.filter((d) => d.order_count !== 0 || d.cash_collected_cents !== 0).map(({ date, order_count, revenue_cents, cash_collected_cents }) => ({ date, order_count, revenue_cents, cash_collected_cents }));
    expect(active).toEqual(rows.filter((r) => Object.values(r).some((v, i) => i > 0 && v !== 0)));
  });

  test('admin totals equal the marketplace figures in Postgres', async () => {
    const [expected] = (await client.query(MARKETPLACE_PG, [day(29), day(0)])).rows;
    const body = (await (await api.get('/api/v1/admin/analytics?preset=30d', await api.token({ role: 'admin' }))).json()) as { totals: object };
    expect(body.totals).toEqual(expected);
  });

  test('daily risk buckets and recent events equal Postgres', async () => {
    const start = `${day(6)}T00:00:00Z`;
    const end = `${day(-1)}T00:00:00Z`;
    const analyst = await api.token({ role: 'analyst' });
    const risk = (await client.query(`
      select to_char(date_trunc('day', mentioned_at at time zone 'UTC'), 'YYYY-MM-DD') as day, event_type, count(*)::int as event_count,
        round(avg(risk_score)::numeric, 4)::float8 as avg_risk_score, count(*) filter (where severity in ('high', 'critical'))::int as high
      from news_events where mentioned_at >= $1 and mentioned_at < $2 group by 1, 2 order by 1, 2`, [start, end])).rows;
    expect(risk.length).toBeGreaterThan(0);
    const body = (await (await api.get(`/api/v1/risk/trends?start=${start}&end=${end}&bucket=DAY`, analyst)).json()) as { buckets: Record<string, unknown>[] };
    expect(body.buckets.map((b) => ({ day: String(b.bucket_start).slice(0, 10), event_type: b.event_type, event_count: b.event_count, avg_risk_score: b.avg_risk_score, high: b.high_severity_event_count }))).toEqual(risk);
    const newest = (await client.query('select event_id from news_events where mentioned_at >= $1 and mentioned_at < $2 order by mentioned_at desc, event_id limit 5', [start, end])).rows.map((r) => r.event_id);
    const events = (await (await api.get(`/api/v1/events/recent?start=${start}&end=${end}&limit=5`, analyst)).json()) as { events: { event_id: string }[] };
    expect(events.events.map((e) => e.event_id)).toEqual(newest);
  });
});

interface RunReport {
  status: string;
  rows_exported: number;
  batches: { table: string; status: string; rows_loaded: number; load_job_id: string | null }[];
}

/** Polls a run until it is no longer running (its duration is the loader's, not something to assert). */
async function finished(runId: string, token: string): Promise<RunReport> {
  for (;;) {
    const report = (await (await api.get(`/api/v1/admin/exports/${runId}`, token)).json()) as RunReport;
    if (report.status !== 'running') return report;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('export trigger, enabled', () => {
  test('202 with a run id, 409 while it runs (both paths), then its batches, rows and load job id', async () => {
    // One new device version, so the run has exactly one row to land.
    await client.query("update devices set site = site || '-moved', updated_at = now() where device_id = (select min(device_id) from devices)");
    const admin = await api.token({ role: 'admin' });
    const post = (path: string, body?: object) => fetch(`${api.url}${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const started = await post('/api/v1/admin/exports/run', { tables: ['devices'] });
    expect(started.status).toBe(202);
    const run = (await started.json()) as { run_id: string; status: string; tables: string[] };
    expect(run).toMatchObject({ status: 'running', tables: ['devices'] });
    // The loader is held before its publish step until releaseExport(): the run is certainly still running.
    for (const path of ['/api/v1/admin/exports/run', '/api/exports/bigquery/run']) {
      const second = await post(path);
      expect(second.status).toBe(409);
      expect(((await second.json()) as { detail: string }).detail).toContain(run.run_id);
    }
    expect(((await (await api.get(`/api/v1/admin/exports/${run.run_id}`, admin)).json()) as { status: string }).status).toBe('running');
    releaseExport();
    const report = await finished(run.run_id, admin);
    expect(report).toMatchObject({ status: 'succeeded', rows_exported: 1 });
    expect(report?.batches.map((b) => [b.table, b.status, b.rows_loaded])).toEqual([['devices', 'succeeded', 1]]);
    expect(report?.batches[0]?.load_job_id).toEqual(expect.any(String));
    // Done: the next run may start.
    const next = await post('/api/v1/admin/exports/run', { tables: ['devices'] });
    expect(next.status).toBe(202);
    expect((await finished(((await next.json()) as { run_id: string }).run_id, admin)).status).toBe('succeeded');
  });

  test('shutdown waits for a running export to finish', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const messages: string[] = [];
    const sink = new Writable({ write(chunk: Buffer, _enc, done) { messages.push(...chunk.toString().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { msg: string }).msg)); done(); } });
    const paths = statePaths(home);
    const loadRunner = createExportRunner({
      databaseUrl: async () => ({ url: source.url, release: async () => undefined }),
      projectId: target.projectId, location: target.location, bigquery: target.bigquery,
      stage: { kind: 'local', dir: paths.stage }, logger: silentLogger, hooks: { beforePublish: () => held },
    });
    await client.query("update devices set site = site || '-again', updated_at = now() where device_id = (select max(device_id) from devices)");
    const second = await startTestApi({ bigquery: target.bigquery, now: NOW, env: { LANDFORM_EXPORT_ENABLED: 'true' }, server: { loadRunner, logger: pino({ level: 'info' }, sink) } });
    const started = await fetch(`${second.url}/api/v1/admin/exports/run`, {
      method: 'POST', headers: { authorization: `Bearer ${await second.token({ role: 'admin' })}`, 'content-type': 'application/json' }, body: JSON.stringify({ tables: ['devices'] }),
    });
    expect(started.status).toBe(202);
    const closing = second.stop();
    release();
    await closing;
    // By the time the server says it has stopped, the run has finished and said so.
    expect(messages.filter((m) => m.startsWith('export run'))).toEqual(['export run started', 'export run finished']);
  });

  test('unknown run ids and table names are refused', async () => {
    const admin = await api.token({ role: 'admin' });
    expect((await api.get('/api/v1/admin/exports/00000000-0000-4000-8000-000000000000', admin)).status).toBe(404);
    const bad = await fetch(`${api.url}/api/v1/admin/exports/run`, {
      method: 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ tables: ["devices'; drop table x"] }),
    });
    expect(bad.status).toBe(400);
  });
});
