/**
 * GoogleSQL's CURRENT_DATE, CURRENT_DATETIME, CURRENT_TIME and CURRENT_TIMESTAMP may be written without
 * parentheses (DFE-Digital's wait loop compares `DELAY_TIME < CURRENT_DATETIME`); they mean the calls.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };

describe('CURRENT_* without parentheses', () => {
  let engine: EmbeddedEngine;
  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('bare and called forms have the same types and (within the one query) the same values', async () => {
    const r = await engine.query(
      `select current_datetime = current_datetime() as dt, current_date = current_date() as d, current_timestamp = current_timestamp() as ts,
        current_time = current_time() as t, datetime_add(current_datetime, interval 2 second) > current_datetime as later`,
      opts,
    );
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['true', 'true', 'true', 'true', 'true']]);
    const types = await engine.query('select current_datetime as a, current_date as b, current_timestamp as c, current_time as d', opts);
    expect(types.schema.fields.map((f) => f.type)).toEqual(['DATETIME', 'DATE', 'TIMESTAMP', 'TIME']);
  });

  test('a column of the same name qualified by its table is still the column', async () => {
    const r = await engine.query("select t.current_date from (select 'col' as current_date) t", opts);
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['col']]);
  });
});
