/**
 * The whole main job on a tiny data set, for real: embedded Postgres seeded by the demo, the loader,
 * the embedded BigQuery, the unmodified `dataform run` / `dataform test`; then `simulate` and a second,
 * incremental run. Mart contents are checked against figures computed independently with SQL on Postgres.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import pg from 'pg';
import { parse } from 'yaml';
import { createLogger } from '../../common/logger.js';
import { openBigQueryTarget, type BigQueryTarget } from '../../demo/bigquery-target.js';
import { formatPanelHeadline } from '../../demo/country-panel.js';
import { statePaths } from '../../demo/paths.js';
import { runDemo } from '../../demo/pipeline.js';
import { openDemoSource, simulateActivity, type DemoSource, type SimulationResult } from '../../demo/source.js';
import type { DemoRunResult } from '../../demo/summary.js';

const logger = createLogger('e2e', process.env.LANDFORM_LOG_LEVEL ?? 'silent');
let home = '';
let env: NodeJS.ProcessEnv = {};

type Figures = Map<string, string>;

/** Rows as `key → value` strings, so Postgres and BigQuery results compare exactly. */
function figures(rows: Record<string, unknown>[], keyCols: string[], valueCols: string[]): Figures {
  const text = (v: unknown): string => {
    if (v !== null && typeof v === 'object' && 'value' in v) return String((v as { value: unknown }).value);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
    return String(v);
  };
  return new Map(rows.map((r) => ('error' in r
    ? ['error', String(r.error)]
    : [keyCols.map((k) => text(r[k])).join('|'), valueCols.map((c) => String(Number(text(r[c])))).join('|')])));
}

async function withSource<T>(fn: (client: pg.Client, source: DemoSource) => Promise<T>): Promise<T> {
  const source = await openDemoSource({ paths: statePaths(home), env, logger });
  const client = new pg.Client({ connectionString: source.url });
  await client.connect();
  try {
    return await fn(client, source);
  } finally {
    await client.end();
    await source.stop();
  }
}

async function withWarehouse<T>(fn: (target: BigQueryTarget) => Promise<T>): Promise<T> {
  const target = await openBigQueryTarget({ dataDir: statePaths(home).bigquery, env, logger });
  try {
    return await fn(target);
  } finally {
    await target.stop();
  }
}

/** The warehouse with the demo's embedded GCS beside it, as `npm start` and `landform extract` open them. */
async function withWarehouseAndGcs<T>(fn: (target: BigQueryTarget, storage: NonNullable<BigQueryTarget['gcs']>['storage']) => Promise<T>): Promise<T> {
  const paths = statePaths(home);
  const target = await openBigQueryTarget({ dataDir: paths.bigquery, gcsDir: paths.gcs, env, logger });
  try {
    if (target.gcs === null) throw new Error('no embedded GCS');
    return await fn(target, target.gcs.storage);
  } finally {
    await target.stop();
  }
}

