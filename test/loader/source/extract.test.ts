/**
 * Extraction against a real Postgres: privacy policies (expected values worked out by hand),
 * contract checks that route rows to quarantine, text-typed source columns, JSON escaping through
 * binary COPY, and the cursor window's SQL as Postgres evaluates it.
 */
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadContracts, type ContractSet, type TableContract } from '../../../contracts/schema/index.js';
import pg from 'pg';
import { beginSnapshot, extractTable, planExtraction, type ExtractResult } from '../../../loader/source/extract.js';
import { extractParallel } from '../../../loader/source/parallel-extract.js';
import { SourceSchemaError } from '../../../loader/source/source-columns.js';
import { ColumnTypeError, planColumn } from '../../../loader/source/column-sql.js';
import { planWindow, type ExtractionWindow, type Watermark } from '../../../loader/source/window.js';
import { startTestPostgres, type TestPostgres } from '../../support/postgres.js';
import { SOURCE_DDL } from '../support/loader-env.js';

let db: TestPostgres;
let contracts: ContractSet;

beforeAll(async () => {
  db = await startTestPostgres();
  await db.client.query(SOURCE_DDL);
  contracts = await loadContracts();
});

afterAll(async () => {
  await db?.stop();
});

const contract = (name: string): TableContract => {
  const found = contracts.tables.find((t) => t.contract.name === name);
  if (!found) throw new Error(name);
  return found.contract;
};

interface Extracted extends ExtractResult {
  lines: Record<string, unknown>[];
  rejects: { reason: string; row: Record<string, unknown> }[];
}

async function extract(table: TableContract, window: ExtractionWindow, salt = ''): Promise<Extracted> {
  // The NDJSON plan: each row's values as JSON, the same SQL values the columnar formats cast.
  const plan = await planExtraction(db.client, table, table.metrics_contract ? contracts.telemetry.contract : undefined, window, salt, { jsonlOnly: true });
  const chunks: Buffer[] = [];
  const rejects: Extracted['rejects'] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const result = await extractTable(db.client, plan, { rows: sink, onReject: (reason, json) => rejects.push({ reason, row: JSON.parse(json) as Record<string, unknown> }) });
  const text = Buffer.concat(chunks).toString('utf8');
  const lines = text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { ...result, lines, rejects };
}

const incremental = (table: TableContract, watermark: Watermark | null, lag = 0) => planWindow(table, watermark, { safetyLagSeconds: lag });

describe('privacy policies are applied inside Postgres', () => {
  beforeAll(async () => {
    await db.client.query(`insert into query_logs values
      ('q1', 'alice', '192.168.10.77', 'my secret question', 'manuals', 12, 3, 'ok', '2026-03-01T00:00:00Z'),
      ('q2', 'bob', '2001:db8:abcd:12:1:2:3:4', null, 'manuals', 40, 0, 'error', '2026-03-01T00:00:01Z'),
      ('q3', 'carol', 'not-an-ip', 'x', 'manuals', 5, 1, 'ok', '2026-03-01T00:00:02Z'),
      ('q4', 'dave', null, null, 'manuals', 5, 1, 'ok', '2026-03-01T00:00:03Z')`);
    await db.client.query(`insert into devices values
      ('pump-1', 'SN-12345678', 'P100', 'north', 'owner@example.com', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
      ('pump-2', 'AB1', 'P100', 'north', null, '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`);
  });

  test('hash: hex sha256 of salt || value; truncate_ip: /24 and /48; drop: never read', async () => {
    const out = await extract(contract('query_logs'), incremental(contract('query_logs'), null), 'pepper');
    const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
    expect(out.lines).toEqual([
      { query_id: 'q1', user_id: sha('pepperalice'), client_ip: '192.168.10.0', collection: 'manuals', latency_ms: 12, result_count: 3, status: 'ok', created_at: '2026-03-01T00:00:00+00:00' },
      { query_id: 'q2', user_id: sha('pepperbob'), client_ip: '2001:db8:abcd::', collection: 'manuals', latency_ms: 40, result_count: 0, status: 'error', created_at: '2026-03-01T00:00:01+00:00' },
      { query_id: 'q4', user_id: sha('pepperdave'), client_ip: null, collection: 'manuals', latency_ms: 5, result_count: 1, status: 'ok', created_at: '2026-03-01T00:00:03+00:00' },
    ]);
    // Anchored outside Node: `printf 'pepperalice' | sha256sum`.
    expect(out.lines[0]?.user_id).toBe('b1b68da447843a6519d8dd7a9c13c90aa1148805cbe55810f86712e6c294ff36');
    // An address that is no IP cannot be truncated: quarantined, and its clear value is not kept either.
    expect(out.rejects).toEqual([{ reason: 'client_ip: not a valid IP address (row query_id=q3)', row: expect.objectContaining({ query_id: 'q3', client_ip: null }) }]);
    expect(JSON.stringify(out)).not.toContain('secret');
  });

  test('hash without a salt is plain sha256; mask_except_last_4 keeps only the last four characters and masks a short value whole', async () => {
    // owner_email: `printf 'owner@example.com' | sha256sum`.
    const out = await extract(contract('devices'), incremental(contract('devices'), null));
    expect(out.lines.map((l) => [l.device_id, l.serial_number, l.owner_email])).toEqual([
      ['pump-1', '*******5678', 'c8cd3c6427301eaf6665bccacd65ddb614527acc843a15463e3faba57124c351'],
      // 4 characters or fewer: showing the last four would show the whole value.
      ['pump-2', '***', null],
    ]);
  });
});

