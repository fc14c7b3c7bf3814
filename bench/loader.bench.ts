/**
 * Loader benchmark (not a test): N telemetry rows from a fresh embedded Postgres into the raw layer
 * of an embedded BigQuery, against `COPY (SELECT ...) TO STDOUT` of the same rows in the same run.
 *
 *   npx tsx bench/loader.bench.ts [--rows 2000000] [--compression gzip|none] [--part-mb 64] [--stage-format auto|jsonl]
 *
 * The embedded BigQuery runs in a child process (`landform bigquery`) so the peak RSS sampled here
 * is the loader's own (Postgres runs in its own processes too). Targets: loader >= 0.5 x COPY rate,
 * peak RSS < 300 MB. Besides wall time it reports the CPU seconds each process spent during the
 * load (loader, embedded BigQuery, Postgres, from /proc): on a small machine the three share the
 * cores, so a saturated CPU, not any one stage, sets the pace. After the full load it changes 1% of
 * the rows (half updated in place, their cursor moved on; half new readings) and times the
 * incremental run that lands them, as a fraction of the full load (target <= 5%). Last, the same
 * full read with 1, 2 and 4 snapshot workers, each into a raw table of its own (`--no-workers`
 * skips it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pino } from 'pino';
import { to as copyTo } from 'pg-copy-streams';
import { loadContracts } from '../contracts/schema/index.js';
import { runLoad } from '../loader/index.js';
import { beginSnapshot, planExtraction } from '../loader/source/extract.js';
import { planWindow } from '../loader/source/window.js';
import { startTestPostgres } from '../test/support/postgres.js';
import { bigQueryClientFor } from '../test/support/embedded-bigquery.js';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? fallback : Number(raw.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

const rows = argValue('--rows', 2_000_000);
const compressionArg = process.argv.includes('--compression') ? process.argv[process.argv.indexOf('--compression') + 1] : 'gzip';
if (compressionArg !== 'gzip' && compressionArg !== 'none') throw new Error('--compression must be gzip or none');
const compression: 'gzip' | 'none' = compressionArg;
const partMb = argValue('--part-mb', 64);
const stageFormatArg = process.argv.includes('--stage-format') ? process.argv[process.argv.indexOf('--stage-format') + 1] : 'auto';
if (stageFormatArg !== 'auto' && stageFormatArg !== 'jsonl') throw new Error('--stage-format must be auto or jsonl');
const stageFormat: 'auto' | 'jsonl' = stageFormatArg;
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** Samples this process's RSS until stopped; returns the peak (memoryUsage.rss(): cheaper than memoryUsage(), it runs inside the measured load). */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

/** utime + stime of a process in seconds (own, and of its reaped children) and its parent, from /proc; null once it is gone. */
function processCpu(pid: string): { ppid: number; own: number; children: number } | null {
  try {
    const raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    const ticks = (i: number) => Number(fields[i]) / 100;
    return { ppid: Number(fields[1]), own: ticks(11) + ticks(12), children: ticks(13) + ticks(14) };
  } catch {
    return null;
  }
}

/**
 * CPU seconds used so far by this process (all threads: zlib, libuv), the embedded BigQuery child
 * and the bench's own Postgres server: its postmaster and every process it started (a finished
 * backend's time is in the postmaster's children total). Other Postgres servers on the machine
 * are not counted. Linux only; zeros elsewhere.
 */
function cpuSeconds(bigQueryPid: number | undefined, postmasterPid: number | undefined): { loader: number; bigquery: number; postgres: number } {
  const usage = process.cpuUsage();
  let postgres = 0;
  const postmaster = postmasterPid ? processCpu(String(postmasterPid)) : null;
  if (postmaster) {
    postgres = postmaster.own + postmaster.children;
    try {
      for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
        const cpu = processCpu(pid);
        if (cpu && cpu.ppid === postmasterPid) postgres += cpu.own;
      }
    } catch {
      // not Linux
    }
  }
  return { loader: (usage.user + usage.system) / 1e6, bigquery: bigQueryPid ? processCpu(String(bigQueryPid))?.own ?? 0 : 0, postgres };
}

async function startBigQueryChild(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['bin/landform.js', 'bigquery', '--port', '0', '--data', ':memory:'], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, LANDFORM_LOG_LEVEL: 'warn' } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (http:\/\/\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`landform bigquery exited (${code})`)));
  });
  return { url, child };
}

/** One HTTP request the loader sent to the embedded BigQuery: what kind (REST method), when it started and ended. */
interface HttpCall {
  kind: string;
  start: number;
  end: number;
}

