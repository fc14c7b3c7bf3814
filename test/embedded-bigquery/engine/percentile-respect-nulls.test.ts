/**
 * PERCENTILE_CONT / PERCENTILE_DISC with RESPECT NULLS (navigation_functions#percentile_cont,
 * #percentile_disc): NULLs count and sort first. The pages' examples run in the conformance suite;
 * these cases are computed by hand from ZetaSQL's rule (functions/percentile.h): CONT at p × (n − 1),
 * DISC at floor(p × n), one less when whole.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();
const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));

describe('PERCENTILE_CONT RESPECT NULLS', () => {
  test('between NULLs, between the last NULL and the least value, and between values', async () => {
    // [NULL, NULL, 10, 20]: p 0.1 → 0.3 (among NULLs), 0.5 → 1.5 (after the last NULL: 10), 0.75 → 2.25 (10·0.75 + 20·0.25, exact in binary)
    const sql = 'SELECT PERCENTILE_CONT(x, 0.1 RESPECT NULLS) OVER (), PERCENTILE_CONT(x, 0.5 RESPECT NULLS) OVER (), PERCENTILE_CONT(x, 0.75 RESPECT NULLS) OVER (), PERCENTILE_CONT(x, 1 RESPECT NULLS) OVER () FROM UNNEST([CAST(NULL AS INT64), NULL, 20, 10]) AS x LIMIT 1';
    expect(await rows(sql)).toEqual([[null, '10', '12.5', '20']]);
  });

  test('per partition; a partition of NULLs only gives NULL; IGNORE NULLS is the default', async () => {
    const sql = `SELECT g, PERCENTILE_CONT(x, 0.5 RESPECT NULLS) OVER (PARTITION BY g) AS r, PERCENTILE_CONT(x, 0.5 IGNORE NULLS) OVER (PARTITION BY g) AS i
      FROM UNNEST([STRUCT('a' AS g, 1.0 AS x), ('a', NULL), ('a', 3.0), ('b', NULL)]) ORDER BY g LIMIT 3`;
    // a: [NULL, 1, 3] at 1 → 1; ignoring NULLs [1, 3] at 0.5 → 2
    expect(await rows(sql)).toEqual([['a', '1', '2'], ['a', '1', '2'], ['a', '1', '2']]);
    expect(await rows("SELECT PERCENTILE_CONT(x, 0.5 RESPECT NULLS) OVER () FROM UNNEST([CAST(NULL AS FLOAT64), NULL]) AS x LIMIT 1")).toEqual([[null]]);
  });

  test('a NUMERIC value fails loudly (BigQuery interpolates it exactly in NUMERIC)', async () => {
    await expect(rows("SELECT PERCENTILE_CONT(x, 0.5 RESPECT NULLS) OVER () FROM UNNEST([NUMERIC '1', NULL]) AS x")).rejects.toThrow(/not supported by the embedded BigQuery/);
  });
});

describe('PERCENTILE_DISC RESPECT NULLS', () => {
  test('[NULL, 5, 7]: p 0.3 → 0.9 (a NULL), 0.4 → 1.2 (5), 2/3 → whole 2, one less (5), 1 → 7', async () => {
    const sql = 'SELECT PERCENTILE_DISC(x, 0.3 RESPECT NULLS) OVER (), PERCENTILE_DISC(x, 0.4 RESPECT NULLS) OVER (), PERCENTILE_DISC(x, 0.5 RESPECT NULLS) OVER (), PERCENTILE_DISC(x, 1 RESPECT NULLS) OVER () FROM UNNEST([7, NULL, 5]) AS x LIMIT 1';
    // 0.5 × 3 = 1.5 → index 1 → 5
    expect(await rows(sql)).toEqual([[null, '5', '5', '7']]);
  });
});
