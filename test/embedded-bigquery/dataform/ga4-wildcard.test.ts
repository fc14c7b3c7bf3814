/**
 * A GA4-export-shaped project through the unmodified Dataform CLI: a declaration of the export's
 * wildcard table `events_*`, a table model that reads it with `_TABLE_SUFFIX`, and a daily table
 * added later showing up on the next run (the wildcard is resolved when the query runs).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { createScratchProject, runDataform, type ScratchProject } from './scratch-project.js';


describe('GA4 wildcard tables through the real Dataform CLI', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let root: string;
  let projectDir: string;
  let project: ScratchProject;

  const run = () => runDataform(project, bq.env);
  const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await client.query(sql))[0] as Record<string, unknown>[];
  const exportDay = async (day: string, events: string[]) => {
    await client.query(`create table analytics_123.events_${day} (event_name string, user_pseudo_id string)`);
    await client.query(`insert into analytics_123.events_${day} values ${events.map((e, i) => `('${e}', 'u${i % 2}')`).join(', ')}`);
  };

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    project = await createScratchProject('landform-ga4-', 'ga4_marts');
    ({ root, projectDir } = project);
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
