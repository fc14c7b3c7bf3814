/**
 * DROP TABLE [IF EXISTS] on a materialized view drops it, as BigQuery does for Dataform: its BigQuery
 * adapter reads a materialized view's type as UNKNOWN and sends `drop table if exists` before recreating
 * it on every run after the first (dataform-co/dataform#1822 reports the recreation against BigQuery).
 * DROP VIEW still refuses one, and DROP TABLE still refuses a logical view.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

beforeAll(async () => {
  await engine().query('create schema dm', opts);
  await engine().query('create table dm.base as select 1 as k', opts);
}, 60_000);
describe('DROP TABLE on a materialized view', () => {
  test("Dataform's second run: drop table if exists, then create or replace materialized view", async () => {
    await engine().query('create materialized view dm.mv as select k from dm.base', opts);
    const r = await engine().query('drop table if exists dm.mv', opts);
    expect(r.statementType).toBe('DROP_TABLE');
    await expect(engine().query('select * from dm.mv', opts)).rejects.toMatchObject({ reason: 'notFound' });
    await engine().query('create or replace materialized view dm.mv as select k + 1 as k from dm.base', opts);
    expect((await engine().query('select k from dm.mv', opts)).rows[0]!.f[0]!.v).toBe('2');
    await engine().query('drop table dm.mv', opts);
    await expect(engine().query('drop table dm.mv', opts)).rejects.toMatchObject({ reason: 'notFound' });
  });

  test('DROP VIEW of a materialized view and DROP TABLE of a view stay refused', async () => {
    await engine().query('create materialized view dm.mv2 as select k from dm.base', opts);
    await engine().query('create view dm.v as select k from dm.base', opts);
    await expect(engine().query('drop view dm.mv2', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/use DROP MATERIALIZED VIEW/) });
    await expect(engine().query('drop table dm.v', opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/use DROP VIEW/) });
  });
});