/** `landform extract --json` as a user runs it on the demo state: a child process, no flags but --json. */
interface CliExport { name: string; status: string; manifestUri?: string }
function extractCli(): { code: number | null; stderr: string; exports: CliExport[] } {
  const result = spawnSync(process.execPath, ['bin/landform.js', 'extract', '--json'], { env: { ...env, LANDFORM_LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 120_000 });
  let exports: CliExport[] = [];
  try {
    exports = (JSON.parse(result.stdout) as { exports: CliExport[] }).exports;
  } catch {
    // the assertion on the exit code and stderr says what went wrong
  }
  return { code: result.status, stderr: result.stderr, exports };
}

/** Query rows; a failing query yields one `error` row, so the assertion shows what broke instead of aborting setup. */
async function bq(target: BigQueryTarget, sql: string): Promise<Record<string, unknown>[]> {
  try {
    const [rows] = await target.bigquery.query({ query: sql, location: target.location });
    return rows as Record<string, unknown>[];
  } catch (error) {
    return [{ error: (error as Error).message.split('\n')[0] }];
  }
}

// Both sides keep the vendor-days with an order or a collection: a day holding only other events
// (the second run's appends happen "now", so such a day depends on the clock) is 0|0|0 here and
// filtered out of the mart's side below.
const VENDOR_DAYS_PG = `
  select * from (
    select vendor_store_id, (occurred_at at time zone 'UTC')::date::text as activity_date,
      count(distinct order_id) filter (where event_type = 'order_created') as order_count,
      coalesce(sum(amount_cents) filter (where event_type = 'order_created'), 0) as revenue_cents,
      coalesce(sum(amount_cents) filter (where event_type = 'cash_collected'), 0) as cash_collected_cents
    from marketplace_events group by 1, 2
  ) as days
  where order_count > 0 or cash_collected_cents > 0`;
const VENDOR_DAYS_BQ = `
  select vendor_store_id, cast(activity_date as string) as activity_date, order_count, revenue_cents, cash_collected_cents
  from \`landform-local.landform_marts.mart_vendor_kpis_daily\` where order_count > 0 or cash_collected_cents > 0`;
const VENDOR_COLS = ['order_count', 'revenue_cents', 'cash_collected_cents'];

function deviceDaysPg(): string {
  // Out of range = any contract metric outside [min, max], from the contract file itself.
  const contract = parse(readFileSync(path.resolve('contracts/telemetry/v1.yaml'), 'utf8')) as { metrics: Record<string, { min: number; max: number }> };
  const keys = Object.keys(contract.metrics);
  const checks = Object.entries(contract.metrics).map(([key, { min, max }]) => `((metrics->>'${key}')::float8 not between ${min} and ${max})`);
  // Readings whose known metric is not a number break the contract: the loader quarantines them.
  return `
    with valid as (
      select * from telemetry_readings t
      where not exists (select 1 from jsonb_each(t.metrics) m where m.key in (${keys.map((k) => `'${k}'`).join(', ')}) and jsonb_typeof(m.value) not in ('number', 'null'))
    )
    select device_id, (ts at time zone 'UTC')::date::text as reading_date, count(*) as reading_count,
      count(*) filter (where coalesce(${checks.join(' or ')}, false)) as out_of_range_reading_count
    from valid group by 1, 2`;
}
const DEVICE_DAYS_BQ = `
  select device_id, cast(reading_date as string) as reading_date, reading_count, out_of_range_reading_count
  from \`landform-local.landform_marts.mart_device_health_daily\``;
const DEVICE_COLS = ['reading_count', 'out_of_range_reading_count'];

const RISK_PG = `
  select (date_trunc('day', mentioned_at at time zone 'UTC'))::date::text as bucket, event_type, count(*) as event_count,
    count(*) filter (where severity in ('high', 'critical')) as high_severity_event_count
  from news_events group by 1, 2`;
const RISK_BQ = `
  select cast(date(bucket_start) as string) as bucket, event_type, event_count, high_severity_event_count
  from \`landform-local.landform_marts.mart_risk_trends\``;
const RISK_COLS = ['event_count', 'high_severity_event_count'];

// The country panel from the source rows: trade per reporter and month, the latest published World Bank
// value at or before the month's year (a correlated lookup, where the mart uses lead()), located news.
const indicatorAsOf = (id: string) => `(select w.value from world_bank w where w.indicator_id = '${id}' and w.country_code = k.country_code
    and w.value is not null and extract(year from w.date) <= extract(year from k.month) order by w.date desc limit 1)`;
const PANEL_PG = `
  with trade as (
    select reporter_code as country_code, period as month,
      coalesce(sum(value_usd) filter (where trade_flow = 'export'), 0) as exports_usd,
      coalesce(sum(value_usd) filter (where trade_flow = 'import'), 0) as imports_usd
    from un_comtrade group by 1, 2
  ), news as (
    select location as country_code, date_trunc('month', mentioned_at at time zone 'UTC')::date as month, count(*) as news_event_count,
      count(*) filter (where severity in ('high', 'critical')) as high_risk_event_count, round(avg(risk_score)::numeric, 4) as avg_risk
    from news_events where location is not null group by 1, 2
  ), k as (select country_code, month from trade union select country_code, month from news)
  select k.country_code, k.month::text as month, t.exports_usd, t.imports_usd, t.exports_usd - t.imports_usd as trade_balance_usd,
    ${indicatorAsOf('NY.GDP.MKTP.CD')} as gdp_usd, ${indicatorAsOf('FP.CPI.TOTL.ZG')} as inflation_pct,
    coalesce(n.news_event_count, 0) as news_event_count, coalesce(n.high_risk_event_count, 0) as high_risk_event_count, n.avg_risk
  from k left join trade t on t.country_code = k.country_code and t.month = k.month
  left join news n on n.country_code = k.country_code and n.month = k.month`;
const PANEL_BQ = `
  select country_code, cast(month as string) as month, exports_usd, imports_usd, trade_balance_usd, gdp_usd, inflation_pct,
    news_event_count, high_risk_event_count, round(avg_risk_score, 4) as avg_risk
  from \`landform-local.landform_marts.mart_country_panel_monthly\``;
const PANEL_COLS = ['exports_usd', 'imports_usd', 'trade_balance_usd', 'gdp_usd', 'inflation_pct', 'news_event_count', 'high_risk_event_count', 'avg_risk'];

/** The demo's country-panel headline from Postgres: the country with the most located news, its latest trade month and news month. */
async function panelHeadlinePg(client: pg.Client): Promise<string> {
  const { rows: [top] } = await client.query(`select location from news_events where location is not null group by location order by count(*) desc, location limit 1`);
  const country = String(top?.location);
  const { rows: [trade] } = await client.query(`select period::text as month, coalesce(sum(value_usd) filter (where trade_flow = 'export'), 0) as exports,
      coalesce(sum(value_usd) filter (where trade_flow = 'import'), 0) as imports
    from un_comtrade where reporter_code = $1 group by period order by period desc limit 1`, [country]);
  const { rows: [news] } = await client.query(`select date_trunc('month', mentioned_at at time zone 'UTC')::date::text as month, count(*) as events, avg(risk_score) as avg_risk
    from news_events where location = $1 group by 1 order by 1 desc limit 1`, [country]);
  return formatPanelHeadline({
    country,
    trade: trade === undefined ? null : { month: String(trade.month), exports: Number(trade.exports), imports: Number(trade.imports) },
    news: news === undefined ? null : { month: String(news.month), events: Number(news.events), avgRisk: Number(news.avg_risk) },
  });
}

interface Snapshot {
  sourceCounts: Record<string, number>;
  vendor: [Figures, Figures];
  device: [Figures, Figures];
  risk: [Figures, Figures];
  panel: [Figures, Figures];
  panelHeadline: string;
  batchesPerTable: Record<string, number>;
  rawDistinctKeys: Record<string, number>;
  /** Distinct keys in the raw layer plus rows in quarantine, per table: the source count when nothing is lost. */
  landedOrQuarantined: Record<string, number>;
}

const KEYS: Record<string, string> = {
  devices: 'device_id', telemetry_readings: 'reading_id', query_logs: 'query_id', ingestion_runs: 'run_id', eval_runs: 'eval_run_id',
  marketplace_events: 'event_id', ad_events: 'ad_event_id', news_events: 'event_id', entity_mentions: 'mention_id',
  economic_indicators: "concat(series_id, '|', cast(observation_date as string))",
  un_comtrade: 'record_id', world_bank: "concat(indicator_id, '|', country_code, '|', cast(date as string))",
};
/** Reference data (load mode full_refresh): replaced whole on each load. */
const FULL_REFRESH = ['economic_indicators', 'un_comtrade', 'world_bank'];
/** Tables whose hard deletes the loader scans for (deletes: key_scan): a key with a tombstone is gone from the source (the demo never writes one again). */
const DELETES_SCANNED = ['news_events'];
const PARTITION_FILTER: Record<string, string> = {
  telemetry_readings: 'ts', query_logs: 'created_at', marketplace_events: 'occurred_at', ad_events: 'occurred_at', entity_mentions: 'mentioned_at',
};

async function snapshot(): Promise<Snapshot> {
  const fromPg = await withSource(async (client) => {
    const counts: Record<string, number> = {};
    for (const table of Object.keys(KEYS)) counts[table] = Number((await client.query(`select count(*) as n from ${table}`)).rows[0].n);
    return {
      counts,
      vendor: figures((await client.query(VENDOR_DAYS_PG)).rows, ['vendor_store_id', 'activity_date'], VENDOR_COLS),
      device: figures((await client.query(deviceDaysPg())).rows, ['device_id', 'reading_date'], DEVICE_COLS),
      risk: figures((await client.query(RISK_PG)).rows, ['bucket', 'event_type'], RISK_COLS),
      panel: figures((await client.query(PANEL_PG)).rows, ['country_code', 'month'], PANEL_COLS),
      panelHeadline: await panelHeadlinePg(client),
    };
  });
  return withWarehouse(async (target) => {
    const batchesPerTable: Record<string, number> = {};
    for (const r of await bq(target, `select table_name, count(*) as n from \`landform-local.landform_raw.export_batches\`
        where started_at >= timestamp '2000-01-01' and status = 'succeeded' group by table_name`)) {
      batchesPerTable[String(r.table_name ?? r.error)] = Number(r.n);
    }
    const rawDistinctKeys: Record<string, number> = {};
    for (const [table, keyExpr] of Object.entries(KEYS)) {
      const filter = PARTITION_FILTER[table] ? `where ${PARTITION_FILTER[table]} >= timestamp '2000-01-01'` : '';
      const raw = `\`landform-local.landform_raw.${table}\``;
      const live = DELETES_SCANNED.includes(table) ? `${filter ? 'and' : 'where'} ${keyExpr} not in (select ${keyExpr} from ${raw} where _deleted_at is not null)` : '';
      const [row] = await bq(target, `select count(distinct ${keyExpr}) as n from ${raw} ${filter} ${live}`);
      rawDistinctKeys[table] = row?.error === undefined ? Number(row?.n) : -1;
    }
    const quarantined: Record<string, number> = {};
    for (const r of await bq(target, `select table_name, count(*) as n from \`landform-local.landform_raw.quarantine\`
        where quarantined_at >= timestamp '2000-01-01' group by table_name`)) {
      quarantined[String(r.table_name ?? r.error)] = Number(r.n);
    }
    const landedOrQuarantined = Object.fromEntries(Object.entries(rawDistinctKeys).map(([t, n]) => [t, n + (quarantined[t] ?? 0)]));
    return {
      landedOrQuarantined,
      sourceCounts: fromPg.counts,
      vendor: [fromPg.vendor, figures(await bq(target, VENDOR_DAYS_BQ), ['vendor_store_id', 'activity_date'], VENDOR_COLS)],
      device: [fromPg.device, figures(await bq(target, DEVICE_DAYS_BQ), ['device_id', 'reading_date'], DEVICE_COLS)],
      risk: [fromPg.risk, figures(await bq(target, RISK_BQ), ['bucket', 'event_type'], RISK_COLS)],
      panel: [fromPg.panel, figures(await bq(target, PANEL_BQ), ['country_code', 'month'], PANEL_COLS)],
      panelHeadline: fromPg.panelHeadline,
      batchesPerTable,
      rawDistinctKeys,
    };
  });
}

function sorted(map: Figures): [string, string][] {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** The run's problems; with a failed `dataform run`/`test`, the tail of Dataform's own output too, so a failure says why. */
function problemsOf(result: DemoRunResult): string[] {
  const failed = [result.run, result.test].filter((r) => r !== null && r.exitCode !== 0);
  return [...result.problems, ...failed.map((r) => `dataform ${r?.command} output:\n${(r?.output ?? '').split('\n').slice(-60).join('\n')}`)];
}

describe('npm start pipeline, end to end', () => {
  let first: DemoRunResult;
  let firstSnapshot: Snapshot;
  let simulation: SimulationResult;
  let second: DemoRunResult;
  let secondSnapshot: Snapshot;

  beforeAll(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'landform-e2e-'));
    await chmod(home, 0o755);
    env = { ...process.env, LANDFORM_HOME: home, DATABASE_URL: '', GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '' };
    first = await runDemo({ env, logger, size: 'tiny', tty: false });
    firstSnapshot = await snapshot();
    // 150 minutes hold at least two whole hours, each with at least one device change (see generate/devices.ts).
    simulation = await withSource((_client, source) => simulateActivity(source, statePaths(home), 150));
    second = await runDemo({ env, logger, tty: false });
    secondSnapshot = await snapshot();
  }, 240_000);

  afterAll(async () => {
    if (home !== '') await rm(home, { recursive: true, force: true });
  });

  test('the first run passes every load, model, assertion and unit test', () => {
    expect(problemsOf(first)).toEqual([]);
    expect(first.ok).toBe(true);
  });

  test('the first run lands every source row and builds every model', () => {
    expect(first.path).toBe('first-load');
    expect(first.seeded).not.toBeNull();
    for (const batch of first.batches) {
      expect({ table: batch.table, status: batch.status, landed: batch.rowsLoaded + batch.rowsQuarantined })
        .toEqual({ table: batch.table, status: 'succeeded', landed: first.seeded?.[batch.table] });
    }
    expect(first.run?.actions.length).toBeGreaterThan(20);
    expect(first.test?.tests.length).toBeGreaterThan(0);
    expect(first.reportFile).toBe(path.join(home, 'report', 'index.html'));
  });

  test('first-run marts equal figures computed from the source rows in Postgres', () => {
    const { vendor, device, risk, panel, landedOrQuarantined, sourceCounts } = firstSnapshot;
    expect(vendor[0].size).toBeGreaterThan(0);
    expect(sorted(vendor[1])).toEqual(sorted(vendor[0]));
    expect(sorted(device[1])).toEqual(sorted(device[0]));
    expect(sorted(risk[1])).toEqual(sorted(risk[0]));
    expect(panel[0].size).toBeGreaterThan(0);
    expect(sorted(panel[1])).toEqual(sorted(panel[0]));
    expect(first.figures.headlines).toContain(firstSnapshot.panelHeadline);
    expect(landedOrQuarantined).toEqual(sourceCounts);
  });

  test('simulate appends and updates source rows', () => {
    const inserted = Object.values(simulation.changes).reduce((s, c) => s + c.inserted, 0);
    const updated = Object.values(simulation.changes).reduce((s, c) => s + c.updated, 0);
    expect(inserted).toBeGreaterThan(0);
    expect(updated).toBeGreaterThan(0);
  });

  test('the second run passes every load, model, assertion and unit test', () => {
    expect(problemsOf(second)).toEqual([]);
    expect(second.ok).toBe(true);
  });

  test('the second run takes the incremental path and lands only the new and changed rows', () => {
    expect(second.path).toBe('incremental');
    expect(second.seeded).toBeNull();
    for (const batch of second.batches) {
      const change = simulation.changes[batch.table];
      // full_refresh reference data is replaced whole; every other table lands exactly its new row versions.
      const expected = FULL_REFRESH.includes(batch.table) ? secondSnapshot.sourceCounts[batch.table] : (change?.inserted ?? 0) + (change?.updated ?? 0);
      expect({ table: batch.table, loaded: batch.rowsLoaded }).toEqual({ table: batch.table, loaded: expected });
    }
    // Lineage: the first run's batch plus this run's, per table.
    for (const table of Object.keys(KEYS)) {
      const now = second.batches.filter((b) => b.table === table && b.status === 'succeeded').length;
      // A delete key scan that landed tombstones is a batch of its own.
      const deletes = (simulation.changes[table]?.deleted ?? 0) > 0 ? 1 : 0;
      expect({ table, batches: secondSnapshot.batchesPerTable[table] }).toEqual({ table, batches: 1 + now + deletes });
    }
    expect(secondSnapshot.landedOrQuarantined).toEqual(secondSnapshot.sourceCounts);
  });

  test('second-run marts follow the source: equal to the new Postgres figures, different from the first run', () => {
    const { vendor, device, risk, panel } = secondSnapshot;
    expect(sorted(vendor[1])).toEqual(sorted(vendor[0]));
    expect(sorted(device[1])).toEqual(sorted(device[0]));
    expect(sorted(risk[1])).toEqual(sorted(risk[0]));
    expect(sorted(panel[1])).toEqual(sorted(panel[0]));
    expect(second.figures.headlines).toContain(secondSnapshot.panelHeadline);
    expect(sorted(device[1])).not.toEqual(sorted(firstSnapshot.device[1]));
  });

  test('the report lists every batch of both runs', () => {
    const html = readFileSync(path.join(home, 'report', 'index.html'), 'utf8');
    const batches = Object.values(secondSnapshot.batchesPerTable).reduce((s, n) => s + n, 0);
    expect((html.match(/<tr class="batch">/g) ?? []).length).toBe(batches);
    expect(html).toContain('incremental');
  });

  test('the loader staged every batch through the embedded GCS and the load jobs read gs:// URIs', async () => {
    const { stageUris, stagedNames } = await withWarehouseAndGcs(async (target, storage) => ({
      stageUris: (await bq(target, `select stage_uri from \`landform-local.landform_raw.export_batches\` where started_at >= timestamp '2000-01-01' and status = 'succeeded'`))
        .map((r) => String(r.stage_uri ?? r.error)),
      stagedNames: new Set((await storage.bucket('landform-stage').getFiles({ prefix: 'local/' }))[0].map((f) => f.name)),
    }));
    expect(stageUris.length).toBe(Object.values(secondSnapshot.batchesPerTable).reduce((s, n) => s + n, 0));
    for (const uri of stageUris) {
      expect(uri).toMatch(/^gs:\/\/landform-stage\/local\/landform_raw\/[a-z_]+\/\d{4}\/\d\d\/\d\d\/.+\.manifest\.json$/);
      // each batch's manifest and SUCCESS marker are objects in the stage bucket
      const name = uri.slice('gs://landform-stage/'.length);
      expect({ manifest: stagedNames.has(name), success: stagedNames.has(name.replace(/\.manifest\.json$/, '.SUCCESS')) }).toEqual({ manifest: true, success: true });
    }
  });

  test('`landform extract` on the demo state writes Parquet, JSONL.gz and CSV.gz exports of the vendor mart with manifests and SUCCESS markers; a second run is a no-op', async () => {
    const first = extractCli();
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.exports.map((e) => `${e.name} ${e.status}`).sort()).toEqual(['vendor_kpis_daily_csv SUCCESS', 'vendor_kpis_daily_jsonl SUCCESS', 'vendor_kpis_daily_parquet SUCCESS']);

    const read = await withWarehouseAndGcs(async (target, storage) => {
      const bucket = storage.bucket('landform-exports');
      const [mart] = await bq(target, `select count(*) as n, sum(revenue_cents) as revenue, count(distinct vendor_store_id) as vendors
        from \`landform-local.landform_marts.mart_vendor_kpis_daily\``);
      const objects: Record<string, { manifest: Record<string, unknown>; success: boolean; data: Buffer[] }> = {};
      for (const e of first.exports) {
        const manifestName = String(e.manifestUri).slice('gs://landform-exports/'.length);
        const dir = manifestName.slice(0, manifestName.lastIndexOf('/'));
        const [files] = await bucket.getFiles({ prefix: `${dir}/` });
        const data = await Promise.all(files.filter((f) => /\.(parquet|jsonl|csv)\./.test(f.name)).map(async (f) => (await f.download())[0]));
        objects[e.name] = {
          manifest: JSON.parse((await bucket.file(manifestName).download())[0].toString('utf8')) as Record<string, unknown>,
          success: files.some((f) => f.name.startsWith(`${dir}/`) && f.name.endsWith('SUCCESS')),
          data,
        };
      }
      return { mart: { rows: Number(mart?.n), revenue: Number(mart?.revenue), vendors: Number(mart?.vendors) }, objects };
    });
    expect(read.mart.rows).toBeGreaterThan(0);
    for (const [name, o] of Object.entries(read.objects)) {
      const manifest = o.manifest as { statistics: { row_count: number }; files: { checksum: string }[] };
      expect({ name, success: o.success, files: o.data.length, rows: manifest.statistics.row_count, checksums: manifest.files.map((f) => f.checksum) })
        .toEqual({ name, success: true, files: 1, rows: read.mart.rows, checksums: o.data.map((d) => `sha256:${createHash('sha256').update(d).digest('hex')}`) });
    }
    // independent readers: parquet-wasm + apache-arrow, gunzip + JSON.parse, gunzip + line count
    const arrow = tableFromIPC(parquet.readParquet(new Uint8Array(read.objects.vendor_kpis_daily_parquet!.data[0]!)).intoIPCStream());
    const revenue = Array.from(arrow.getChild('revenue_cents')!.toArray() as ArrayLike<number | bigint>, Number);
    const vendors = new Set(arrow.getChild('vendor_store_id')!.toArray() as string[]);
    expect({ rows: arrow.numRows, revenue: revenue.reduce((a, b) => a + b, 0), vendors: vendors.size }).toEqual(read.mart);
    const jsonl = gunzipSync(read.objects.vendor_kpis_daily_jsonl!.data[0]!).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { revenue_cents: string; vendor_store_id: string });
    expect({ rows: jsonl.length, revenue: jsonl.reduce((s, r) => s + Number(r.revenue_cents), 0), vendors: new Set(jsonl.map((r) => r.vendor_store_id)).size }).toEqual(read.mart);
    const csv = gunzipSync(read.objects.vendor_kpis_daily_csv!.data[0]!).toString('utf8').trim().split('\n');
    expect({ header: csv[0]?.split(',').includes('revenue_cents'), rows: csv.length - 1 }).toEqual({ header: true, rows: read.mart.rows });

    const again = extractCli();
    expect({ code: again.code, statuses: again.exports.map((e) => e.status) }).toEqual({ code: 0, statuses: ['SKIPPED', 'SKIPPED', 'SKIPPED'] });
  });

  // Runs last (Jest runs a file's tests in order): it replaces index.html with the failed run's report.
  test('a run that fails before reaching the warehouse exits 2, keeps the last good report and never looks empty', async () => {
    const good = readFileSync(path.join(home, 'report', 'index.html'), 'utf8');
    const failed = await runDemo({ env: { ...env, DATABASE_URL: 'notaurl' }, logger, tty: false });
    expect({ ok: failed.ok, exitCode: failed.exitCode, path: failed.path }).toEqual({ ok: false, exitCode: 2, path: 'unknown' });
    expect(failed.problems[0]).toContain('DATABASE_URL is not a URL');
    expect(failed.lastGoodReportFile).toBe(path.join(home, 'report', 'last-good.html'));
    expect(readFileSync(path.join(home, 'report', 'last-good.html'), 'utf8')).toBe(good);
    const html = readFileSync(path.join(home, 'report', 'index.html'), 'utf8');
    expect(html).toContain('<section id="failures" class="failed">');
    expect(html).toContain('href="last-good.html"');
    // The lineage is the last good one's, not an empty table.
    const batches = Object.values(secondSnapshot.batchesPerTable).reduce((sum, n) => sum + n, 0);
    expect((html.match(/<tr class="batch">/g) ?? []).length).toBe(batches);
  });
});
