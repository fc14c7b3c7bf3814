/**
 * APPROX_QUANTILES(x, n IGNORE NULLS) is the default form (NULL inputs skipped; all NULL gives a NULL
 * array, which REST returns as []), and a NULL array subscripted at any position is NULL, even at
 * one that would be out of bounds (ZetaSQL's approx_aggregation and array_functions). By hand.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();
const first = async (sql: string): Promise<unknown> => (await engine().query(sql, opts)).rows[0]!.f[0]!.v;

describe('APPROX_QUANTILES with IGNORE NULLS', () => {
  test('skips NULL inputs: the minimum and maximum of 1, NULL, 1', async () => {
    expect(await first('SELECT APPROX_QUANTILES(x, 1 IGNORE NULLS) FROM UNNEST([1, NULL, 1, NULL]) AS x')).toEqual([{ v: '1' }, { v: '1' }]);
    expect(await first('SELECT APPROX_QUANTILES(x, 2 IGNORE NULLS) FROM UNNEST([3, NULL, 1, 2]) AS x')).toEqual([{ v: '1' }, { v: '2' }, { v: '3' }]);
  });

  test('RESPECT NULLS stays loud', async () => {
    await expect(engine().query('SELECT APPROX_QUANTILES(x, 1 RESPECT NULLS) FROM UNNEST([1, NULL]) AS x', opts)).rejects.toThrow(/RESPECT NULLS is not supported by the embedded BigQuery/);
  });
});

describe('subscripts of a NULL array', () => {
  test('OFFSET(-1) and ORDINAL(0) of a NULL array are NULL; of a real array they still fail', async () => {
    const nullArray = '(SELECT CAST(NULL AS ARRAY<INT64>) AS arr), (SELECT -1 AS pos)';
    expect(await first(`SELECT arr[OFFSET(pos)] FROM ${nullArray}`)).toBeNull();
    expect(await first(`SELECT arr[ORDINAL(pos + 1)] FROM ${nullArray}`)).toBeNull();
    await expect(engine().query('SELECT [1, 2][OFFSET(5)]', opts)).rejects.toThrow('Array index 5 is out of bounds (overflow)');
    expect(await first('SELECT [1, 2][OFFSET(1)]')).toBe('2');
  });
});

describe('APPROX_QUANTILES with a query parameter as the number of quantiles', () => {
  const withCount = (value: string | null): QueryOptions => ({ projectId: 'p', parameterMode: 'NAMED', queryParameters: [{ name: 'count', parameterType: { type: 'INT64' }, parameterValue: { value } }] });
  test('n + 1 boundaries for @count = n', async () => {
    const r = await engine().query('SELECT APPROX_QUANTILES(x, @count) FROM UNNEST([1, 2, 3, 3, 2, 1]) AS x', withCount('2'));
    expect(r.rows[0]!.f[0]!.v).toEqual([{ v: '1' }, { v: '2' }, { v: '3' }]);
  });

  test("a count that is 0, NULL or above 100000 fails with ZetaSQL's messages", async () => {
    const sql = 'SELECT APPROX_QUANTILES(x, @count) FROM UNNEST([1]) AS x';
    await expect(engine().query(sql, withCount('0'))).rejects.toThrow('The second argument to APPROX_QUANTILES function must be positive');
    await expect(engine().query(sql, withCount(null))).rejects.toThrow('The second argument to APPROX_QUANTILES function must not be NULL');
    await expect(engine().query(sql, withCount('100001'))).rejects.toThrow('The second argument to APPROX_QUANTILES function cannot be greater than 100000');
  });
});