describe('contract checks and value rendering', () => {
  test('JSON with quotes, backslashes, unicode and newlines survives binary COPY intact', async () => {
    const metrics = { battery_v: 12.25, note: 'a "quoted" \\ back\\slash\nnew line ✓ \u0001', nested: { engine_rpm_raw: [1, 2] } };
    await db.client.query(`insert into telemetry_readings values (1, 'dev-1', '2026-03-01T00:00:00Z', $1, '2026-03-01T00:00:00.000001Z')`, [JSON.stringify(metrics)]);
    const out = await extract(contract('telemetry_readings'), incremental(contract('telemetry_readings'), null));
    expect(out.lines).toEqual([{ reading_id: 1, device_id: 'dev-1', ts: '2026-03-01T00:00:00+00:00', metrics, ingested_at: '2026-03-01T00:00:00.000001+00:00' }]);
    expect(out.last).toEqual({ cursor: '2026-03-01T00:00:00.000001Z', key: { reading_id: '1' } });
  });

  test('a source column of the wrong type is a clear error naming table and column', async () => {
    await db.client.query(`create schema wrong; create table wrong.telemetry_readings (reading_id bigint, device_id text, ts text, metrics jsonb, ingested_at timestamptz)`);
    await db.client.query(`insert into wrong.telemetry_readings values (1, 'd', '2026-03-01 00:00:00+00', '{}', '2026-03-01T00:00:00Z'), (2, 'd', 'yesterday-ish', '{}', '2026-03-01T00:00:00Z')`);
    // ts stored as text: parsed per row, the unparseable one quarantined with its text.
    const textTs = { ...contract('telemetry_readings'), source: { schema: 'wrong', table: 'telemetry_readings' } };
    const out = await extract(textTs, incremental(textTs, null));
    expect(out.lines.map((l) => l.ts)).toEqual(['2026-03-01T00:00:00+00:00']);
    expect(out.rejects).toEqual([{ reason: 'ts: not a valid TIMESTAMP (row reading_id=2)', row: expect.objectContaining({ reading_id: 2, ts: 'yesterday-ish' }) }]);

    await db.client.query(`alter table wrong.telemetry_readings alter column ts type boolean using true`);
    await expect(planExtraction(db.client, textTs, contracts.telemetry.contract, incremental(textTs, null), '')).rejects.toThrow(ColumnTypeError);
    await expect(planExtraction(db.client, textTs, contracts.telemetry.contract, incremental(textTs, null), '')).rejects.toThrow(
      'contract telemetry_readings, column ts: source type bool cannot carry contract type TIMESTAMP',
    );
    await db.client.query(`alter table wrong.telemetry_readings drop column device_id`);
    await expect(planExtraction(db.client, textTs, contracts.telemetry.contract, incremental(textTs, null), '')).rejects.toThrow(SourceSchemaError);
  });
});

