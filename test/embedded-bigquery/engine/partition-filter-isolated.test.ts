/**
 * require_partition_filter as "Query partitioned tables" states it: "There must be at least one
 * predicate that only references a partition column" (`partition_id = "20221231"`, also with
 * `AND f = ...`; not `partition_id = "20221231" OR f = ...`), and the filter
 * `TIMESTAMP_ADD(ts, INTERVAL 6 HOUR) > ts2` needs a second field. The requirement "also applies
 * to queries on views and materialized views that reference the partitioned table": a filter on
 * the column by the name a view gives it satisfies it.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const engine = memoryEngine();
const count = async (sql: string) => (await engine().query(sql, opts)).rows[0]!.f[0]!.v;
const refused = { reason: 'invalidQuery', message: `Cannot query over table '${P}.pi.events' without a filter over column(s) 'ts' that can be used for partition elimination` };

beforeAll(async () => {
  await engine().query('create schema pi', opts);
  await engine().query(
    "create table pi.events partition by date(ts) options(require_partition_filter=true) as select 1 as k, timestamp '2024-01-01 00:00:00+00' as ts, timestamp '2024-01-01 03:00:00+00' as ts2 union all select 2, timestamp '2024-02-01 00:00:00+00', timestamp '2024-02-01 12:00:00+00'",
    opts,
  );
  await engine().query('create view pi.renamed as select k, ts as event_time from pi.events', opts);
  await engine().query('create view pi.renamed_again as select k, event_time as happened from pi.renamed', opts);
  await engine().query('create view pi.dropped as select k from pi.events', opts);
}, 60_000);

describe('require_partition_filter: a predicate that only references the partition column', () => {
  test('the documented cases', async () => {
    expect(await count("select count(*) from pi.events where ts = timestamp '2024-01-01'")).toBe('1');
    expect(await count("select count(*) from pi.events where ts = timestamp '2024-01-01' and k = 1")).toBe('1');
    await expect(engine().query("select count(*) from pi.events where (ts = timestamp '2024-01-01' or k = 1)", opts)).rejects.toMatchObject(refused);
    await expect(engine().query('select count(*) from pi.events where timestamp_add(ts, interval 6 hour) > ts2', opts)).rejects.toMatchObject(refused);
  });

  test('another column beside the partition column in the only conjunct does not count; a function of the column alone does', async () => {
    await expect(engine().query('select count(*) from pi.events where ts < ts2', opts)).rejects.toMatchObject(refused);
    await expect(engine().query('select count(*) from pi.events e where e.ts < e.ts2', opts)).rejects.toMatchObject(refused);
    expect(await count('select count(*) from pi.events where ts < ts2 and date(ts) >= date \'2024-01-15\'')).toBe('1');
    expect(await count("select count(*) from pi.events where date(ts) = '2024-02-01'")).toBe('1');
  });

  test('a script variable is a constant, not a column', async () => {
    const rows = await engine().query("declare since timestamp default timestamp '2024-01-15'; select count(*) from pi.events where ts > since", opts);
    expect(rows.rows[0]!.f[0]!.v).toBe('1');
  });

  test('through a view, by the name the view gives the column', async () => {
    expect(await count("select count(*) from pi.renamed where event_time >= timestamp '2024-01-15'")).toBe('1');
    expect(await count("select count(*) from pi.renamed_again where happened >= timestamp '2024-01-15'")).toBe('1');
    await expect(engine().query('select count(*) from pi.renamed', opts)).rejects.toMatchObject(refused);
    await expect(engine().query('select count(*) from pi.dropped where k = 1', opts)).rejects.toMatchObject(refused);
  });
});

describe('require_partition_filter: a column of another table', () => {
  test('a conjunct comparing the partition column with a qualified column of a joined table does not count', async () => {
    await expect(engine().query("select count(*) from pi.events e join (select 1 as k, timestamp '2024-01-01' as created) o on e.k = o.k where e.ts >= o.created", opts)).rejects.toMatchObject(refused);
    expect(await count("select count(*) from pi.events e join (select 1 as k, timestamp '2024-01-01' as created) o on e.k = o.k where e.ts >= o.created and e.ts < timestamp '2024-01-02'")).toBe('1');
  });
});

describe('require_partition_filter: date parts and type names are not columns', () => {
  beforeAll(async () => {
    await engine().query(
      "create table pi.daily partition by date(ts) options(require_partition_filter=true) as select timestamp '2024-01-01 00:00:00+00' as ts, date '2024-01-01' as day, 'x' as date",
      opts,
    );
  });
  test('a table with columns named day and date, filtered with INTERVAL ... DAY and a DATE literal', async () => {
    expect(await count("select count(*) from pi.daily where ts >= timestamp_sub(timestamp '2024-01-02', interval 1 day)")).toBe('1');
    expect(await count("select count(*) from pi.daily where date(ts) = date '2024-01-01'")).toBe('1');
    await expect(engine().query('select count(*) from pi.daily where date(ts) = `day`', opts)).rejects.toMatchObject({ reason: 'invalidQuery' });
  });
});
