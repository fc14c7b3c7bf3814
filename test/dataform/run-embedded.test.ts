import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { loadContracts } from '../../contracts/schema/index.js';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { copyProject, createRawLayer, runDataform, type ProjectCopy } from './embedded-project.js';
import { REPO_ROOT } from './load-includes.js';

// Unit tests the embedded engine cannot pass yet, with the engine gap behind each (none today).
const KNOWN_ENGINE_GAPS: Record<string, string> = {};
// Engine gap worked around here: `insert into <table with require_partition_filter> values (...)` is
// refused for want of a partition filter (BigQuery asks for one only on reads), so rows land through a load job.

async function countUnitTestFiles(): Promise<number> {
  const root = path.join(REPO_ROOT, 'definitions');
  const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.sqlx'));
  const texts = await Promise.all(files.map((f) => readFile(path.join(root, f), 'utf8')));
  return texts.filter((t) => /type:\s*"test"/.test(t)).length;
}

describe('the Dataform project on the embedded BigQuery', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let copy: ProjectCopy;
  const rows = async (sql: string) => (await client.query({ query: sql, useLegacySql: false }))[0] as Array<Record<string, unknown>>;
  const run = (...args: string[]) => runDataform(copy, bq.env, args);
  // Rows land through a load job, as the loader lands them.
  const landReadings = async (readings: Array<{ id: number; metrics: object; extractedMinutesAgo: number }>) => {
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const ndjson = readings
      .map((r) =>
        JSON.stringify({
          reading_id: r.id,
          device_id: 'd1',
          ts: new Date(hour - 2 * 3_600_000).toISOString(),
          metrics: r.metrics,
          ingested_at: new Date(hour - r.extractedMinutesAgo * 60_000).toISOString(),
          _batch_id: `b${r.extractedMinutesAgo}`,
          _extracted_at: new Date(Date.now() - r.extractedMinutesAgo * 60_000).toISOString(),
          _contract_hash: 'h',
        }),
      )
      .join('\n');
    const file = path.join(copy.root, `readings-${readings[0]?.extractedMinutesAgo ?? 0}.ndjson`);
    await writeFile(file, `${ndjson}\n`);
    await client.dataset('landform_raw').table('telemetry_readings').load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND' });
  };

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    copy = await copyProject();
    await createRawLayer(client, await loadContracts());
  });
  afterAll(async () => {
    await bq?.stop();
    await copy?.cleanup();
  });

  test('a full run on empty raw tables builds every table; only the export freshness check fails', async () => {
    const { code, output } = await run('run');
    const failed = [...output.matchAll(/(?:failed|error)[^\n]*?(landform_\w+\.\w+)/gi)].map((m) => m[1]);
    expect(failed).toEqual(['landform_assertions.exports_fresh']);
    expect(code).toBe(1);
    // No export has ever succeeded, so every contract table is reported stale.
    const freshness = await rows('select table_name, is_stale from landform_marts.mart_export_freshness order by table_name');
    expect(freshness).toHaveLength(12);
    expect(freshness.every((r) => r.is_stale === true)).toBe(true);
  });

  test('incremental runs keep the latest version per reading, typed from the contract, unknown keys kept', async () => {
    await landReadings([
      { id: 1, metrics: { battery_v: 12.5, engine_rpm: 1500, vibration_g: 0.2 }, extractedMinutesAgo: 30 },
      { id: 2, metrics: { battery_v: 'n/a', coolant_temp_c: 80 }, extractedMinutesAgo: 30 },
    ]);
    const first = await run('run', '--actions', 'cur_telemetry_readings');
    expect(first.output).not.toMatch(/failed/i);

    await landReadings([{ id: 1, metrics: { battery_v: 12.75, engine_rpm: 1600, vibration_g: 0.2 }, extractedMinutesAgo: 10 }]);
    const second = await run('run', '--actions', 'cur_telemetry_readings');
    expect(second.output).not.toMatch(/failed/i);

    const curated = await rows(
      "select reading_id, battery_v, engine_rpm, coolant_temp_c, json_value(metrics, '$.vibration_g') as vibration_g from landform_curated.cur_telemetry_readings where ts >= timestamp '2000-01-01' order by reading_id",
    );
    expect(curated).toEqual([
      { reading_id: 1, battery_v: 12.75, engine_rpm: 1600, coolant_temp_c: null, vibration_g: '0.2' },
      { reading_id: 2, battery_v: null, engine_rpm: null, coolant_temp_c: 80, vibration_g: null },
    ]);
  });

  test('the unit tests pass on the embedded engine', async () => {
    const { output } = await run('test');
    const results = [...output.matchAll(/^(\w+_test): .*?(passed|failed)/gm)].map((m) => [m[1], m[2]]);
    // One result per `type: "test"` file in the project, counted from the files, not from the output.
    expect(results).toHaveLength(await countUnitTestFiles());
    for (const [name, status] of results) {
      // A failure prints Dataform's own output (the row and column that differ), not just the name.
      if (name && !(name in KNOWN_ENGINE_GAPS)) expect({ name, status, output: status === 'passed' ? '' : output }).toEqual({ name, status: 'passed', output: '' });
    }
  });
});