describe('metric checks', () => {
  test('a known metric of another JSON type is quarantined, whatever the type; null, absent and unknown keys are not', async () => {
    await db.client.query(`create schema metricsx; create table metricsx.telemetry_readings (reading_id bigint primary key, device_id text, ts timestamptz not null, metrics jsonb not null, ingested_at timestamptz not null)`);
    const values: [number, string][] = [
      [1, '{"battery_v": 12.5, "engine_rpm": null}'],
      [2, '{"battery_v": "low"}'],
      [3, '{"battery_v": true}'],
      [4, '{"battery_v": [1]}'],
      [5, '{"battery_v": {"v": 1}}'],
      [6, '{"note": "text", "flags": [true], "battery_v": 1}'],
      [7, '[1, 2]'],
      [8, '{}'],
      [9, '{"engine_rpm": "x", "battery_v": "y"}'],
      [10, '"just a string"'],
    ];
    for (const [id, metrics] of values) {
      await db.client.query(`insert into metricsx.telemetry_readings values ($1, 'd', '2026-03-01T00:00:00Z', $2, '2026-03-01T00:00:00Z')`, [id, metrics]);
    }
    const table = { ...contract('telemetry_readings'), source: { schema: 'metricsx', table: 'telemetry_readings' } };
    const out = await extract(table, incremental(table, null));
    expect(out.lines.map((l) => l.reading_id).sort((a, b) => Number(a) - Number(b))).toEqual([1, 6, 8]);
    const notNumber = (key: string) => `metrics.${key}: known metric is not a number`;
    expect(out.rejects.map((r) => r.reason).sort()).toEqual(
      [
        `${notNumber('battery_v')} (row reading_id=2)`,
        `${notNumber('battery_v')} (row reading_id=3)`,
        `${notNumber('battery_v')} (row reading_id=4)`,
        `${notNumber('battery_v')} (row reading_id=5)`,
        'metrics: not a JSON object (row reading_id=7)',
        `${notNumber('battery_v')}; ${notNumber('engine_rpm')} (row reading_id=9)`,
        'metrics: not a JSON object (row reading_id=10)',
      ].sort(),
    );
  });

  test('one jsonpath prefilter stands in for the per-key tests only when every known metric expects the same JSON type', () => {
    const table = contract('telemetry_readings');
    const column = table.columns.find((c) => c.name === 'metrics');
    if (!column) throw new Error('no metrics column');
    const source = { name: 'metrics', udt: 'jsonb', notNull: true };
    const numbers = planColumn(table, column, source, contracts.telemetry.contract);
    expect(numbers.checks.filter((c) => c.prefilter).length).toBe(Object.keys(contracts.telemetry.contract.metrics).length);
    expect(numbers.checks.find((c) => c.prefilter)?.prefilter).toContain(`@? 'strict $.* ? (@.type() != "number" && @.type() != "null")'`);
    const mixed = { ...contracts.telemetry.contract, metrics: { ...contracts.telemetry.contract.metrics, door_open: { type: 'BOOL', unit: '1', description: 'Door state.' } } } as typeof contracts.telemetry.contract;
    expect(planColumn(table, column, source, mixed).checks.some((c) => c.prefilter)).toBe(false);
    expect(planColumn(table, column, { ...source, udt: 'json' }, contracts.telemetry.contract).checks.some((c) => c.prefilter)).toBe(false);
  });
});

