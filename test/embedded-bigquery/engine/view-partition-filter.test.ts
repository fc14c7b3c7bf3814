/**
 * require_partition_filter through views: BigQuery asks for the partition filter on a query that
 * reads such a table through a view or a materialized view too, with the same message as for a
 * direct read; the filter may sit in the view's own query or in the query that reads the view.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P };
const engine = memoryEngine();
const count = async (sql: string) => (await engine().query(sql, opts)).rows[0]!.f[0]!.v;
const refused = { reason: 'invalidQuery', message: `Cannot query over table '${P}.vp.events' without a filter over column(s) 'ts' that can be used for partition elimination` };

beforeAll(async () => {
  await engine().query('create schema vp', opts);
  await engine().query(
    "create table vp.events partition by date(ts) options(require_partition_filter=true) as select 1 as k, timestamp '2024-01-01 00:00:00+00' as ts union all select 2, timestamp '2024-02-01 00:00:00+00'",
    opts,
  );
  await engine().query('create view vp.all_events as select k, ts from vp.events', opts);
  await engine().query("create view vp.january as select k, ts from vp.events where ts < timestamp '2024-02-01'", opts);
  await engine().query('create view vp.over_view as select k, ts from vp.all_events', opts);
  await engine().query("create materialized view vp.mv as select k, ts from vp.events where ts >= timestamp '2024-01-01'", opts);
  await engine().query('create materialized view vp.mv_all as select k, ts from vp.events', opts);
}, 60_000);
describe('require_partition_filter through views', () => {
  test('a query through a view without a filter fails as the direct read does', async () => {
    await expect(engine().query('select count(*) from vp.events', opts)).rejects.toMatchObject(refused);
    await expect(engine().query('select count(*) from vp.all_events', opts)).rejects.toMatchObject(refused);
    await expect(engine().query('select count(*) from vp.over_view', opts)).rejects.toMatchObject(refused);
    await expect(engine().query('select count(*) from vp.mv_all', opts)).rejects.toMatchObject(refused);
  });

  test('the filter in the reading query or in a view on the way satisfies it', async () => {
    expect(await count("select count(*) from vp.all_events where ts >= timestamp '2024-01-15'")).toBe('1');
    expect(await count("select count(*) from vp.over_view where ts >= timestamp '2024-01-15'")).toBe('1');
    expect(await count('select count(*) from vp.january')).toBe('1');
    expect(await count('select count(*) from vp.mv')).toBe('2');
    expect(await count("select count(*) from vp.mv_all where ts < timestamp '2024-01-15'")).toBe('1');
  });
});
