/**
 * ARRAY_IS_DISTINCT (array_functions#array_is_distinct): TRUE when no two elements are equal as SELECT
 * DISTINCT compares them (NULLs are one value, NaNs are one value, -0.0 equals 0.0); NULL for a NULL array.
 * Expected values by hand from that rule.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v))[0]!;
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('ARRAY_IS_DISTINCT', () => {
  test("the docs' examples and NULLs", async () => {
    expect(await values('SELECT ARRAY_IS_DISTINCT([1, 2, 3]), ARRAY_IS_DISTINCT([1, 1, 1]), ARRAY_IS_DISTINCT([1, 2, NULL]), ARRAY_IS_DISTINCT([1, 1, NULL]), ARRAY_IS_DISTINCT([1, NULL, NULL]), ARRAY_IS_DISTINCT(CAST([] AS ARRAY<INT64>)), ARRAY_IS_DISTINCT(CAST(NULL AS ARRAY<INT64>))'))
      .toEqual(['true', 'false', 'true', 'false', 'false', 'true', null]);
  });

  test('NaNs are one value and -0.0 equals 0.0; STRUCTs compare by their fields', async () => {
    expect(await values("SELECT ARRAY_IS_DISTINCT([CAST('NaN' AS FLOAT64), CAST('NaN' AS FLOAT64)]), ARRAY_IS_DISTINCT([CAST('NaN' AS FLOAT64), 1.0]), ARRAY_IS_DISTINCT([0.0, -0.0]), ARRAY_IS_DISTINCT([STRUCT(1 AS a), STRUCT(2 AS a)]), ARRAY_IS_DISTINCT([STRUCT(1 AS a), STRUCT(1 AS a)])"))
      .toEqual(['false', 'true', 'false', 'true', 'false']);
  });

  test('STRUCTs holding a FLOAT64 stay loud', async () => {
    expect(await failure('SELECT ARRAY_IS_DISTINCT([STRUCT(1.5 AS a), STRUCT(1.5 AS a)])')).toMatch(/not supported by the embedded BigQuery/);
  });
});
