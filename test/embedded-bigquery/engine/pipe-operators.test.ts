/**
 * Pipe operators written back as standard syntax over the query so far (pipe-syntax): set operations
 * with several inputs, DISTINCT, WINDOW, PIVOT and UNPIVOT, AGGREGATE with GROUP AND ORDER BY and
 * ordered keys or aggregates, a window function in WHERE, and a JOIN right after FROM naming the
 * FROM's alias. Expected rows worked out by hand from the inline tables.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();
const KV = "(SELECT 1 AS key, 'a' AS value UNION ALL SELECT 2, 'b' UNION ALL SELECT 3, 'a')";

async function rows(sql: string): Promise<unknown[][]> {
  return (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
}
const sorted = (r: unknown[][]): unknown[][] => [...r].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));

describe('set operations and DISTINCT', () => {
  test('|> UNION ALL with two inputs and a trailing comma; |> UNION DISTINCT; |> INTERSECT DISTINCT; |> EXCEPT DISTINCT', async () => {
    expect(sorted(await rows(`FROM ${KV} |> SELECT key |> UNION ALL (SELECT 10), (SELECT 20),`))).toEqual([['1'], ['10'], ['2'], ['20'], ['3']]);
    expect(sorted(await rows(`FROM ${KV} |> SELECT value |> UNION DISTINCT (SELECT 'c')`))).toEqual([['a'], ['b'], ['c']]);
    expect(await rows(`FROM ${KV} |> SELECT value |> INTERSECT DISTINCT (SELECT 'b')`)).toEqual([['b']]);
    expect(await rows(`FROM ${KV} |> SELECT value |> EXCEPT DISTINCT (SELECT 'a')`)).toEqual([['b']]);
  });

  test('|> DISTINCT keeps one row per distinct row', async () => {
    expect(sorted(await rows(`FROM ${KV} |> SELECT value |> DISTINCT`))).toEqual([['a'], ['b']]);
  });
});

describe('AGGREGATE with an order', () => {
  test('GROUP AND ORDER BY orders by the keys ascending; a key DESC orders that key', async () => {
    expect(await rows(`FROM ${KV} |> AGGREGATE SUM(key) AS s GROUP AND ORDER BY value`)).toEqual([['a', '4'], ['b', '2']]);
    expect(await rows(`FROM ${KV} |> AGGREGATE COUNT(*) AS c GROUP BY value DESC`)).toEqual([['b', '1'], ['a', '2']]);
  });

  test('an aggregate DESC orders by its value; the keys come first in the result', async () => {
    expect(await rows(`FROM ${KV} |> AGGREGATE MIN(key) AS m DESC GROUP BY value`)).toEqual([['b', '2'], ['a', '1']]);
  });

  test('a FLOAT64 key with NaN orders NaN first ascending, as BigQuery orders it', async () => {
    const got = await rows(`FROM UNNEST([1.5, CAST('nan' AS FLOAT64), -2.0]) AS x |> AGGREGATE COUNT(*) AS c GROUP AND ORDER BY x`);
    expect(got.map((r) => r[0])).toEqual(['NaN', '-2', '1.5']);
  });
});

describe('WINDOW, WHERE over a window, PIVOT, UNPIVOT, JOIN after FROM', () => {
  test('|> WINDOW adds the window column; |> WHERE with a window function filters on its value', async () => {
    expect(await rows(`FROM ${KV} |> WINDOW SUM(key) OVER (ORDER BY key) AS run |> ORDER BY key`)).toEqual([['1', 'a', '1'], ['2', 'b', '3'], ['3', 'a', '6']]);
    expect(await rows(`FROM ${KV} |> WHERE RANK() OVER (ORDER BY key DESC) = 1`)).toEqual([['3', 'a']]);
  });

  test('|> PIVOT and |> UNPIVOT (the value column before the name column)', async () => {
    expect(await rows(`FROM ${KV} |> PIVOT (MAX(key) FOR value IN ('a', 'b'))`)).toEqual([['3', '2']]);
    expect(await rows("FROM (SELECT 2000 AS year, 10 AS dogs, 12 AS cats) |> UNPIVOT (cnt FOR animal IN (dogs, cats)) |> ORDER BY cnt")).toEqual([
      ['2000', '10', 'dogs'],
      ['2000', '12', 'cats'],
    ]);
  });

  test('|> LEFT JOIN right after FROM t AS a may name a in its ON', async () => {
    const got = await rows(`FROM ${KV} AS kv1 |> LEFT JOIN ${KV} AS kv2 ON kv2.key = kv1.key + 1`);
    expect(sorted(got)).toEqual([['1', 'a', '2', 'b'], ['2', 'b', '3', 'a'], ['3', 'a', null, null]]);
  });
});
