/**
 * A FROM path that starts with a range variable of an enclosing query is that row's array
 * (query-syntax#correlated_join): `ARRAY(SELECT v FROM t.values v ...)`, `(SELECT COUNT(*) FROM
 * t.vals)`, in EXISTS too. Before, the path was read as dataset t (notFound). Expected values by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();
const T = "(SELECT 1 AS key, ['b', 'a', 'c'] AS vals UNION ALL SELECT 2, CAST([] AS ARRAY<STRING>) UNION ALL SELECT 3, ['z'])";

async function rows(sql: string): Promise<unknown[][]> {
  return (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => (Array.isArray(c.v) ? (c.v as { v: unknown }[]).map((e) => e.v) : c.v)));
}

describe('correlated FROM paths', () => {
  test('ARRAY(SELECT ... FROM t.vals ORDER BY ... LIMIT) per row of the enclosing query', async () => {
    expect(await rows(`SELECT key, ARRAY(SELECT v FROM t.vals v ORDER BY v LIMIT 2) FROM ${T} t ORDER BY key`)).toEqual([
      ['1', ['a', 'b']],
      ['2', []],
      ['3', ['z']],
    ]);
  });

  test('a scalar subquery and EXISTS over the path; the implicit alias is the last part', async () => {
    expect(await rows(`SELECT key, (SELECT COUNT(*) FROM t.vals) FROM ${T} AS t ORDER BY key`)).toEqual([['1', '3'], ['2', '0'], ['3', '1']]);
    expect(await rows(`SELECT key FROM ${T} AS t WHERE EXISTS (SELECT 1 FROM t.vals WHERE vals = 'a')`)).toEqual([['1']]);
  });

  test('a path from an enclosing query WITH OFFSET stays loud', async () => {
    await expect(engine().query(`SELECT (SELECT COUNT(*) FROM t.vals WITH OFFSET) FROM ${T} AS t`, opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
  });
});
