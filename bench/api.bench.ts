/**
 * Analytics API benchmark (not a test): the vendor endpoint under load, cached and uncached, and the
 * same query through `@google-cloud/bigquery` directly, in one run.
 *
 *   npx tsx bench/api.bench.ts [--seconds 20] [--connections 32] [--vendors 200] [--days 400]
 *
 * Processes: the embedded BigQuery (`landform bigquery`, a child), two API servers (children of this
 * script: cache TTL 60 s and 0 s), and this process, which drives autocannon or the direct client.
 * Requests rotate over `--vendors` vendor tokens, so uncached requests in flight at the same time
 * never share a BigQuery job (the single-flight would otherwise flatter the uncached figures).
 * Latency percentiles are computed the same way for all three from every response time.
 * Targets: cached p95 < 20 ms; uncached p95 <= 1.5x direct p95; no error under load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { BigQuery } from '@google-cloud/bigquery';
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { apiConfigFromEnv } from '../api/config.js';
import { vendorKpisQuery } from '../api/queries/marketplace.js';
import { startApi } from '../api/server.js';
import { presetWindow } from '../api/window.js';
import { createLogger } from '../common/logger.js';
import { bigQueryClientFor } from '../test/support/embedded-bigquery.js';

const ISSUER = 'https://bench.landform.invalid/';
const AUDIENCE = 'landform-bench';
const PRESET = '30d';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

const storeOf = (i: number): string => `vendor-${String(i + 1).padStart(3, '0')}`;

/** Child mode: one API server on the given embedded BigQuery, `ready <url>` on stdout, SIGTERM stops it. */
async function serveChild(): Promise<void> {
  const [, , , bigQueryUrl = '', ttl = '0'] = process.argv;
  const env = { ...process.env, LANDFORM_API_CACHE_TTL_SECONDS: ttl, LANDFORM_API_RATE_LIMIT: '1000000' };
  const config = apiConfigFromEnv({ env, projectId: 'landform-local', local: null, port: 0 });
  // Request logs on, as in production (the parent discards this child's stderr), so their cost is measured.
  const api = await startApi({ config, bigquery: bigQueryClientFor(bigQueryUrl), logger: createLogger('api-bench', 'info') });
  process.stdout.write(`ready ${api.url}\n`);
  process.once('SIGTERM', () => void api.close().then(() => process.exit(0)));
}

function readyUrl(child: ChildProcess, what: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${what} exited (${code}) before it was ready`)));
  });
}

async function startChild(args: string[], what: string, env: NodeJS.ProcessEnv = {}, stderr: 'inherit' | 'ignore' = 'inherit'): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', stderr], env: { ...process.env, LANDFORM_LOG_LEVEL: 'warn', ...env } });
  return { url: await readyUrl(child, what), child };
}

/** The vendor mart with `vendors` stores x `days` days ending today, and empty copies of the other tables readiness checks. */
async function seed(bigquery: BigQuery, vendors: number, days: number): Promise<void> {
  await bigquery.createDataset('landform_marts', { location: 'US' });
  const q = (query: string, params?: Record<string, unknown>) => bigquery.query({ query, location: 'US', ...(params ? { params } : {}) });
  await q(
    `create table \`landform-local.landform_marts.mart_vendor_kpis_daily\` partition by activity_date cluster by vendor_store_id as
     select concat('vendor-', lpad(cast(v as string), 3, '0')) as vendor_store_id, d as activity_date,
       mod(v * 7 + unix_date(d), 13) as order_count, mod(v * 7 + unix_date(d), 13) * 2500 as revenue_cents,
       mod(v * 3 + unix_date(d), 11) * 2000 as cash_collected_cents, 0 as paid_order_count, 0 as payout_cents,
       0 as ad_impression_count, 0 as ad_click_count, 0 as ad_cost_micros, cast(null as float64) as average_order_value_cents
     from unnest(generate_array(1, @vendors)) as v, unnest(generate_date_array(date_sub(@today, interval @back day), @today)) as d`,
    { vendors, back: days - 1, today: BigQuery.date(new Date().toISOString().slice(0, 10)) },
  );
  await q('create table `landform-local.landform_marts.mart_marketplace_kpis_daily` (activity_date date, gmv_cents int64, order_count int64, cash_collected_cents int64, payout_count int64, payout_cents int64)');
  await q('create table `landform-local.landform_marts.mart_entity_trending` (entity_id string, trending_score float64, trending_rank int64, mention_count int64, mention_count_7d int64, last_mentioned_at timestamp, scored_as_of timestamp)');
  await q('create table `landform-local.landform_marts.mart_risk_trends_hourly` (bucket_start timestamp, event_type string, event_count int64, risk_score_sum float64, max_risk_score float64, high_severity_event_count int64, critical_event_count int64)');
  await q('create table `landform-local.landform_marts.mart_news_events` (event_id string, title string, source_name string, event_type string, severity string, risk_score float64, mentioned_at timestamp)');
}

