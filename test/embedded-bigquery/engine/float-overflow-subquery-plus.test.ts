/**
 * FLOAT64 + whose finite operands give a sum that is not finite fails with 'double overflow' in
 * BigQuery (ZetaSQL's arithmetics), a scalar subquery operand included (DuckDB gave ±Infinity).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

const MAX = '1.7976931348623157e308';

describe('+ with a scalar subquery operand', () => {
  test('overflows as BigQuery does on either side and for negative sums', async () => {
    expect(await failure(`SELECT (SELECT ${MAX}) + ${MAX}`)).toMatch(/double overflow/);
    expect(await failure(`SELECT ${MAX} + (SELECT ${MAX})`)).toMatch(/double overflow/);
    expect(await failure(`SELECT (SELECT -${MAX}) + -${MAX}`)).toMatch(/double overflow/);
  });

  test('finite sums, INT64 sums and correlated subqueries answer', async () => {
    expect(await values('SELECT (SELECT 1) + 2, (SELECT 1.5) + (SELECT 2)')).toEqual(['3', '3.5']);
    expect(await values('SELECT (SELECT MAX(x) FROM UNNEST([1, 2]) AS x WHERE x > t.a) + t.a FROM (SELECT 1 AS a) AS t')).toEqual(['3']);
  });
});
