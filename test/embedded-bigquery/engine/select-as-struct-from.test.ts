/**
 * `FROM (SELECT AS STRUCT a, b ...)` is a value table whose columns are the struct's fields (DFE-Digital's
 * `*_version` tables read `key` and `value` from one); elsewhere SELECT AS STRUCT still yields one STRUCT column.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions, Row } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));

describe('SELECT AS STRUCT as a FROM item', () => {
  let engine: EmbeddedEngine;
  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('its fields are columns by name and in SELECT *', async () => {
    const r = await engine.query("select key, upper(value) as v from (select as struct 'k1' as key, 'x' as value) order by key", opts);
    expect(values(r.rows)).toEqual([['k1', 'X']]);
    const star = await engine.query("select * from (select as struct 1 as a, 'b' as b) as t", opts);
    expect(star.schema.fields.map((f) => [f.name, f.type])).toEqual([['a', 'INTEGER'], ['b', 'STRING']]);
  });

  test('as a scalar subquery it is still one STRUCT', async () => {
    const r = await engine.query("select (select as struct 1 as a, 'b' as b).a as a, if(true, (select as struct 2 as x), null).x as x", opts);
    expect(values(r.rows)).toEqual([['1', '2']]);
  });
});
