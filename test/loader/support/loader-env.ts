/**
 * Shared setup for the loader's integration tests: a real Postgres with the source tables the
 * contracts describe, the embedded BigQuery behind the real client, a temp stage directory, and
 * helpers that read both sides independently of the loader's code.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { pino } from 'pino';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import type { LoaderConfig } from '../../../loader/index.js';

export const SOURCE_DDL = `
create table telemetry_readings (
  reading_id bigint primary key,
  device_id text,
  ts timestamptz not null,
  metrics jsonb,
  ingested_at timestamptz not null default now()
);
create table devices (
  device_id text primary key,
  serial_number text not null,
  model text not null,
  site text not null,
  owner_email text,
  installed_at timestamptz not null,
  updated_at timestamptz not null
);
create table query_logs (
  query_id text primary key,
  user_id text not null,
  client_ip text,
  query_text text,
  collection text not null,
  latency_ms integer not null,
  result_count integer not null,
  status text not null,
  created_at timestamptz not null
);
create table economic_indicators (
  series_id text not null,
  observation_date date not null,
  value double precision,
  series_name text not null,
  units text not null,
  primary key (series_id, observation_date)
);
`;

export interface LoaderEnv {
  db: TestPostgres;
  bq: TestBigQuery;
  bigquery: BigQuery;
  stageDir: string;
  contractsDir: string;
  config(overrides?: Partial<LoaderConfig>): LoaderConfig;
  stop(): Promise<void>;
}

/** A copy of contracts/ that a test may edit (e.g. a lookback of 0). */
async function copyContracts(root: string, edit?: (file: string, text: string) => string): Promise<string> {
  const dir = path.join(root, 'contracts');
  await cp(path.resolve('contracts'), dir, { recursive: true });
  if (edit) {
    for (const name of ['telemetry_readings.yaml', 'devices.yaml', 'query_logs.yaml', 'economic_indicators.yaml']) {
      const file = path.join(dir, 'tables', name);
      await writeFile(file, edit(name, await readFile(file, 'utf8')));
    }
  }
  return dir;
}

export async function startLoaderEnv(options: { editContracts?: (file: string, text: string) => string } = {}): Promise<LoaderEnv> {
  const root = await mkdtemp(path.join(tmpdir(), 'landform-loader-test-'));
  const [db, bq] = await Promise.all([startTestPostgres(), startTestBigQuery({ logger: pino({ level: 'silent' }) })]);
  await db.client.query(SOURCE_DDL);
  const contractsDir = await copyContracts(root, options.editContracts);
  const stageDir = path.join(root, 'stage');
  const logger = pino({ level: process.env.LANDFORM_TEST_LOG ?? 'silent' });
  return {
    db,
    bq,
    bigquery: bq.bigquery,
    stageDir,
    contractsDir,
    config: (overrides = {}) => ({
      databaseUrl: db.url,
      projectId: 'landform-local',
      location: 'US',
      rawDataset: 'landform_raw',
      env: 'test',
      stage: { kind: 'local', dir: stageDir },
      bigquery: bq.bigquery,
      contractsDir,
      logger,
      retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      // Small parts, so the multi-part path (load while extracting) runs in every test.
      stagePartBytes: 16 * 1024,
      ...overrides,
    }),
    async stop() {
      await Promise.allSettled([bq.stop(), db.stop()]);
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Rows of a BigQuery query as plain objects (timestamps as ISO strings with microseconds via UNIX_MICROS in the SQL). */
export async function bqRows<T = Record<string, unknown>>(bigquery: BigQuery, sql: string): Promise<T[]> {
  const [rows] = await bigquery.query({ query: sql, location: 'US' });
  return rows as T[];
}

/** `id@cursor_micros` keys, sorted: a multiset of (primary key, cursor) that both sides can produce. */
export function keys(rows: { k: unknown; c: unknown }[]): string[] {
  return rows.map((r) => `${String(r.k)}@${String(r.c)}`).sort();
}

/** (reading_id, ingested_at) pairs in the raw table, duplicates kept. */
export async function rawTelemetryKeys(bigquery: BigQuery): Promise<string[]> {
  return keys(
    await bqRows<{ k: unknown; c: unknown }>(
      bigquery,
      `select cast(reading_id as string) as k, cast(unix_micros(ingested_at) as string) as c from landform_raw.telemetry_readings where ts >= timestamp '1970-01-01'`,
    ),
  );
}

/** The same pairs computed in Postgres, for rows the contract accepts. */
export async function sourceTelemetryKeys(db: TestPostgres, where = 'true'): Promise<string[]> {
  const result = await db.client.query<{ k: string; c: string }>(
    `select reading_id::text as k, (extract(epoch from ingested_at) * 1000000)::bigint::text as c from telemetry_readings where ${where}`,
  );
  return keys(result.rows);
}

/**
 * A contract for a test table `public.<name>`: appended by `updated_at`, keyed by `id`, partitioned by
 * day, with `id` and `updated_at` and then `columns` (YAML list items, each ending in a newline).
 */
export function appendContractYaml(name: string, description: string, columns: string): string {
  return `name: ${name}
version: 1
domain: test
description: ${description}
source: {schema: public, table: ${name}}
load: {mode: append, cursor: updated_at, lookback: 0s}
primary_key: [id]
partition: {column: updated_at, granularity: day}
columns:
  - {name: id, type: INT64, mode: REQUIRED, description: "Row id."}
  - {name: updated_at, type: TIMESTAMP, mode: REQUIRED, description: "Cursor."}
${columns}`;
}
