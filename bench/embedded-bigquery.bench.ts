/**
 * Benchmark: the same analytic queries over generated telemetry, straight on DuckDB vs through the
 * embedded BigQuery endpoint with the real @google-cloud/bigquery client (GoogleSQL in, JSON rows out).
 * Not a test: it prints per-query medians (and fastest runs) and the endpoint/raw ratio (target ≤ 1.3×).
 *
 *   npx tsx bench/embedded-bigquery.bench.ts [--rows 5000000] [--reps 5] [--dir .landform/bench] [--samples 40] [--concurrency-only]
 *   npx tsx bench/embedded-bigquery.bench.ts --small-jobs [--samples 200]
 *
 * The rows are generated once per size into <dir>/raw-<N>.duckdb (raw side) and an NDJSON file that
 * is loaded into the endpoint's own DuckDB (<dir>/endpoint-<N>/) through a real load job; later runs
 * reuse both. Queries run interleaved (raw, endpoint, raw, ...) after one warm-up round.
 *
 * Then concurrency: p50/p95 of a short query (one hour of readings, ~10 ms) through the endpoint
 * alone and while a multi-second query runs beside it, in alternating rounds of the same run;
 * target: p95 beside the long query at most 2x p95 alone.
 *
 * `--small-jobs` measures only the per-job overhead that bounds a loader's incremental run: p50/p95
 * wall ms and CPU ms (client and server, one process) of N sequential jobs.query calls of each
 * shape a loader sends between its loads (a constant SELECT, a point read of a small table, and a
 * lease-style script: UPDATE one row, read a watermark, in a transaction; the loader's own lease script
 * with its parameters), on a fresh in-memory server.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { startEmbeddedBigQuery } from '@landform/embedded-bigquery';
import { createLogger } from '../common/logger.js';
import type { Job } from '@google-cloud/bigquery';
import { bigQueryClientFor } from '../test/support/embedded-bigquery.js';

interface BenchQuery {
  name: string;
  /** DuckDB SQL over table `telemetry`. */
  duckdb: string;
  /** GoogleSQL over `bench.telemetry`. */
  googleSql: string;
}

const DEVICES = 200;
const DAYS = 30;
const CHUNK_ROWS = 1_000_000;

const QUERIES: BenchQuery[] = [
  {
    name: 'daily aggregates per device',
    duckdb: `select device_id, cast(ts as date) as day, count(*) as n, avg(cast(json_extract_string(metrics, '$.temp') as double)) as avg_temp
             from telemetry group by device_id, day order by device_id, day`,
    googleSql: `select device_id, date(ts) as day, count(*) as n, avg(cast(json_value(metrics, '$.temp') as float64)) as avg_temp
                from bench.telemetry group by device_id, day order by device_id, day`,
  },
  {
    name: 'percentiles per device',
    // approx_quantiles(x, 100) is 101 quantile boundaries; DuckDB's exact equivalent is quantile_disc over that list.
    duckdb: `select device_id, quantile_disc(cast(json_extract_string(metrics, '$.temp') as double), [${Array.from({ length: 101 }, (_, i) => i / 100).join(', ')}]) as q
             from telemetry group by device_id order by device_id`,
    googleSql: `select device_id, approx_quantiles(cast(json_value(metrics, '$.temp') as float64), 100) as q
                from bench.telemetry group by device_id order by device_id`,
  },
  {
    name: 'window: largest jump between readings',
    duckdb: `select device_id, max(abs(temp - prev)) as max_jump from (
               select device_id, cast(json_extract_string(metrics, '$.temp') as double) as temp,
                      lag(cast(json_extract_string(metrics, '$.temp') as double)) over (partition by device_id order by ts) as prev
               from telemetry) group by device_id order by device_id`,
    googleSql: `select device_id, max(abs(temp - prev)) as max_jump from (
                  select device_id, cast(json_value(metrics, '$.temp') as float64) as temp,
                         lag(cast(json_value(metrics, '$.temp') as float64)) over (partition by device_id order by ts) as prev
                  from bench.telemetry) group by device_id order by device_id`,
  },
  {
    name: 'JSON extraction + filter',
    duckdb: `select count(*) as n, sum(cast(json_extract_string(metrics, '$.battery') as double)) as battery
             from telemetry where cast(json_extract_string(metrics, '$.rssi') as bigint) < -90`,
    googleSql: `select count(*) as n, sum(cast(json_value(metrics, '$.battery') as float64)) as battery
                from bench.telemetry where cast(json_value(metrics, '$.rssi') as int64) < -90`,
  },
  {
    name: 'partition range (2 days)',
    duckdb: `select device_id, count(*) as n, max(ts) as last_seen from telemetry
             where ts >= timestamp '2024-01-10' and ts < timestamp '2024-01-12' group by device_id order by n desc, device_id limit 20`,
    googleSql: `select device_id, count(*) as n, max(ts) as last_seen from bench.telemetry
                where ts >= timestamp '2024-01-10' and ts < timestamp '2024-01-12' group by device_id order by n desc, device_id limit 20`,
  },
  {
    name: 'hourly fleet rollup',
    duckdb: `select date_trunc('hour', ts) as hour, count(distinct device_id) as devices, avg(cast(json_extract_string(metrics, '$.humidity') as double)) as humidity
             from telemetry group by hour order by hour`,
    googleSql: `select timestamp_trunc(ts, hour) as hour, count(distinct device_id) as devices, avg(cast(json_value(metrics, '$.humidity') as float64)) as humidity
                from bench.telemetry group by hour order by hour`,
  },
];

