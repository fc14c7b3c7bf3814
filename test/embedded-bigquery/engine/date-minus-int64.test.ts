/**
 * DATE - INT64 is a DATE that many days earlier (operators#date_arithmetics_operators) whether the
 * INT64 is a literal or a column (DFE-Digital's `CURRENT_DATE - expiry_days`; DuckDB has no DATE - BIGINT).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { EmbeddedEngine } from '../../../packages/embedded-bigquery/src/engine/engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };

describe('DATE - INT64', () => {
  let engine: EmbeddedEngine;
  beforeAll(async () => {
    engine = await EmbeddedEngine.open(':memory:');
  });
  afterAll(async () => {
    await engine?.close();
  });

  test('a column, a literal and NULL', async () => {
    const r = await engine.query("select d - n, d - 40, d - cast(null as int64) from (select date '2024-01-10' as d, 3 as n)", opts);
    expect(r.rows.map((row) => row.f.map((c) => c.v))).toEqual([['2024-01-07', '2023-12-01', null]]);
    expect(r.schema.fields.map((f) => f.type)).toEqual(['DATE', 'DATE', 'DATE']);
  });
});
