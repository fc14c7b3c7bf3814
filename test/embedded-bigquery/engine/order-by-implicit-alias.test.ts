/**
 * ORDER BY reads the SELECT list's aliases before the FROM clause's columns (query-syntax#aliases_clauses),
 * implicit ones too (`p.client` is aliased `client`). With both join sides holding `client`, HTTP Archive's
 * reports.html_elements_popularity orders by `client` after `SELECT p.client`: BigQuery orders by p.client;
 * only two select items of one name make it ambiguous.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((x) => x.f.map((c) => c.v));

const SIDES = `WITH pages AS (SELECT 'mobile' AS client, 'a' AS page UNION ALL SELECT 'desktop', 'b' UNION ALL SELECT 'desktop', 'c'),
  totals AS (SELECT client, COUNT(*) AS total FROM pages GROUP BY client)`;

describe('ORDER BY a name that is an implicit select alias and a column of both join sides', () => {
  test('orders by the select item (HTTP Archive html_elements_popularity shape)', async () => {
    const sql = `${SIDES}
      SELECT p.client, COUNT(DISTINCT p.page) AS pages, t.total
      FROM pages p JOIN totals t ON p.client = t.client
      GROUP BY p.client, t.total
      ORDER BY pages / total DESC, client`;
    // desktop: 2 pages of 2, mobile: 1 of 1; both ratios 1, so client breaks the tie
    expect(await rows(sql)).toEqual([['desktop', '2', '2'], ['mobile', '1', '1']]);
  });

  test('descending, and through a struct field path', async () => {
    expect(await rows(`${SIDES} SELECT p.client FROM pages p JOIN totals t ON p.client = t.client ORDER BY client DESC, p.page`)).toEqual([['mobile'], ['desktop'], ['desktop']]);
    const sql = 'SELECT s.v.n FROM (SELECT STRUCT(2 AS n) AS v UNION ALL SELECT STRUCT(1)) s, (SELECT 5 AS n) u ORDER BY n';
    expect(await rows(sql)).toEqual([['1'], ['2']]);
  });

  test('two select items of that name stay ambiguous', async () => {
    const sql = 'SELECT t.a, u.a FROM (SELECT 1 AS a) t, (SELECT 2 AS a) u ORDER BY a';
    await expect(engine().query(sql, opts)).rejects.toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^Column name a is ambiguous/) });
  });
});
