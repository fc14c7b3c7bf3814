import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const FIXTURE = join(REPO, 'test/fixtures/dataform-project');
const DATAFORM_CLI = join(REPO, 'node_modules/@dataform/cli/bundle.js');

/**
 * A copy of the fixture project the unmodified Dataform CLI accepts offline: no dataformCoreVersion,
 * @dataform/core in package.json and a real copy of it in node_modules (the compile sandbox refuses
 * modules whose real path lies outside the project, so a symlink to the repo's copy does not do).
 */
async function prepareProject(root: string): Promise<{ projectDir: string; credentials: string }> {
  const projectDir = join(root, 'project');
  await cp(FIXTURE, projectDir, { recursive: true });
  await writeFile(join(projectDir, 'package.json'), JSON.stringify({ name: 'dataform-fixture', private: true, dependencies: { '@dataform/core': '3.0.62' } }));
  await mkdir(join(projectDir, 'node_modules/@dataform'), { recursive: true });
  await cp(join(REPO, 'node_modules/@dataform/core'), join(projectDir, 'node_modules/@dataform/core'), { recursive: true });
  const credentials = join(root, '.df-credentials.json');
  await writeFile(credentials, JSON.stringify({ projectId: 'landform-local', location: 'US' }));
  return { projectDir, credentials };
}

describe('the real Dataform CLI against the embedded BigQuery', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let root: string;
  let projectDir: string;
  let credentials: string;

  const dataform = (args: string[]): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [DATAFORM_CLI, ...args], {
        cwd: projectDir,
        // HOME points at an empty dir so no developer gcloud credentials are found; bq.env does the rest.
        env: { PATH: process.env.PATH, HOME: root, ...bq.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('exit', (code) => resolve({ code, output }));
    });
  const run = (...extra: string[]) => dataform(['run', projectDir, '--credentials', credentials, ...extra]);

  const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await client.query(sql))[0] as Record<string, unknown>[];
  const insertRaw = (values: string) =>
    client.query(`insert into fixture_raw.raw_events (event_id, device_id, event_ts, reading, updated_at) values ${values}`);

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    root = await mkdtemp(join(tmpdir(), 'landform-dataform-'));
    ({ projectDir, credentials } = await prepareProject(root));
    await client.createDataset('fixture_raw');
    await client.dataset('fixture_raw').table('raw_events').create({
      schema: 'event_id:STRING,device_id:STRING,event_ts:TIMESTAMP,reading:FLOAT,updated_at:TIMESTAMP',
    });
    await insertRaw(`
      ('e1', 'd1', timestamp '2024-01-01 10:00:00 UTC', 1.0, timestamp '2024-01-01 10:00:00 UTC'),
      ('e2', 'd1', timestamp '2024-01-01 11:00:00 UTC', 2.0, timestamp '2024-01-01 11:00:00 UTC'),
      ('e3', 'd2', timestamp '2024-01-02 09:00:00 UTC', 3.0, timestamp '2024-01-02 09:00:00 UTC')`);
  });
  afterAll(async () => {
    await bq?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('first run creates every action; tables.patch sets descriptions and labels', async () => {
    const result = await run();
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });

    expect(await rows('select event_id, reading from df_fixture.events_latest order by event_id')).toEqual([
      { event_id: 'e1', reading: 1 },
      { event_id: 'e2', reading: 2 },
      { event_id: 'e3', reading: 3 },
    ]);
    const daily = await rows('select device_id, cast(event_date as string) as day, event_count, reading_sum from df_fixture.device_daily order by device_id');
    expect(daily).toEqual([
      { device_id: 'd1', day: '2024-01-01', event_count: 2, reading_sum: 3 },
      { device_id: 'd2', day: '2024-01-02', event_count: 1, reading_sum: 3 },
    ]);
    expect(await rows('select count(*) as n from df_fixture.run_log')).toEqual([{ n: 1 }]);

    const [view] = await client.dataset('df_fixture').table('stg_events').getMetadata();
    expect(view.type).toBe('VIEW');
    const [table] = await client.dataset('df_fixture').table('device_daily').getMetadata();
    expect(table.description).toBe('One row per device and day.');
    expect(table.labels).toEqual({ layer: 'marts' });
    expect(table.schema.fields.find((f: { name: string }) => f.name === 'device_id').description).toBe('Device identifier.');
    expect(table.timePartitioning).toMatchObject({ type: 'DAY', field: 'event_date' });
    expect(table.clustering).toEqual({ fields: ['device_id'] });
    const [assertions] = await client.dataset('df_fixture_assertions').getTables();
    expect(assertions.map((t) => t.id)).toEqual(expect.arrayContaining(['assert_readings_in_range', 'df_fixture_device_daily_assertions_uniqueKey_0']));
  });

  test('second run takes the incremental path: MERGE updates rows by uniqueKey instead of rebuilding', async () => {
    // e2 gets a new version, e4 is new, and e1 disappears from the source.
    await insertRaw(`
      ('e2', 'd1', timestamp '2024-01-01 11:00:00 UTC', 20.0, timestamp '2024-01-03 00:00:00 UTC'),
      ('e4', 'd2', timestamp '2024-01-03 08:00:00 UTC', 4.0, timestamp '2024-01-03 01:00:00 UTC')`);
    await client.query("delete from fixture_raw.raw_events where event_id = 'e1'");

    const result = await run();
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.any(String) });
    // e1 survives (a rebuild would drop it), e2 is updated in place (a plain insert would duplicate it), e4 is added.
    expect(await rows('select event_id, reading from df_fixture.events_latest order by event_id')).toEqual([
      { event_id: 'e1', reading: 1 },
      { event_id: 'e2', reading: 20 },
      { event_id: 'e3', reading: 3 },
      { event_id: 'e4', reading: 4 },
    ]);
    expect(await rows('select count(*) as n from df_fixture.run_log')).toEqual([{ n: 2 }]);

    // The job log shows the statement Dataform chose: a MERGE into events_latest, finished without error.
    const [jobs] = await client.getJobs();
    const merges = jobs
      .map((j) => j.metadata as { configuration?: { query?: { query?: string } }; status?: { state: string; errorResult?: unknown } })
      .filter((m) => /^\s*merge\s+`landform-local\.df_fixture\.events_latest`/i.test(m.configuration?.query?.query ?? ''));
    expect(merges).toHaveLength(1);
    expect(merges[0]?.status).toEqual({ state: 'DONE' });
  });

  test('--full-refresh rebuilds the incremental table from the source', async () => {
    const result = await run('--full-refresh');
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.any(String) });
    expect(await rows('select event_id, reading from df_fixture.events_latest order by event_id')).toEqual([
      { event_id: 'e2', reading: 20 },
      { event_id: 'e3', reading: 3 },
      { event_id: 'e4', reading: 4 },
    ]);
  });

  test('a failing assertion makes dataform run exit non-zero', async () => {
    const result = await run('--vars=fail_assertion=true');
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/assert_readings_in_range/);
  });

  test('dataform test passes the unit test', async () => {
    const result = await dataform(['test', projectDir, '--credentials', credentials]);
    // Code and output in one object: when the test fails, Jest prints what Dataform said.
    expect({ code: result.code, output: result.output }).toEqual({ code: 0, output: expect.stringMatching(/device_daily/) });
  });
});
