/**
 * `LEFT JOIN UNNEST(arr) AS x ON cond` where cond reads only the left side (DFE-Digital's entity_version
 * post-operation: `LEFT JOIN UNNEST(combined_data.value) AS imported_entity_id ON combined_data.KEY = import.primary_key`):
 * a left row cond holds for joins each of its elements; any other row stays once, with NULL. Expected rows by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
const ROWS = "(select 1 as id, [10, 20] as arr, 'keep' as k union all select 2, [30], 'drop' union all select 3, cast([] as array<int64>), 'keep' union all select 4, [40], cast(null as string))";

describe('LEFT JOIN UNNEST ... ON a condition on the left side only', () => {
  let engine: EmbeddedEngine;
  const q = async (sql: string) => (await engine.query(sql, opts)).rows.map((r) => r.f.map((c) => c.v)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('rows the condition holds for get their elements; false, NULL and empty arrays keep the row once with NULL', async () => {
    expect(await q(`select l.id, x from ${ROWS} l left join unnest(l.arr) as x on l.k = 'keep'`)).toEqual([
      ['1', '10'], ['1', '20'], ['2', null], ['3', null], ['4', null],
    ]);
  });

  test('after another LEFT JOIN UNNEST, with WITH OFFSET, and followed by WHERE', async () => {
    const sql = `select l.id, s.name, v, o from ${ROWS} l
      left join unnest([struct('a' as name, [1, 2] as vals), struct('b' as name, [3] as vals)]) as s
      left outer join unnest(s.vals) as v with offset o on s.name = 'a' and l.id < 3
      where l.id <= 2`;
    expect(await q(sql)).toEqual([
      ['1', 'a', '1', '0'], ['1', 'a', '2', '1'], ['1', 'b', null, null],
      ['2', 'a', '1', '0'], ['2', 'a', '2', '1'], ['2', 'b', null, null],
    ]);
  });

  test('USING(key) between two aliased UNNESTs of STRUCTs, one named like the column an earlier UNNEST reads (DFE\'s courses_version)', async () => {
    const sql = `select l.id, c.key, c.value, hidden_data.value as hidden from
      (select 1 as id, [struct('name' as key, 'x' as value)] as data, [struct('secret' as key, 'y' as value)] as hidden_data) l,
      unnest(array_concat(data, hidden_data)) as c left join unnest(hidden_data) as hidden_data using (key)`;
    expect(await q(sql)).toEqual([['1', 'name', 'x', null], ['1', 'secret', 'y', 'y']]);
  });

  test('a condition on the element itself is still a join condition', async () => {
    expect(await q(`select l.id, x from ${ROWS} l left join unnest(l.arr) as x on x = 20`)).toEqual([['1', '20'], ['2', null], ['3', null], ['4', null]]);
  });
});
