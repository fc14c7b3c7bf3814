/**
 * NUMERIC × NUMERIC is a NUMERIC, rounded to 9 fractional digits (data-types#decimal_types), before
 * a following division sees it: `a * b / c` is (a * b) / c. With n = 0.00001, n * n is 1e-10, which
 * rounds to 0, so every quotient of it is 0 (DuckDB's 18-digit product gave 0.0000001).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);

describe('a NUMERIC product on the left of /', () => {
  test('n * n * 1000 / 1 and n * -n / 0.001 divide the rounded product', async () => {
    expect(await values("SELECT n * n * NUMERIC '1000' / 1, n * -n / NUMERIC '0.001', n / 2 * n * 1000 / 1 FROM (SELECT NUMERIC '0.00001' AS n)")).toEqual(['0', '0', '0']);
  });

  test('a product of field accesses and a parenthesised product divide the same way', async () => {
    expect(await values("SELECT (s).x * n / NUMERIC '0.001', (n * n * NUMERIC '1000') / 1 FROM (SELECT NUMERIC '0.00001' AS n, STRUCT(NUMERIC '0.00001' AS x) AS s)")).toEqual(['0', '0']);
  });

  test('INT64 and FLOAT64 operands keep their left-to-right values: 3 * -7 / 2 = -10.5, 6 / 2 * 3 / 4 = 2.25', async () => {
    expect(await values('SELECT 3 * -7 / 2, 6 / 2 * 3 / 4')).toEqual(['-10.5', '2.25']);
  });
});