/** The REST method of a BigQuery API request, from its verb and path. */
function restMethod(method: string, url: string): string {
  const p = url.replace(/\?.*$/, '');
  if (p.includes('/upload/')) return 'upload + load job';
  if (p.includes('/computeMetadata/')) return 'metadata token';
  if (/\/queries\/[^/]+$/.test(p)) return 'jobs.getQueryResults';
  if (/\/queries$/.test(p)) return 'jobs.query';
  if (/\/jobs$/.test(p)) return method === 'POST' ? 'jobs.insert' : 'jobs.list';
  if (/\/jobs\/[^/]+\/cancel$/.test(p)) return 'jobs.cancel';
  if (/\/jobs\/[^/]+$/.test(p)) return 'jobs.get';
  if (/\/tables\/[^/]+\/data$/.test(p)) return `tabledata.${method === 'GET' ? 'list' : 'insertAll'}`;
  if (/\/tables\/[^/]+$/.test(p)) return `tables.${({ GET: 'get', DELETE: 'delete', PATCH: 'patch', PUT: 'update' } as Record<string, string>)[method] ?? method}`;
  if (/\/tables$/.test(p)) return method === 'POST' ? 'tables.insert' : 'tables.list';
  if (/\/datasets\/[^/]+$/.test(p)) return `datasets.${method === 'GET' ? 'get' : method}`;
  if (/\/datasets$/.test(p)) return method === 'POST' ? 'datasets.insert' : 'datasets.list';
  return `${method} ${p}`;
}

/**
 * Counts the HTTP requests of this process (the @google-cloud/bigquery client sends them through
 * node-fetch, which calls http.request at send time), by REST method, with their wall time.
 */
function trackHttpCalls(): HttpCall[] {
  const calls: HttpCall[] = [];
  const original = http.request.bind(http) as (...args: unknown[]) => http.ClientRequest;
  (http as { request: unknown }).request = (...args: unknown[]) => {
    const req = original(...args);
    const call: HttpCall = { kind: restMethod(req.method, req.path), start: Date.now(), end: 0 };
    calls.push(call);
    req.once('response', (res: http.IncomingMessage) => res.once('end', () => (call.end = Date.now())).once('close', () => (call.end ||= Date.now())));
    req.once('close', () => (call.end ||= Date.now()));
    return req;
  };
  return calls;
}

const httpCalls = trackHttpCalls();

type LogEvent = { msg: string; op?: string; at: number };

/** Wall time of a run's steps, from its log events (ms). */
function runPhases(events: LogEvent[], start: number, seconds: number): Record<string, number> {
  const at = (msg: string) => events.find((e) => e.msg === msg)?.at ?? start;
  const lastAt = (msg: string) => events.filter((e) => e.msg === msg).pop()?.at ?? start;
  const loaded = Math.max(lastAt('load job done'), at('extracted'));
  return {
    'readiness, lease, watermark, plan': at('batch started') - start,
    'extract + stage (parts loading alongside)': at('extracted') - at('batch started'),
    'load jobs still running after extraction': Math.max(0, lastAt('load job done') - at('extracted')),
    'publish transaction': at('batch published') - loaded,
    'drop staging, SUCCESS marker, free lease': start + seconds * 1000 - at('batch published'),
  };
}

function callTable(full: HttpCall[], incremental: HttpCall[]): string {
  const sum = (calls: HttpCall[], kind?: string) => {
    const mine = kind ? calls.filter((c) => c.kind === kind) : calls;
    return `${String(mine.length).padStart(4)} ${String(mine.reduce((n, c) => n + (c.end || c.start) - c.start, 0)).padStart(6)}`;
  };
  const kinds = [...new Set([...full, ...incremental].map((c) => c.kind))].sort();
  return [...kinds.map((kind) => `  ${kind.padEnd(44)} ${sum(full, kind)} | ${sum(incremental, kind)}`), `  ${'all'.padEnd(44)} ${sum(full)} | ${sum(incremental)}`].join('\n');
}

/** A run's REST calls and log events in time order (`--timeline`). */
function timeline(events: LogEvent[], calls: HttpCall[], start: number): string {
  const lines = [
    ...calls.map((c) => ({ at: c.start, text: `${c.kind} (${(c.end || c.start) - c.start} ms)` })),
    ...events.map((e) => ({ at: e.at, text: `* ${e.msg}${e.op ? ` ${e.op}` : ''}` })),
  ].sort((a, b) => a.at - b.at);
  return lines.map((l) => `  ${String(l.at - start).padStart(6)} ${l.text}`).join('\n');
}

