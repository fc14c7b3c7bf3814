/**
 * A metric added to contracts/telemetry/v1.yaml reaches the existing cur_telemetry_readings with no
 * full refresh (real Dataform CLI, embedded BigQuery): the incremental run's pre-operations add the
 * contract's missing metric columns. Dataform's MERGE names the columns the table had before the run
 * (its tables.get), so the run that adds the column leaves it NULL in the rows it merges; the next run
 * re-reads the late-arrival window and fills it.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { loadContracts } from '../../contracts/schema/index.js';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { copyProject, createRawLayer, runDataform, type ProjectCopy } from './embedded-project.js';

const NEW_METRIC = `  exhaust_temp_c:
    type: FLOAT64
    unit: degC
    min: 0
    max: 900
    description: Exhaust gas temperature.
`;

describe('a new telemetry metric on an existing curated table', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let copy: ProjectCopy;
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const rows = async (sql: string) => (await client.query({ query: sql, useLegacySql: false }))[0] as Array<Record<string, unknown>>;
  const run = () => runDataform(copy, bq.env, ['run', '--actions', 'cur_telemetry_readings']);
  const table = () => client.dataset('landform_curated').table('cur_telemetry_readings');
  const readings = () =>
    rows("select reading_id, battery_v, exhaust_temp_c from landform_curated.cur_telemetry_readings where ts >= timestamp '2000-01-01' order by reading_id");
  const land = async (id: number, metrics: object) => {
    const row = {
      reading_id: id,
      device_id: 'd1',
      ts: new Date(hour - 2 * 3_600_000).toISOString(),
      metrics,
      ingested_at: new Date(hour - 60_000).toISOString(),
      _batch_id: `b${id}`,
      _extracted_at: new Date().toISOString(),
      _contract_hash: 'h',
    };
    const file = path.join(copy.root, `reading-${id}.ndjson`);
    await writeFile(file, `${JSON.stringify(row)}\n`);
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

  test('the first run builds the table without the metric', async () => {
    await land(1, { battery_v: 12.5, exhaust_temp_c: 400 });
    const r = await run();
    expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });
    const [meta] = await table().getMetadata();
    expect((meta.schema.fields as { name: string }[]).map((f) => f.name)).not.toContain('exhaust_temp_c');
  }, 120_000);

  test('after the contract gains the metric, incremental runs add the column and fill it, keeping the table', async () => {
    const [before] = await table().getMetadata();
    await appendFile(path.join(copy.projectDir, 'contracts/telemetry/v1.yaml'), NEW_METRIC);
    await land(2, { battery_v: 12.0, exhaust_temp_c: 420.5 });

    const adding = await run();
    expect({ code: adding.code, output: adding.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });
    const [after] = await table().getMetadata();
    expect((after.schema.fields as { name: string; type: string }[]).find((f) => f.name === 'exhaust_temp_c')).toEqual(expect.objectContaining({ type: 'FLOAT' }));
    // the same table, extended: a full refresh would have created it anew
    expect(after.creationTime).toBe(before.creationTime);
    expect(await readings()).toEqual([
      { reading_id: 1, battery_v: 12.5, exhaust_temp_c: null },
      { reading_id: 2, battery_v: 12.0, exhaust_temp_c: null },
    ]);

    const filling = await run();
    expect({ code: filling.code, output: filling.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });
    // both readings are inside the late-arrival window the checkpoint re-reads
    expect(await readings()).toEqual([
      { reading_id: 1, battery_v: 12.5, exhaust_temp_c: 400 },
      { reading_id: 2, battery_v: 12.0, exhaust_temp_c: 420.5 },
    ]);
  }, 240_000);
});