interface Measured {
  name: string;
  latencies: number[];
  errors: number;
  seconds: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function viaHttp(name: string, url: string, tokens: string[], seconds: number, connections: number): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const instance = autocannon({
    url: `${url}/api/v1/vendor/analytics?preset=${PRESET}`,
    connections,
    duration: seconds,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, headers: { authorization: `Bearer ${tokens[next++ % tokens.length]}` } }) }],
  });
  // The typings leave out the client argument autocannon passes first.
  (instance as unknown as { on(e: 'response', f: (client: unknown, status: number, bytes: number, ms: number) => void): void }).on('response', (_client, status, _bytes, ms) => {
    latencies.push(ms);
    if (status !== 200) errors += 1;
  });
  const result = await instance;
  return { name, latencies, errors: errors + result.errors + result.timeouts, seconds };
}

async function direct(bigquery: BigQuery, vendors: number, seconds: number, connections: number): Promise<Measured> {
  const window = presetWindow(PRESET, new Date());
  const ds = { projectId: 'landform-local', martsDataset: 'landform_marts' };
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const until = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < until) {
      const spec = vendorKpisQuery(ds, storeOf(next++ % vendors), window);
      const started = process.hrtime.bigint();
      try {
        await bigquery.query({ query: spec.sql, location: 'US', params: { from: BigQuery.date(window.from), to: BigQuery.date(window.to), store_id: spec.params.store_id } });
      } catch {
        errors += 1;
      }
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { name: 'direct @google-cloud/bigquery', latencies, errors, seconds };
}

function row(m: Measured): string {
  const sorted = [...m.latencies].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(8);
  return `${m.name.padEnd(30)} ${String(m.latencies.length).padStart(9)} ${(m.latencies.length / m.seconds).toFixed(0).padStart(8)} ${f(percentile(sorted, 50))} ${f(percentile(sorted, 95))} ${f(percentile(sorted, 99))} ${String(m.errors).padStart(7)}`;
}

const p95 = (m: Measured) => percentile([...m.latencies].sort((a, b) => a - b), 95);

async function main(): Promise<void> {
  const seconds = argValue('--seconds', 20);
  const connections = argValue('--connections', 32);
  const vendors = argValue('--vendors', 200);
  const days = argValue('--days', 400);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyEnv = { LANDFORM_API_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString(), LANDFORM_API_ISSUER: ISSUER, LANDFORM_API_AUDIENCE: AUDIENCE };
  const children: ChildProcess[] = [];
  try {
    const bq = await startChild(['bin/landform.js', 'bigquery', '--port', '0', '--data', ':memory:'], 'landform bigquery');
    children.push(bq.child);
    const bigquery = bigQueryClientFor(bq.url);
    process.stdout.write(`seeding ${vendors} vendors x ${days} days (${(vendors * days).toLocaleString('en')} mart rows)...\n`);
    await seed(bigquery, vendors, days);
    const self = ['--import', 'tsx', 'bench/api.bench.ts', '--serve'];
    const cached = await startChild([...self, bq.url, '60'], 'cached API', keyEnv, 'ignore');
    children.push(cached.child);
    const uncached = await startChild([...self, bq.url, '0'], 'uncached API', keyEnv, 'ignore');
    children.push(uncached.child);
    const tokens = await Promise.all(Array.from({ length: vendors }, (_, i) => sign(privateKey, storeOf(i))));
    // Warm-up: connections, JIT, and every cached entry (so the cached run measures hits only).
    for (const url of [cached.url, uncached.url]) {
      for (const token of tokens) await fetch(`${url}/api/v1/vendor/analytics?preset=${PRESET}`, { headers: { authorization: `Bearer ${token}` } });
    }
    process.stdout.write(`${connections} connections, ${seconds} s each, preset ${PRESET}; ${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(2)}\n`);
    const results = [
      await direct(bigquery, vendors, seconds, connections),
      await viaHttp('API uncached (TTL 0)', uncached.url, tokens, seconds, connections),
      await viaHttp('API cached (TTL 60 s)', cached.url, tokens, seconds, connections),
    ];
    process.stdout.write(`\n${'measure'.padEnd(30)} ${'requests'.padStart(9)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'errors'.padStart(7)}\n`);
    for (const m of results) process.stdout.write(`${row(m)}\n`);
    const [directRun, uncachedRun, cachedRun] = results as [Measured, Measured, Measured];
    const ratio = p95(uncachedRun) / p95(directRun);
    const errors = results.reduce((n, m) => n + m.errors, 0);
    process.stdout.write(`\ncached p95 ${p95(cachedRun).toFixed(1)} ms (target < 20 ms): ${p95(cachedRun) < 20 ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`uncached p95 / direct p95 = ${ratio.toFixed(2)}x (target <= 1.5x): ${ratio <= 1.5 ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`errors under load: ${errors} (target 0): ${errors === 0 ? 'met' : 'NOT met'}\n`);
    process.stdout.write(`load average after the run ${loadavg()[0]?.toFixed(2)}\n`);
  } finally {
    for (const child of children.reverse()) child.kill('SIGTERM');
  }
}

function sign(key: KeyObject, store: string): Promise<string> {
  return new SignJWT({ role: 'vendor', store_id: store })
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(`bench-${store}`)
    .setExpirationTime('2h')
    .sign(key);
}

if (process.argv[2] === '--serve') await serveChild();
else await main();
