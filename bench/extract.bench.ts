/**
 * Extract benchmark (not a test): a table of `--rows` rows (default 5M) extracted by the embedded
 * BigQuery's extract jobs into an embedded GCS, as Parquet (SNAPPY) and as gzip JSON lines, against
 * DuckDB's own `COPY ... TO` of the same rows in a plain DuckDB, in one run; then the manifest's
 * read-back step (streaming each object from GCS through sha256 and, for JSON, gunzip + line count).
 *
 *   npx tsx bench/extract.bench.ts [--rows 5000000] [--repeat 3] [--over-http]
 *
 * The ratio is extract job wall time (HTTP, job, COPY, transfer into the GCS) / DuckDB COPY to a local
 * file. The transfer runs while DuckDB writes (server/gcs-stream.ts): by default the in-process
 * handoff the demo uses (the embedded GCS's putFile follows the bytes as they are written, then links
 * the finished file; the object's md5/crc32c are computed when a request first reports them, which
 * the manifest step's read-back does), with --over-http a streamed media upload to the GCS's JSON API.
 * The Parquet side runs `--repeat` times, the extract job, the engine's COPY alone and DuckDB's COPY
 * taking turns, so a change in the machine's load falls on all three; the medians are reported.
 * Target: at most 1.3x. The JSON extract also formats each type as BigQuery does (INT64 and NUMERIC
 * as strings, timestamps with " UTC"), which the plain COPY does not: part of the gap is that work.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { startEmbeddedBigQuery } from '@landform/embedded-bigquery';
import { startEmbeddedGcs } from '@landform/embedded-gcs';
import { digestObject } from '../extracts/checksums.js';
import { GcsObjectStore } from '../extracts/object-store.js';
import { exportConfigSchema } from '../contracts/schema/exports.js';
import { bigQueryClientFor } from '../test/support/embedded-bigquery.js';
import { storageClientFor } from '../test/support/embedded-gcs.js';

function argValue(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}

const ROWS = argValue('--rows', 5_000_000);
const REPEAT = argValue('--repeat', 3);
// The same rows both ways: generated from a row number, so both sides hold identical values.
const DUCK_SELECT = (n: number): string => `select i as id, 'name-' || cast(i as varchar) as name, cast(i % 100000 as decimal(38,9)) / 100 as amount,
  make_timestamptz(1758000000000000 + i * 1000) as ts, i % 2 = 0 as flag from range(${n}) t(i)`;
const BQ_SELECT = (n: number): string => `select i as id, concat('name-', cast(i as string)) as name, cast(mod(i, 100000) as numeric) / 100 as amount,
  timestamp_micros(1758000000000000 + i * 1000) as ts, mod(i, 2) = 0 as flag from unnest(generate_array(0, ${n - 1})) as i`;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

interface DuckBaseline {
  copy(format: 'parquet' | 'json'): Promise<{ ms: number; bytes: number }>;
  close(): void;
}

/** A plain DuckDB holding the same rows; each copy writes a fresh local file and removes it. */
async function duckBaseline(dir: string): Promise<DuckBaseline> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run(`SET TimeZone = 'UTC'`);
  await conn.run(`create table t as ${DUCK_SELECT(ROWS)}`);
  return {
    async copy(format) {
      const file = join(dir, format === 'parquet' ? 'duck.parquet' : 'duck.jsonl.gz');
      const { ms } = await timed(() => conn.run(`copy t to '${file}' (format ${format}, compression ${format === 'parquet' ? 'snappy' : 'gzip'})`));
      const bytes = (await stat(file)).size;
      await rm(file, { force: true });
      return { ms, bytes };
    },
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'landform-extract-bench-'));
  const gcs = await startEmbeddedGcs({ port: 0, dataPath: join(dir, 'gcs') });
  // as the demo wires them: extract jobs hand their files to the GCS in this process (GcsTarget.putFile)
  const overHttp = process.argv.includes('--over-http');
  const putFile = (o: { bucket: string; name: string }, file: string, bytes?: AsyncIterable<Uint8Array>) => gcs.putFile(o.bucket, o.name, file, bytes ? { bytes } : {});
  const bqServer = await startEmbeddedBigQuery({ port: 0, dataPath: ':memory:', gcs: { url: gcs.url, ...(overHttp ? {} : { putFile }) } });
  try {
    const bigquery = bigQueryClientFor(bqServer.url);
    const storage = storageClientFor(gcs.url);
    await storage.createBucket('bench');
    await bigquery.createDataset('bench');
    const load = await timed(() => bigquery.query(`create table bench.t as ${BQ_SELECT(ROWS)}`));
    process.stderr.write(`table of ${ROWS} rows built in ${(load.ms / 1000).toFixed(1)} s\n`);

    // wall time as a caller sees it (jobs.insert, the job, the client's polling), and the job's own
    // startTime..endTime from its statistics (the server's work without the client's 500 ms polls)
    const extractTimed = async (format: string, compression: string, name: string): Promise<{ ms: number; jobMs: number }> => {
      const { ms, value: job } = await timed(async () => {
        const [created] = await bigquery.dataset('bench').table('t').createExtractJob(storage.bucket('bench').file(name), { destinationFormat: format, compression } as never);
        await created.promise();
        return created;
      });
      const [metadata] = await job.getMetadata();
      const stats = (metadata as { statistics?: { startTime?: string; endTime?: string } }).statistics;
      return { ms, jobMs: Number(stats?.endTime ?? NaN) - Number(stats?.startTime ?? NaN) };
    };
    const extract = async (format: string, compression: string, name: string): Promise<number> => (await extractTimed(format, compression, name)).ms;
    const duck = await duckBaseline(dir);
    // the engine's part alone (COPY into its intake directory, no HTTP, no upload): separates the
    // engine's cost from the transfer into the GCS
    const engineOnly = async (): Promise<number> => (await timed(async () => {
      const files = await bqServer.server.engine.exportTable({ projectId: 'landform-local', datasetId: 'bench', tableId: 't' }, { format: 'PARQUET', compression: 'SNAPPY', printHeader: true, fieldDelimiter: ',' });
      await files.release();
    })).ms;
    const runs: { extract: number; job: number; engine: number; duck: number }[] = [];
    let duckParquetBytes = 0;
    for (let r = 0; r < REPEAT; r++) {
      const { ms: extractMs, jobMs } = await extractTimed('PARQUET', 'SNAPPY', `pq/r${r}/t-*.parquet.snappy`);
      const engineMs = await engineOnly();
      const copy = await duck.copy('parquet');
      duckParquetBytes = copy.bytes;
      runs.push({ extract: extractMs, job: jobMs, engine: engineMs, duck: copy.ms });
      process.stderr.write(`parquet run ${r + 1}/${REPEAT}: extract ${Math.round(extractMs)} ms (job ${jobMs} ms), engine ${Math.round(engineMs)} ms, duckdb ${Math.round(copy.ms)} ms (load ${loadavg()[0]?.toFixed(1)})\n`);
    }
    const parquetMs = median(runs.map((r) => r.extract));
    const duckParquetMs = median(runs.map((r) => r.duck));
    const jsonMs = await extract('NEWLINE_DELIMITED_JSON', 'GZIP', 'json/t-*.jsonl.gz');
    const duckJson = await duck.copy('json');
    duck.close();

    const store = new GcsObjectStore(storage, 'bench');
    const manifest = async (prefix: string, format: 'parquet' | 'jsonl'): Promise<{ ms: number; bytes: number }> => {
      const config = exportConfigSchema.parse({ name: 'bench', description: 'bench', source: { table: 'bench.t' }, format, compression: format === 'parquet' ? 'snappy' : 'gzip', destinations: [{ kind: 'gcs', bucket: 'bench' }] });
      let bytes = 0;
      const { ms } = await timed(async () => {
        for (const o of await store.list(prefix)) bytes += (await digestObject(store.read(o.name), config)).bytes;
      });
      return { ms, bytes };
    };
    const pqDigest = await manifest('pq/r0/', 'parquet');
    const jsonDigest = await manifest('json/', 'jsonl');

    const mbps = (bytes: number, ms: number): string => ((bytes / 1024 / 1024) / (ms / 1000)).toFixed(0);
    const report = {
      rows: ROWS,
      transfer: overHttp ? 'streamed HTTP media upload' : 'in-process putFile (hashes computed on first request)',
      cores: availableParallelism(),
      load_average_1m: Number(loadavg()[0]?.toFixed(2)),
      parquet_snappy: {
        runs: REPEAT,
        extract_job_ms: Math.round(parquetMs),
        job_statistics_ms: Math.round(median(runs.map((r) => r.job))),
        engine_copy_only_ms: Math.round(median(runs.map((r) => r.engine))),
        duckdb_copy_ms: Math.round(duckParquetMs),
        ratio: Number((parquetMs / duckParquetMs).toFixed(2)),
        ratio_per_run: runs.map((r) => Number((r.extract / r.duck).toFixed(2))),
        job_statistics_ratio: Number((median(runs.map((r) => r.job)) / duckParquetMs).toFixed(2)),
        bytes: pqDigest.bytes,
        duckdb_bytes: duckParquetBytes,
      },
      jsonl_gzip: { extract_job_ms: Math.round(jsonMs), duckdb_copy_ms: Math.round(duckJson.ms), ratio: Number((jsonMs / duckJson.ms).toFixed(2)), bytes: jsonDigest.bytes, duckdb_bytes: duckJson.bytes },
      manifest_read_back: {
        parquet_ms: Math.round(pqDigest.ms),
        parquet_mb_per_s: Number(mbps(pqDigest.bytes, pqDigest.ms)),
        jsonl_gzip_ms: Math.round(jsonDigest.ms),
        jsonl_gzip_mb_per_s: Number(mbps(jsonDigest.bytes, jsonDigest.ms)),
        share_of_parquet_extract: Number((pqDigest.ms / parquetMs).toFixed(2)),
      },
      target: 'extract job <= 1.3x DuckDB COPY',
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await bqServer.stop();
    await gcs.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
