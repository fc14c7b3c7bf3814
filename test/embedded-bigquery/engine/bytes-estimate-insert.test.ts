/**
 * An INSERT's bytes: its query's reads only ("On-demand query size calculation" in the DML
 * reference: INSERT adds nothing for its target), where a read of the target table itself inside
 * the query is pruned by that read's own filters, like any other read. By hand, per row of ds.r
 * (partitioned by day on ts): id 8 and ts 8 bytes; rows 1 and 2 in 2024-01-01 and 2024-01-02,
 * rows 3 and 4 in 2024-01-03. ds.small: two rows, id 8 bytes each.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const dry: QueryOptions = { projectId: P, dryRun: true };

let engine: Engine;

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'ds' } });
  await engine.query('create table ds.r (id INT64, ts TIMESTAMP, name STRING) partition by date(ts)', opts);
  await engine.query(`insert into ds.r values
    (1, timestamp '2024-01-01 10:00:00+00', 'a'), (2, timestamp '2024-01-02 10:00:00+00', 'bb'),
    (3, timestamp '2024-01-03 23:59:59.5+00', null), (4, timestamp '2024-01-03 00:00:00+00', 'c')`, opts);
  await engine.query('create table ds.small (id INT64, label STRING)', opts);
  await engine.query("insert into ds.small values (1, 'one'), (3, 'three')", opts);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const processed = async (sql: string, o: QueryOptions = dry) => (await engine.query(sql, o)).totalBytesProcessed;

describe('INSERT reading its own target', () => {
  test("an anti-join on the target's kept partitions is charged those partitions, not the whole target", async () => {
    const sql = `insert into ds.r (id, ts) select s.id, current_timestamp() from ds.small as s
      left join (select r.id from ds.r as r where r.ts >= timestamp '2024-01-03') as p on p.id = s.id where p.id is null`;
    // ds.small: id of 2 rows; ds.r: id and ts of rows 3 and 4 (the 2024-01-03 partition)
    expect(await processed(sql)).toBe(8 * 2 + (8 + 8) * 2);
  });

  test("the INSERT's own column list and columns qualified by the other table's alias are not charged to the target", async () => {
    // the loader's publish shape: every target column named in the INSERT list and as s.<column>
    const sql = `insert into ds.r (id, ts, name) select s.id, current_timestamp(), s.label from ds.small as s
      left join (select r.id from ds.r as r where r.ts >= timestamp '2024-01-03') as p on p.id = s.id where p.id is null`;
    // ds.small: id (8 × 2) and label ('one' 2 + 3, 'three' 2 + 5); ds.r: r.id and r.ts of rows 3 and 4, not name
    expect(await processed(sql)).toBe(8 * 2 + (5 + 7) + (8 + 8) * 2);
  });

  test('bounds held in script variables prune it the same way', async () => {
    const script = `declare lo, hi timestamp;
      set (lo, hi) = (select as struct timestamp '2024-01-02 00:00:00+00', timestamp '2024-01-02 23:00:00+00');
      insert into ds.r (id, ts) select s.id, current_timestamp() from ds.small as s
        left join (select r.id from ds.r as r where r.ts between lo and hi) as p on p.id = s.id where p.id is null;`;
    // the script runs (a dry run of a script does not evaluate its SET); a rollback keeps ds.r as it is
    const result = await engine.query(`begin transaction; ${script} rollback transaction;`, opts);
    // ds.small: 16; ds.r: id and ts of row 2 (the 2024-01-02 partition)
    expect(result.totalBytesProcessed).toBe(8 * 2 + (8 + 8));
  });

  test('INSERT without INTO that reads its target is charged that read', async () => {
    expect(await processed("insert ds.r (id, ts) select id, ts from ds.r where ts >= timestamp '2024-01-03'")).toBe((8 + 8) * 2);
  });

  test('an INSERT whose query does not read its target is charged its query only', async () => {
    expect(await processed('insert into ds.r (id, ts) select id, current_timestamp() from ds.small')).toBe(8 * 2);
    expect(await processed('insert ds.r (id, ts) select id, current_timestamp() from ds.small')).toBe(8 * 2);
  });
});