/** Deterministic telemetry: DEVICES devices, readings spread evenly over DAYS days from 2024-01-01. */
function generateSql(rows: number): string {
  const step = (DAYS * 86_400_000_000) / rows; // microseconds between rows
  return `create or replace table telemetry as
    select
      'dev-' || lpad(cast(i % ${DEVICES} as varchar), 4, '0') as device_id,
      make_timestamp(cast(1704067200000000 + floor(i * ${step}) as bigint)) as ts,
      json_object(
        'temp', round(20 + 10 * sin(i / 5000.0) + (hash(i) % 100) / 50.0, 2),
        'humidity', round(40 + (hash(i * 7) % 4000) / 100.0, 2),
        'battery', round(100 - (i % 10000) / 100.0, 2),
        'rssi', -40 - cast(hash(i * 13) % 70 as integer)
      ) as metrics
    from range(${rows}) as t(i)`;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const SHORT_QUERY = `select device_id, count(*) as n from bench.telemetry
  where ts >= timestamp '2024-01-10 00:00:00' and ts < timestamp '2024-01-10 01:00:00' group by device_id order by device_id`;
/** Many seconds of DuckDB work on every core (10^9 pairs), reading no table; cancelled once measured beside. */
const LONG_QUERY = 'select count(*) as n from unnest(generate_array(1, 31623)) as a, unnest(generate_array(1, 31623)) as b where mod(a * b, 7) = 3';

/**
 * The short query's latencies alone and beside the long one, in alternating rounds (so both see
 * the same background load on a shared machine): each round measures its share alone, starts the
 * long query as a job, waits until it runs, measures beside it, checks it still runs, cancels it.
 */
async function concurrency(client: ReturnType<typeof bigQueryClientFor>, samples: number): Promise<string[]> {
  const short = (): Promise<number> => timeIt(() => client.query(SHORT_QUERY));
  for (let k = 0; k < 3; k += 1) await short();
  const rounds = 5;
  const alone: number[] = [];
  const beside: number[] = [];
  let overlapped = 0;
  const state = async (job: Job): Promise<string | undefined> => ((await job.getMetadata())[0].status as { state?: string } | undefined)?.state;
  for (let round = 0; round < rounds; round += 1) {
    const n = Math.ceil(samples / rounds);
    for (let k = 0; k < n; k += 1) alone.push(await short());
    const [job] = await client.createQueryJob({ query: LONG_QUERY });
    while ((await state(job)) !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
    for (let k = 0; k < n; k += 1) beside.push(await short());
    if ((await state(job)) === 'RUNNING') overlapped += 1;
    await job.cancel();
    await job.promise().catch(() => undefined);
  }

  const line = (name: string, v: number[]): string => `${name.padEnd(40)} ${[percentile(v, 50), percentile(v, 95)].map((x) => x.toFixed(1).padStart(13)).join(' ')}`;
  return [
    '',
    `concurrency: ${alone.length} short queries through the endpoint alone and ${beside.length} beside a long query, in ${rounds} alternating rounds (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`,
    `${'short query'.padEnd(40)} ${['p50 ms', 'p95 ms'].map((c) => c.padStart(13)).join(' ')}`,
    line('alone', alone),
    line('beside the long query', beside),
    `${'beside/alone'.padEnd(40)} ${[percentile(beside, 50) / percentile(alone, 50), percentile(beside, 95) / percentile(alone, 95)].map((x) => `${x.toFixed(2)}x`.padStart(13)).join(' ')}   (target p95 <= 2x)`,
    `the long query was still running at the end of ${overlapped} of ${rounds} rounds (then cancelled)`,
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/**
 * The jobs a loader's incremental run sends besides its loads, each on its own. The point read runs
 * twice: its literal as written (a comparison decided at translation, sql/functions/typed-comparison.ts)
 * and the same value through concat(), whose type the translator does not know (the checked form).
 */
const SMALL_JOBS: { name: string; query: string; params?: Record<string, string | number> }[] = [
  { name: 'select 1', query: 'select 1 as x' },
  { name: 'point read of a 100-row table', query: "select w from small.marks where table_name = 't42'" },
  { name: '  the same, value through concat() (checked)', query: "select w from small.marks where table_name = concat('t', '42')" },
  {
    name: 'lease script (update + read, in a transaction)',
    query: `begin transaction;
      update small.leases set owner = 'bench', until_at = timestamp_add(current_timestamp(), interval 10 minute) where table_name = 't42';
      select w from small.marks where table_name = 't42';
      commit transaction;`,
  },
  {
    name: "the loader's lease script (parameters)",
    query: `update small.leases set owner = @owner, until_at = timestamp_millis(unix_millis(current_timestamp()) + @lease_ms)
      where table_name = @table_name and (owner is null or owner = @owner or until_at is null or until_at < current_timestamp());
      select @@row_count as taken, w from small.marks where table_name = @table_name;`,
    params: { owner: 'bench', lease_ms: 600000, table_name: 't42' },
  },
];

async function smallJobs(samples: number): Promise<string[]> {
  const server = await startEmbeddedBigQuery({ port: 0, dataPath: ':memory:', logger: createLogger('bench', 'warn') });
  const client = bigQueryClientFor(server.url);
  try {
    await client.createDataset('small');
    await client.query(`create table small.marks as select concat('t', cast(i as string)) as table_name, timestamp_seconds(1700000000 + i) as w from unnest(generate_array(1, 100)) as i`);
    await client.query(`create table small.leases as select concat('t', cast(i as string)) as table_name, cast(null as string) as owner, cast(null as timestamp) as until_at from unnest(generate_array(1, 100)) as i`);
    const lines = ['', `small jobs: ${samples} sequential jobs.query calls of each shape, in-memory server in this process (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`];
    lines.push(`${'job'.padEnd(48)} ${['p50 ms', 'p95 ms', 'CPU ms/job'].map((c) => c.padStart(13)).join(' ')}`);
    for (const job of SMALL_JOBS) {
      const run = () => client.query({ query: job.query, ...(job.params ? { params: job.params } : {}) });
      for (let k = 0; k < 10; k += 1) await run();
      const wall: number[] = [];
      const before = process.cpuUsage();
      for (let k = 0; k < samples; k += 1) wall.push(await timeIt(run));
      const cpu = process.cpuUsage(before);
      const cpuMs = (cpu.user + cpu.system) / 1000 / samples;
      lines.push(`${job.name.padEnd(48)} ${[percentile(wall, 50), percentile(wall, 95), cpuMs].map((x) => x.toFixed(1).padStart(13)).join(' ')}`);
    }
    return lines;
  } finally {
    await server.stop();
  }
}

async function rawCount(conn: DuckDBConnection): Promise<number> {
  try {
    const r = await conn.runAndReadAll('select count(*) from telemetry');
    return Number(r.getRows()[0]?.[0] ?? 0);
  } catch {
    return -1;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '5000000' },
      reps: { type: 'string', default: '5' },
      dir: { type: 'string', default: '.landform/bench' },
      samples: { type: 'string' },
      'concurrency-only': { type: 'boolean', default: false },
      'small-jobs': { type: 'boolean', default: false },
    },
  });
  if (values['small-jobs']) {
    process.stdout.write(`${(await smallJobs(Number(values.samples ?? 200))).join('\n')}\n`);
    return;
  }
  const rows = Number(values.rows);
  const reps = Number(values.reps);
  const dir = resolve(values.dir ?? '.landform/bench');
  await mkdir(dir, { recursive: true });
  const log = (line: string): void => void process.stderr.write(`${line}\n`);

  // Raw side: its own DuckDB file.
  const raw = await DuckDBInstance.create(join(dir, `raw-${rows}.duckdb`));
  const conn = await raw.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  // NDJSON (the loader's staging format) in chunks: TIMESTAMP as RFC 3339 text, the JSON column as a raw
  // JSON value. Chunks keep each file well below the 512 MB a single load reads into one string.
  const chunks = Math.ceil(rows / CHUNK_ROWS);
  const chunkFile = (k: number): string => join(dir, `telemetry-${rows}-${k}.ndjson`);
  if ((await rawCount(conn)) !== rows || !existsSync(chunkFile(chunks - 1))) {
    log(`generating ${rows} rows ...`);
    const ms = await timeIt(async () => {
      await conn.run(generateSql(rows));
      for (let k = 0; k < chunks; k += 1) {
        await conn.run(
          `copy (select device_id, strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') as ts, metrics from telemetry
                 where rowid >= ${k * CHUNK_ROWS} and rowid < ${(k + 1) * CHUNK_ROWS})
           to '${chunkFile(k).replace(/'/g, "''")}' (format json)`,
        );
      }
    });
    log(`generated in ${(ms / 1000).toFixed(1)} s`);
  }

  // Endpoint side: the embedded server with its own DuckDB, loaded through a real load job.
  const server = await startEmbeddedBigQuery({ port: 0, dataPath: join(dir, `endpoint-${rows}`), logger: createLogger('bench', 'warn') });
  const client = bigQueryClientFor(server.url);
  try {
    const [exists] = await client.dataset('bench').exists();
    if (!exists) await client.createDataset('bench');
    const table = client.dataset('bench').table('telemetry');
    const [tableExists] = await table.exists();
    const loadedRows = tableExists ? Number((await table.getMetadata())[0].numRows) : 0;
    if (loadedRows !== rows) {
      log(`loading ${rows} rows into the endpoint (${chunks} NDJSON load jobs) ...`);
      const ms = await timeIt(async () => {
        for (let k = 0; k < chunks; k += 1) {
          await table.load(chunkFile(k), {
            sourceFormat: 'NEWLINE_DELIMITED_JSON',
            writeDisposition: k === 0 ? 'WRITE_TRUNCATE' : 'WRITE_APPEND',
            schema: { fields: [{ name: 'device_id', type: 'STRING' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'metrics', type: 'JSON' }] },
            timePartitioning: { type: 'DAY', field: 'ts' },
          });
        }
      });
      log(`loaded in ${(ms / 1000).toFixed(1)} s`);
    }

    if (values['concurrency-only']) {
      process.stdout.write(`${(await concurrency(client, Number(values.samples ?? 40))).join('\n')}\n`);
      return;
    }

    // Both sides must agree on the answer before their times mean anything.
    for (const q of QUERIES) {
      const rawRows = (await conn.runAndReadAll(q.duckdb)).getRows().length;
      const [endpointRows] = await client.query(q.googleSql).catch((error: unknown) => {
        throw new Error(`${q.name}: the endpoint refused the query: ${(error as Error).message}`);
      });
      if (rawRows !== endpointRows.length) throw new Error(`${q.name}: raw DuckDB returned ${rawRows} rows, the endpoint ${endpointRows.length}`);
    }

    // "engine" is the same GoogleSQL through the engine in-process (translation + DuckDB + row encoding, no HTTP):
    // endpoint - engine is what the REST layer and the client's decoding add.
    const engine = server.server.engine;
    const times = new Map<string, { raw: number[]; engine: number[]; endpoint: number[] }>(QUERIES.map((q) => [q.name, { raw: [], engine: [], endpoint: [] }]));
    for (let rep = 0; rep < reps; rep += 1) {
      for (const q of QUERIES) {
        const t = times.get(q.name);
        if (!t) continue;
        t.raw.push(await timeIt(() => conn.runAndReadAll(q.duckdb).then((r) => r.getRows())));
        t.engine.push(await timeIt(() => engine.query(q.googleSql, { projectId: 'landform-local', useInt64Timestamp: true })));
        t.endpoint.push(await timeIt(() => client.query(q.googleSql)));
      }
      log(`repetition ${rep + 1}/${reps} done`);
    }

    // Medians are the headline; the fastest run is shown too, because on a shared machine noise only
    // ever adds time, so the minimum is the cleaner estimate of each side's own cost.
    const lines = [`embedded BigQuery vs raw DuckDB, ${rows.toLocaleString('en-US')} rows, ${reps} repetitions`, ''];
    const cols = ['raw ms', 'engine ms', 'endpoint ms', 'endpoint/raw', 'best raw', 'best endpoint', 'best ratio'];
    lines.push(`${'query (medians, then fastest runs)'.padEnd(40)} ${cols.map((c) => c.padStart(13)).join(' ')}`);
    const totals = { raw: 0, engine: 0, endpoint: 0, bestRaw: 0, bestEndpoint: 0 };
    const row = (name: string, v: typeof totals): string =>
      `${name.padEnd(40)} ${[v.raw, v.engine, v.endpoint].map((x) => x.toFixed(1).padStart(13)).join(' ')} ${`${(v.endpoint / v.raw).toFixed(2)}x`.padStart(13)} ` +
      `${[v.bestRaw, v.bestEndpoint].map((x) => x.toFixed(1).padStart(13)).join(' ')} ${`${(v.bestEndpoint / v.bestRaw).toFixed(2)}x`.padStart(13)}`;
    for (const q of QUERIES) {
      const t = times.get(q.name);
      if (!t) continue;
      const v = { raw: median(t.raw), engine: median(t.engine), endpoint: median(t.endpoint), bestRaw: Math.min(...t.raw), bestEndpoint: Math.min(...t.endpoint) };
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += v[key];
      lines.push(row(q.name, v));
    }
    lines.push(row('total', totals));
    lines.push(...(await concurrency(client, Number(values.samples ?? 40))));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await server.stop();
    conn.closeSync();
    raw.closeSync();
  }
}

await main();
