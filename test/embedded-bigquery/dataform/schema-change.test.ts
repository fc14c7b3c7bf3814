/**
 * Dataform's onSchemaChange (EXTEND, SYNCHRONIZE, FAIL) through the unmodified CLI. Each compiles
 * to a stored procedure (DECLAREd arrays from INFORMATION_SCHEMA.COLUMNS, RAISE with FORMAT %T,
 * EXECUTE IMMEDIATE ALTER TABLE ...), a BEGIN CALL ... EXCEPTION block and DROP PROCEDURE, then the
 * MERGE. The MERGE's column list is the table's schema from tables.get *before* the run, so the
 * run that adds a column merges the old columns (the new one is NULL in rows it touches) and the
 * next run fills it: that is Dataform's behaviour on BigQuery too.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { createScratchProject, runDataform, type ScratchProject } from './scratch-project.js';

const RAW = '`landform-local.osc_raw.events`';

function model(mode: string, columns: string): string {
  return `config {
  type: "incremental",
  uniqueKey: ["id"],
  onSchemaChange: "${mode}"
}
select ${columns} from ${RAW}
\${when(incremental(), \`where version > (select max(version) from \${self()})\`, \`where true\`)}
qualify row_number() over (partition by id order by version desc) = 1
`;
}

describe('onSchemaChange through the real Dataform CLI', () => {
  let bq: TestBigQuery;
  let client: BigQuery;
  let root: string;
  let projectDir: string;
  let project: ScratchProject;

  const run = () => runDataform(project, bq.env);
  const rows = async (sql: string): Promise<Record<string, unknown>[]> => (await client.query(sql))[0] as Record<string, unknown>[];
  const columns = async (table: string): Promise<string[]> => {
    const [meta] = await client.dataset('df_osc').table(table).getMetadata();
    return (meta.schema.fields as { name: string }[]).map((f) => f.name);
  };
  const writeModel = (name: string, mode: string, cols: string) => writeFile(join(projectDir, 'definitions', `${name}.sqlx`), model(mode, cols));

  beforeAll(async () => {
    bq = await startTestBigQuery();
    client = bq.bigquery;
    project = await createScratchProject('landform-osc-', 'df_osc');
    ({ root, projectDir } = project);
    await client.createDataset('osc_raw');
    await client.query('create table osc_raw.events (id int64, a string, b string, version int64)');
    await client.query("insert into osc_raw.events values (1, 'a1', 'b1', 1), (2, 'a2', 'b2', 1)");
    await writeModel('extend_me', 'EXTEND', 'id, a, version');
    await writeModel('sync_me', 'SYNCHRONIZE', 'id, a, version');
    await writeModel('fail_me', 'FAIL', 'id, a, version');
  });
  afterAll(async () => {
    await bq?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('first run builds the tables', async () => {
    const r = await run();
    expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });
    expect(await columns('extend_me')).toEqual(['id', 'a', 'version']);
  });

  test('a column added to the query: EXTEND adds it, SYNCHRONIZE adds b and drops a, FAIL stops the action', async () => {
    await writeModel('extend_me', 'EXTEND', 'id, a, b, version');
    await writeModel('sync_me', 'SYNCHRONIZE', 'id, b, version');
    await writeModel('fail_me', 'FAIL', 'id, a, b, version');
    await client.query("insert into osc_raw.events values (2, 'a2x', 'b2x', 2), (3, 'a3', 'b3', 2)");
    const r = await run();
    expect(r.code).not.toBe(0);
    // FAIL's message, with the columns as FORMAT %T prints them
    expect(r.output).toContain(`Schema mismatch defined by on_schema_change = 'FAIL'. Added columns: [("b", "STRING")], removed columns: []`);

    expect(await columns('extend_me')).toEqual(['id', 'a', 'version', 'b']);
    // merged on id with the columns the table had before the run: 2 updated, 3 inserted, b not yet written
    expect(await rows('select id, a, b from df_osc.extend_me order by id')).toEqual([
      { id: 1, a: 'a1', b: null },
      { id: 2, a: 'a2x', b: null },
      { id: 3, a: 'a3', b: null },
    ]);
    // the schema is synchronized by the procedure; the MERGE that follows still names the dropped
    // column `a` (Dataform's column list from tables.get), so this run's MERGE fails, as it does on BigQuery
    expect(await columns('sync_me')).toEqual(['id', 'version', 'b']);
    expect(await columns('fail_me')).toEqual(['id', 'a', 'version']);
    // the procedures are dropped even when they failed; the empty temp tables too
    expect(await rows('select routine_name from df_osc.INFORMATION_SCHEMA.ROUTINES')).toEqual([]);
    const [tables] = await client.dataset('df_osc').getTables();
    expect(tables.map((t) => t.id).sort()).toEqual(['extend_me', 'fail_me', 'sync_me']);
  });

  test('the next run writes the new columns', async () => {
    await writeModel('fail_me', 'FAIL', 'id, a, version');
    await client.query("insert into osc_raw.events values (2, 'a2y', 'b2y', 3), (4, 'a4', 'b4', 3)");
    const r = await run();
    expect({ code: r.code, output: r.output }).toEqual({ code: 0, output: expect.not.stringMatching(/failed/i) });
    expect(await rows('select id, a, b from df_osc.extend_me order by id')).toEqual([
      { id: 1, a: 'a1', b: null },
      { id: 2, a: 'a2y', b: 'b2y' },
      { id: 3, a: 'a3', b: null },
      { id: 4, a: 'a4', b: 'b4' },
    ]);
    // sync_me still had only version 1 (run 2's MERGE failed), so versions 2 and 3 arrive now
    expect(await rows('select id, b, version from df_osc.sync_me order by id')).toEqual([
      { id: 1, b: null, version: 1 },
      { id: 2, b: 'b2y', version: 3 },
      { id: 3, b: 'b3', version: 2 },
      { id: 4, b: 'b4', version: 3 },
    ]);
  });

  test('EXTEND refuses a removed column with the message Dataform raises, and leaves the table as it was', async () => {
    await writeModel('extend_me', 'EXTEND', 'id, b, version');
    const r = await run();
    expect(r.code).not.toBe(0);
    expect(r.output).toContain(`Column removals are not allowed when on_schema_change = 'EXTEND'. Removed columns: ["a"]`);
    expect(await columns('extend_me')).toEqual(['id', 'a', 'version', 'b']);
    expect(await rows('select routine_name from df_osc.INFORMATION_SCHEMA.ROUTINES')).toEqual([]);
  });
});