/** Each query job of a run: from the jobs.insert before its 'query done' event to that event. */
function queryTimes(events: LogEvent[], calls: HttpCall[]): string {
  const inserts = calls.filter((c) => c.kind === 'jobs.insert' || c.kind === 'jobs.query');
  return events
    .filter((e) => e.msg === 'query done')
    .map((e) => {
      const started = inserts.filter((c) => c.start <= e.at).pop()?.start ?? e.at;
      return `  ${(e.op ?? '?').padEnd(44)} ${e.at - started}`;
    })
    .join('\n');
}
const root = await mkdtemp(path.join(tmpdir(), 'landform-loader-bench-'));
const db = await startTestPostgres();
const bq = await startBigQueryChild();
try {
  process.stdout.write(`seeding ${rows.toLocaleString('en')} telemetry rows...\n`);
  const seedStart = Date.now();
  await db.client.query(`create table telemetry_readings (
    reading_id bigint primary key, device_id text not null, ts timestamptz not null, metrics jsonb not null, ingested_at timestamptz not null)`);
  // Realistic readings: 4-6 known metrics, now and then an unknown key (additive drift).
  await db.client.query(
    `insert into telemetry_readings
     select g, 'dev-' || lpad((g % 5000)::text, 5, '0'),
       timestamptz '2026-01-01' + (g * interval '15 milliseconds'),
       jsonb_strip_nulls(jsonb_build_object(
         'water_pressure_psi', round((random() * 150)::numeric, 2),
         'oil_pressure_psi', round((random() * 100)::numeric, 2),
         'battery_v', round((11 + random() * 3)::numeric, 2),
         'coolant_temp_c', case when g % 2 = 0 then round((60 + random() * 40)::numeric, 1) end,
         'engine_rpm', case when g % 3 = 0 then (random() * 3000)::int end,
         'vibration_mm_s', case when g % 50 = 0 then round((random() * 10)::numeric, 2) end)),
       timestamptz '2026-01-01' + (g * interval '15 milliseconds') + interval '2 seconds'
     from generate_series(1, $1::bigint) as g`,
    [rows],
  );
  await db.client.query('create index on telemetry_readings (ingested_at, reading_id)');
  await db.client.query('vacuum (freeze, analyze) telemetry_readings');
  const size = await db.client.query<{ size: string }>(`select pg_size_pretty(pg_total_relation_size('telemetry_readings')) as size`);
  // The server's postmaster: the parent of this session's backend.
  const backendPid = (await db.client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]?.pid;
  const postmasterPid = backendPid ? processCpu(String(backendPid))?.ppid : undefined;
  process.stdout.write(`seeded in ${((Date.now() - seedStart) / 1000).toFixed(1)} s (${size.rows[0]?.size})\n`);

  // (a) the baseline: COPY of the same rows and columns, drained to /dev/null.
  const copySql = 'copy (select reading_id, device_id, ts, metrics, ingested_at from telemetry_readings) to stdout';
  const copyRss = rssSampler();
  const copyStart = process.hrtime.bigint();
  await pipeline(db.client.query(copyTo(copySql)), createWriteStream('/dev/null'));
  const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;
  const copyPeak = copyRss.stop();

  // (a') diagnostic: the loader's own extraction query (JSON, privacy, contract checks built by
  // Postgres) drained to /dev/null: the ceiling of what the loader can reach on this machine.
  const contracts = await loadContracts();
  const telemetry = contracts.tables.find((t) => t.contract.name === 'telemetry_readings')?.contract;
  if (!telemetry) throw new Error('no telemetry_readings contract');
  const plan = await planExtraction(db.client, telemetry, contracts.telemetry.contract, planWindow(telemetry, null, { safetyLagSeconds: 0 }), '', { jsonlOnly: stageFormat === 'jsonl' });
  await beginSnapshot(db.client, { ...plan.settings, ...plan.scanSettings });
  const jsonStart = process.hrtime.bigint();
  await pipeline(db.client.query(copyTo(plan.copySql)), createWriteStream('/dev/null'));
  const jsonSeconds = Number(process.hrtime.bigint() - jsonStart) / 1e9;
  await db.client.query('commit');

  // (b) the loader: extract + stage + load job + publish transaction, into a fresh raw layer.
  // Debug level: each query job's 'query done' (with its label) times the incremental run's steps.
  const events: { msg: string; op?: string; at: number }[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        const line = JSON.parse(chunk.toString()) as { msg: string; op?: string };
        events.push({ msg: line.msg, ...(line.op ? { op: line.op } : {}), at: Date.now() });
        callback();
      },
    }),
  );
  const bigquery = bigQueryClientFor(bq.url);
  const config = {
    databaseUrl: db.url,
    projectId: 'landform-local',
    location: 'US',
    rawDataset: 'landform_raw',
    env: 'bench',
    stage: { kind: 'local' as const, dir: path.join(root, 'stage') },
    bigquery,
    tables: ['telemetry_readings'],
    logger,
    compression,
    stagePartBytes: partMb * 1024 * 1024,
    stageFormat,
  };
  // Contracts from contracts/; the raw layer is created before timing starts.
  const { ensureRawLayer } = await import('../loader/index.js');
  await ensureRawLayer(config);
  global.gc?.();
  const loadBefore = loadavg()[0] ?? 0;
  const cpuBefore = cpuSeconds(bq.child.pid, postmasterPid);
  const loaderRss = rssSampler();
  const fullCallsFrom = httpCalls.length;
  const loaderStart = Date.now();
  const [result] = await runLoad(config);
  const loaderSeconds = (Date.now() - loaderStart) / 1000;
  const loaderPeak = loaderRss.stop();
  const cpuAfter = cpuSeconds(bq.child.pid, postmasterPid);
  const fullEvents = events.slice();
  const fullCalls = httpCalls.slice(fullCallsFrom);
  if (!result || result.status !== 'succeeded' || result.rowsLoaded !== rows) throw new Error(`loader did not land every row: ${JSON.stringify(result)}`);
  const [counted] = await bigquery.query({ query: `select count(*) as n, count(distinct reading_id) as d from landform_raw.telemetry_readings where ts >= timestamp '1970-01-01'`, location: 'US' });
  const check = (counted as { n: number; d: number }[])[0];

  // (c) incremental: 1% of the rows change (half updated, cursor moved on; half new), then one run.
  const changed = Math.max(2, Math.floor(rows / 100));
  await db.client.query(
    `update telemetry_readings set ingested_at = ingested_at + interval '1 day', metrics = metrics || '{"battery_v": 12.5}'::jsonb where reading_id % 200 = 0`,
  );
  await db.client.query(
    `insert into telemetry_readings
     select g, 'dev-' || lpad((g % 5000)::text, 5, '0'), timestamptz '2026-01-01' + (g * interval '15 milliseconds'),
       jsonb_build_object('water_pressure_psi', 50.5, 'battery_v', 12.1), timestamptz '2026-01-02' + (g * interval '15 milliseconds')
     from generate_series($1::bigint + 1, $1::bigint + $2::bigint) as g`,
    [rows, Math.floor(changed / 2)],
  );
  await db.client.query('vacuum analyze telemetry_readings');
  const expectedIncremental = Math.floor(rows / 200) + Math.floor(changed / 2);
  const incrementalEventsFrom = events.length;
  const incrementalCallsFrom = httpCalls.length;
  const incrementalStart = Date.now();
  const [incremental] = await runLoad(config);
  const incrementalSeconds = (Date.now() - incrementalStart) / 1000;
  const incrementalEvents = events.slice(incrementalEventsFrom);
  const incrementalCalls = httpCalls.slice(incrementalCallsFrom);
  if (!incremental || incremental.status !== 'succeeded' || incremental.rowsLoaded !== expectedIncremental) throw new Error(`incremental run did not land the ${expectedIncremental} changed rows: ${JSON.stringify(incremental)}`);

  // (d) the same full read with 1, 2 and 4 snapshot workers (parallel: {workers: N}), each into a
  // fresh raw table of its own (a copy of the contract under another name).
  const workerRuns: { workers: number; rows: number; seconds: number; extractSeconds: number }[] = [];
  if (!process.argv.includes('--no-workers')) {
    const source = await readFile(path.resolve('contracts/tables/telemetry_readings.yaml'), 'utf8');
    const total = Number((await db.client.query<{ n: string }>('select count(*)::text as n from telemetry_readings')).rows[0]?.n ?? 0);
    for (const workers of [1, 2, 4]) {
      const dir = path.join(root, `contracts-w${workers}`);
      await cp(path.resolve('contracts'), dir, { recursive: true });
      await rm(path.join(dir, 'tables', 'telemetry_readings.yaml'));
      const name = `telemetry_w${workers}`;
      await writeFile(path.join(dir, 'tables', `${name}.yaml`), `${source.replace(/^name: telemetry_readings$/m, `name: ${name}`)}parallel: {workers: ${workers}}\n`);
      const runConfig = { ...config, contractsDir: dir, tables: [name] };
      await ensureRawLayer(runConfig);
      const from = events.length;
      const started = Date.now();
      const [run] = await runLoad(runConfig);
      const seconds = (Date.now() - started) / 1000;
      if (!run || run.status !== 'succeeded' || run.rowsLoaded !== total) throw new Error(`${workers}-worker run did not land every row: ${JSON.stringify(run)}`);
      const mine = events.slice(from);
      const extractMs = (mine.find((e) => e.msg === 'extracted')?.at ?? started) - (mine.find((e) => e.msg === 'batch started')?.at ?? started);
      workerRuns.push({ workers, rows: total, seconds, extractSeconds: extractMs / 1000 });
    }
  }

  const phases = runPhases(fullEvents, loaderStart, loaderSeconds);
  const incrementalPhases = runPhases(incrementalEvents, incrementalStart, incrementalSeconds);
  const cpu = {
    loader: cpuAfter.loader - cpuBefore.loader,
    'embedded BigQuery': cpuAfter.bigquery - cpuBefore.bigquery,
    Postgres: cpuAfter.postgres - cpuBefore.postgres,
  };
  const cpuTotal = Object.values(cpu).reduce((a, b) => a + b, 0);
  const copyRate = rows / copySeconds;
  const loaderRate = rows / loaderSeconds;
  process.stdout.write(`
rows                         ${rows.toLocaleString('en')} (stage format: ${stageFormat}, compression: ${compression}, parts of ${partMb} MiB)
COPY ... TO STDOUT (text)    ${copySeconds.toFixed(2)} s   ${Math.round(copyRate).toLocaleString('en')} rows/s   peak RSS ${mb(copyPeak)} MB
extraction query alone       ${jsonSeconds.toFixed(2)} s   ${Math.round(rows / jsonSeconds).toLocaleString('en')} rows/s   (${plan.format === 'jsonl' ? 'row JSON' : plan.format.toUpperCase()} + checks built by Postgres${plan.metricsCheck ? '; the metrics types are checked by the loader\'s framer, not here' : ''}, to /dev/null)
loader (end to end)          ${loaderSeconds.toFixed(2)} s   ${Math.round(loaderRate).toLocaleString('en')} rows/s   peak RSS ${mb(loaderPeak)} MB
ratio loader / COPY          ${(loaderRate / copyRate).toFixed(2)}   (target >= 0.5)
peak RSS target              ${loaderPeak < 300 * 1024 * 1024 ? 'met' : 'MISSED'} (< 300 MB)
raw rows / distinct keys     ${check?.n} / ${check?.d}
incremental, 1% changed      ${incrementalSeconds.toFixed(2)} s   ${incremental.rowsExtracted.toLocaleString('en')} rows read (lookback included), ${incremental.rowsLoaded.toLocaleString('en')} landed, ${incremental.rowsSkippedDuplicate.toLocaleString('en')} already there
incremental / full load      ${((100 * incrementalSeconds) / loaderSeconds).toFixed(1)}%   (target <= 5%)
${workerRuns
  .map((w) => `snapshot workers: ${w.workers}         ${Math.round(w.rows / w.seconds).toLocaleString('en')} rows/s end to end (${w.seconds.toFixed(2)} s), extract + stage ${w.extractSeconds.toFixed(2)} s`)
  .join('\n')}
load average (1 min)         ${loadBefore.toFixed(2)} before the load, ${(loadavg()[0] ?? 0).toFixed(2)} after, on ${availableParallelism()} CPUs
loader stages (wall), full load | incremental:
${Object.entries(phases)
  .map(([name, ms]) => `  ${name.padEnd(44)} ${(ms / 1000).toFixed(2)} s | ${((incrementalPhases[name] ?? 0) / 1000).toFixed(2)} s`)
  .join('\n')}
BigQuery REST calls, full load | incremental (count, wall ms):
${callTable(fullCalls, incrementalCalls)}
incremental run's query jobs (label: wall ms from jobs.insert to rows):
${queryTimes(incrementalEvents, incrementalCalls)}
${process.argv.includes('--timeline') ? `incremental run's timeline (ms from its start: REST calls with their wall ms, log events):\n${timeline(incrementalEvents, incrementalCalls, incrementalStart)}\n` : ''}CPU seconds during the load (${cpuTotal.toFixed(2)} s in ${loaderSeconds.toFixed(2)} s wall = ${(cpuTotal / loaderSeconds).toFixed(2)} CPUs busy):
${Object.entries(cpu)
  .map(([name, seconds]) => `  ${name.padEnd(44)} ${seconds.toFixed(2)} s`)
  .join('\n')}
`);
} finally {
  bq.child.kill('SIGTERM');
  await db.stop();
  await rm(root, { recursive: true, force: true });
}
