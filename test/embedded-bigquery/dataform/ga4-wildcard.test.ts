/**
 * A GA4-export-shaped project through the unmodified Dataform CLI: a declaration of the export's
 * wildcard table `events_*`, a table model that reads it with `_TABLE_SUFFIX`, and a daily table
 * added later showing up on the next run (the wildcard is resolved when the query runs).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DATAFORM_CLI = join(REPO, 'node_modules/@dataform/cli/bundle.js');

describe('GA4 wildcard tables through the real Dataform CLI', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let root: string;
  let projectDir: string;
  let credentials: string;

  const run = (): Promise<{ code: number | null; output: string }> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [DATAFORM_CLI, 'run', projectDir, '--credentials', credentials], {
        cwd: projectDir,
        env: { PATH: process.env.PATH, HOME: root, ...bq.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.on('exit', (code) => resolve({ code, output }));
    });
  const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await client.query(sql))[0] as Record<string, unknown>[];
  const exportDay = async (day: string, events: string[]) => {
    await client.query(`create table analytics_123.events_${day} (event_name string, user_pseudo_id string)`);
    await client.query(`insert into analytics_123.events_${day} values ${events.map((e, i) => `('${e}', 'u${i % 2}')`).join(', ')}`);
  };

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    root = await mkdtemp(join(tmpdir(), 'landform-ga4-'));
    projectDir = join(root, 'project');
    await mkdir(join(projectDir, 'definitions'), { recursive: true });
    await writeFile(join(projectDir, 'workflow_settings.yaml'), 'defaultProject: landform-local\ndefaultLocation: US\ndefaultDataset: ga4_marts\ndefaultAssertionDataset: ga4_assertions\n');
    await writeFile(join(projectDir, 'package.json'), JSON.stringify({ name: 'ga4-fixture', private: true, dependencies: { '@dataform/core': '3.0.62' } }));
    await mkdir(join(projectDir, 'node_modules/@dataform'), { recursive: true });
    await cp(join(REPO, 'node_modules/@dataform/core'), join(projectDir, 'node_modules/@dataform/core'), { recursive: true });
    credentials = join(root, '.df-credentials.json');
    await writeFile(credentials, JSON.stringify({ projectId: 'landform-local', location: 'US' }));
    await writeFile(join(projectDir, 'definitions', 'ga4_export.js'), 'declare({ database: "landform-local", schema: "analytics_123", name: "events_*" });\n');
    await writeFile(
      join(projectDir, 'definitions', 'daily_events.sqlx'),
      `config { type: "table", description: "One row per day and event name." }
select
  parse_date('%Y%m%d', _TABLE_SUFFIX) as event_date,
  event_name,
  count(*) as event_count,
  count(distinct user_pseudo_id) as user_count
from \${ref("events_*")}
where _TABLE_SUFFIX between '20240101' and '20241231'
group by event_date, event_name
`,
    );
    await client.createDataset('analytics_123');
    await exportDay('20240101', ['page_view', 'page_view', 'click']);
    await exportDay('20231231', ['page_view']);
  });
  afterAll(async () => {
    await bq?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('the model reads the days its _TABLE_SUFFIX filter selects; a new daily table is picked up by the next run', async () => {
    let r = await run();
    expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });
    const query = 'select cast(event_date as string) as day, event_name, event_count, user_count from ga4_marts.daily_events order by day, event_name';
    expect(await rows(query)).toEqual([
      { day: '2024-01-01', event_name: 'click', event_count: 1, user_count: 1 },
      { day: '2024-01-01', event_name: 'page_view', event_count: 2, user_count: 2 },
    ]);
    await exportDay('20240102', ['click']);
    r = await run();
    expect(r.code).toBe(0);
    expect(await rows(query)).toEqual([
      { day: '2024-01-01', event_name: 'click', event_count: 1, user_count: 1 },
      { day: '2024-01-01', event_name: 'page_view', event_count: 2, user_count: 2 },
      { day: '2024-01-02', event_name: 'click', event_count: 1, user_count: 1 },
    ]);
  });
});