describe('metric checks made by the CSV framer', () => {
  /** The CSV plan's rows (their text) and rejects; the framer checks the metrics, Postgres the rest. */
  async function extractCsv(table: TableContract, window: ExtractionWindow): Promise<ExtractResult & { texts: string[]; rejects: { reason: string; row: Record<string, unknown> }[]; copySql: string; framed: boolean }> {
    const plan = await planExtraction(db.client, table, contracts.telemetry.contract, window, '');
    expect(plan.format).toBe('csv');
    const texts: string[] = [];
    const rejects: { reason: string; row: Record<string, unknown> }[] = [];
    const sink = new Writable({
      objectMode: true,
      write(chunk: { bytes: Buffer }, _encoding, callback) {
        texts.push(...chunk.bytes.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    });
    const result = await extractTable(db.client, plan, { rows: sink, onReject: (reason, json) => rejects.push({ reason, row: JSON.parse(json) as Record<string, unknown> }) });
    return { ...result, texts, rejects, copySql: plan.copySql, framed: plan.metricsCheck !== undefined };
  }

  test('quarantines exactly the rows, reasons and row JSON that the checks in Postgres give', async () => {
    await db.client.query(`create schema metricscsv; create table metricscsv.telemetry_readings (reading_id bigint primary key, device_id text, ts timestamptz not null, metrics jsonb not null, ingested_at timestamptz not null)`);
    const values: [number, string, string][] = [
      [1, '{"battery_v": 12.5, "engine_rpm": null}', '2026-03-01T00:00:00Z'],
      [2, '{"battery_v": "low"}', '2026-03-01T00:00:00Z'],
      [3, '{"battery_v": true}', '2026-03-01T00:00:00Z'],
      [4, '{"battery_v": [1]}', '2026-03-01T00:00:00Z'],
      [5, '{"battery_v": {"v": 1}}', '2026-03-01T00:00:00Z'],
      [6, '{"note": "text", "flags": [true], "battery_v": 1}', '2026-03-01T00:00:00Z'],
      [7, '[1, 2]', '2026-03-01T00:00:00Z'],
      [8, '{}', '2026-03-01T00:00:00Z'],
      [9, '{"engine_rpm": "x", "battery_v": "y"}', '2026-03-01T00:00:00Z'],
      [10, '"just a string"', '2026-03-01T00:00:00Z'],
      // a key with an escaped quote, a colon and a backslash before a value that is fine
      [11, '{"we\\"ird: \\\\": "v", "battery_v": -1.5e3}', '2026-03-01T00:00:00Z'],
      // broken twice: Postgres names the timestamp, the metric too
      [12, '{"battery_v": "12"}', '10000-01-01T00:00:00Z'],
      [13, 'null', '2026-03-01T00:00:00Z'],
      [14, '{"battery_v": false, "engine_rpm": 3, "vibration": "high"}', '2026-03-01T00:00:00Z'],
      [15, '{"tab\\there": 1, "battery_v": null, "unicode ✓": "\\u001e"}', '2026-03-01T00:00:00Z'],
    ];
    for (const [id, metrics, ts] of values) {
      await db.client.query(`insert into metricscsv.telemetry_readings values ($1, 'd', $3, $2, '2026-03-01T00:00:00Z')`, [id, metrics, ts]);
    }
    const table = { ...contract('telemetry_readings'), source: { schema: 'metricscsv', table: 'telemetry_readings' } };
    const window = incremental(table, null);
    const reference = await extract(table, window);
    const csv = await extractCsv(table, window);
    expect(csv.framed).toBe(true);
    // the per-row jsonpath test left Postgres's COPY
    expect(csv.copySql).not.toContain('@?');
    expect(reference.lines.map((l) => l.reading_id).sort((a, b) => Number(a) - Number(b))).toEqual([1, 6, 8, 11, 15]);
    expect(csv.texts.map((r) => Number(r.split('\t')[0])).sort((a, b) => a - b)).toEqual([1, 6, 8, 11, 15]);
    const byReason = (a: { reason: string }, b: { reason: string }) => a.reason.localeCompare(b.reason);
    expect(csv.rejects.sort(byReason)).toEqual(reference.rejects.sort(byReason));
    expect(csv.rejects.find((r) => r.row.reading_id === 12)?.reason).toBe("ts: TIMESTAMP outside BigQuery's range 0001-01-01..9999-12-31; metrics.battery_v: known metric is not a number (row reading_id=12)");
    expect(csv.rejects.find((r) => r.row.reading_id === 13)?.reason).toBe('metrics: not a JSON object (row reading_id=13)');
    expect([csv.texts.length, csv.rows, csv.rejected]).toEqual([5, 5, 10]);
  });
});

describe('metric checks made by the CSV framer of snapshot workers', () => {
  test('rows held by two workers are read back by the leader in the shared snapshot', async () => {
    await db.client.query(`create schema metricspar; create table metricspar.telemetry_readings (reading_id bigint primary key, device_id text, ts timestamptz not null, metrics jsonb not null, ingested_at timestamptz not null)`);
    // 2000 rows over many heap blocks, every 100th with a known metric that is a string
    await db.client.query(`insert into metricspar.telemetry_readings select g, 'd', '2026-03-01T00:00:00Z', case when g % 100 = 0 then '{"battery_v": "low"}'::jsonb else '{"battery_v": 1}'::jsonb end, '2026-03-01T00:00:00Z' from generate_series(1, 2000) as g`);
    const table = { ...contract('telemetry_readings'), source: { schema: 'metricspar', table: 'telemetry_readings' } };
    const plan = await planExtraction(db.client, table, contracts.telemetry.contract, incremental(table, null), '');
    expect(plan.metricsCheck).toBeDefined();
    const rejects: string[] = [];
    let rows = 0;
    const sink = new Writable({
      objectMode: true,
      write(chunk: { rows: number }, _encoding, callback) {
        rows += chunk.rows;
        callback();
      },
    });
    const openWorker = async () => {
      const worker = new pg.Client({ connectionString: db.url });
      await worker.connect();
      return worker;
    };
    const result = await extractParallel(db.client, openWorker, plan, 2, { rows: sink, onReject: (reason) => rejects.push(reason) });
    expect([result.rows, result.rejected, rows]).toEqual([1980, 20, 1980]);
    expect(rejects.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `metrics.battery_v: known metric is not a number (row reading_id=${(i + 1) * 100})`).sort());
  });
});

describe('the cursor window as Postgres evaluates it', () => {
  const t = () => contract('telemetry_readings');
  const noLookback = (): TableContract => ({ ...t(), load: { ...t().load, lookback: '0s' } });

  beforeAll(async () => {
    await db.client.query(`delete from telemetry_readings`);
    await db.client.query(`insert into telemetry_readings values
      (10, 'd', '2026-04-01T00:00:00Z', '{}', '2026-04-01T00:00:00Z'),
      (11, 'd', '2026-04-01T00:00:00Z', '{}', '2026-04-01T00:00:00Z'),
      (12, 'd', '2026-04-01T00:00:00Z', '{}', '2026-04-01T00:00:00Z'),
      (13, 'd', '2026-04-01T00:00:00Z', '{}', '2026-04-01T00:10:00Z'),
      (14, 'd', '2026-04-01T00:00:00Z', '{}', now() - interval '10 seconds')`);
  });

  const ids = (out: Extracted) => out.lines.map((l) => l.reading_id).sort((a, b) => Number(a) - Number(b));

  test('lookback 0: rows sharing the watermark cursor with a larger key are read, smaller keys are not', async () => {
    const out = await extract(noLookback(), incremental(noLookback(), { cursor: '2026-04-01T00:00:00.000000Z', key: { reading_id: '11' } }));
    expect(ids(out)).toEqual([12, 13, 14]);
  });

  test('lookback 15m reads everything from watermark - 15m, keys aside', async () => {
    const out = await extract(t(), incremental(t(), { cursor: '2026-04-01T00:10:00.000000Z', key: { reading_id: '13' } }));
    expect(ids(out)).toEqual([10, 11, 12, 13, 14]);
  });

  test('the safety lag leaves rows newer than now() - lag for the next run', async () => {
    expect(ids(await extract(t(), incremental(t(), null, 60)))).toEqual([10, 11, 12, 13]);
    expect(ids(await extract(t(), incremental(t(), null, 0)))).toEqual([10, 11, 12, 13, 14]);
  });

  test('a backfill reads exactly its inclusive range; full refresh reads the whole table', async () => {
    const backfill = planWindow(t(), null, { safetyLagSeconds: 0, backfill: { from: '2026-04-01T00:00:00Z', to: '2026-04-01T00:05:00Z' } });
    const out = await extract(t(), backfill);
    expect(ids(out)).toEqual([10, 11, 12]);
    expect(out.last).toEqual({ cursor: '2026-04-01T00:00:00.000000Z', key: { reading_id: '12' } });
    const full = await extract({ ...t(), load: { mode: 'full_refresh', lookback: '0s' } }, { kind: 'full' });
    expect(ids(full)).toEqual([10, 11, 12, 13, 14]);
  });
});

describe('the scan Postgres picks', () => {
  // The plan is the behaviour here: a bitmap heap scan over an index on the cursor costs 1.5x the
  // CPU of reading the heap in order when the window is (nearly) the whole table.
  const scanOf = async (window: ExtractionWindow): Promise<string> => {
    const table = contract('telemetry_readings');
    const plan = await planExtraction(db.client, table, contracts.telemetry.contract, window, '');
    await beginSnapshot(db.client, { ...plan.settings, ...plan.scanSettings });
    try {
      const inner = plan.copySql.replace(/^copy \(/, '').replace(/\) to stdout.*$/s, '');
      const explained = await db.client.query<{ 'QUERY PLAN': string }>(`explain ${inner}`);
      return explained.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.client.query('rollback');
    }
  };

  test('the first load (no watermark) reads the heap, even with an index on the cursor', async () => {
    // enough rows that the planner's guess of a third of them favours the index
    await db.client.query(`insert into telemetry_readings (reading_id, device_id, ts, metrics, ingested_at)
      select 1000000000 + g, 'd', timestamptz '2026-01-01' + g * interval '1 second', '{}', timestamptz '2026-01-01' + g * interval '1 second'
      from generate_series(1, 50000) as g`);
    await db.client.query('create index telemetry_cursor_idx on telemetry_readings (ingested_at, reading_id)');
    await db.client.query('analyze telemetry_readings');
    let first: string;
    try {
      first = await scanOf(planWindow(contract('telemetry_readings'), null, { safetyLagSeconds: 0 }));
    } finally {
      await db.client.query('drop index telemetry_cursor_idx');
      await db.client.query('delete from telemetry_readings where reading_id > 1000000000');
    }
    expect(first).toMatch(/Seq Scan on telemetry_readings/);
    expect(first).not.toMatch(/Index|Bitmap/);
    // the setting is the extraction transaction's own: the session plans as before afterwards
    const after = await db.client.query<{ setting: string }>(`select current_setting('enable_bitmapscan') as setting`);
    expect(after.rows[0]?.setting).toBe('on');
  });
});
