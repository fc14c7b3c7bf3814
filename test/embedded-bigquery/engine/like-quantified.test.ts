/**
 * The quantified LIKE over a list of patterns (operators#like_operator_quantified): ANY/SOME is TRUE
 * when a pattern matches, ALL when every one does; NULL for a NULL search value, or when a NULL pattern
 * leaves the answer open; NOT LIKE negates each comparison. Expected values by hand from the docs' rules.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const rows = async (sql: string): Promise<unknown[][]> => (await engine().query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('x [NOT] LIKE ANY|SOME|ALL (patterns)', () => {
  test("the docs' example: the words that start with Intend or contain intention", async () => {
    const sql = `WITH Words AS (SELECT 'Intend with clarity.' AS value UNION ALL SELECT 'Secure with intention.' UNION ALL SELECT 'Clarity and security.')
      SELECT value FROM Words WHERE value LIKE ANY ('Intend%', '%intention%') ORDER BY value`;
    expect(await rows(sql)).toEqual([['Intend with clarity.'], ['Secure with intention.']]);
  });

  test('ANY, SOME and ALL with NULLs', async () => {
    const sql = `SELECT v, v LIKE ANY ('a%', 'V%1'), v LIKE SOME (NULL, 'x'), v LIKE ANY (NULL, 'Value1'), v LIKE ALL ('V%', '%1'), v LIKE ALL (NULL, 'Value1')
      FROM UNNEST(['Value1', 'Value2', NULL]) AS v ORDER BY v`;
    expect(await rows(sql)).toEqual([
      [null, null, null, null, null, null],
      ['Value1', 'true', null, 'true', 'true', null],
      ['Value2', 'false', null, null, 'false', 'false'],
    ]);
  });

  test('NOT LIKE applies to each pattern', async () => {
    const sql = "SELECT NULL NOT LIKE ANY (NULL, 'abc'), 'abc' NOT LIKE ANY (NULL, NULL), 'abc' NOT LIKE ANY ('abc', '%z%'), 'abc' NOT LIKE ANY ('abc', '%b%'), 'abc' NOT LIKE ALL ('x', '%y%'), 'abc' NOT LIKE ALL ('x', 'a%')";
    expect(await rows(sql)).toEqual([[null, null, 'true', 'false', 'true', 'false']]);
  });

  test('patterns computed per row, an operand with arithmetic and concatenation, inside AND', async () => {
    const sql = "SELECT v || '!' LIKE ALL (CONCAT(SUBSTR(v, 1, 1), '%'), '%!') AND TRUE, CAST(1 + 2 AS STRING) LIKE ANY ('3', '4') FROM UNNEST(['ab']) AS v";
    expect(await rows(sql)).toEqual([['true', 'true']]);
  });

  test('backslash escapes in every pattern; a pattern ending in a backslash fails', async () => {
    expect(await rows("SELECT 'a_b' LIKE ANY ('a\\\\_b'), 'axb' LIKE ANY ('a\\\\_b'), p LIKE ANY (CONCAT(p, '')) FROM UNNEST(['50\\\\%']) AS p")).toEqual([['true', 'false', 'false']]);
    expect(await failure("SELECT 'a' LIKE ANY ('\\\\')")).toMatch(/end with escape character|ends with a backslash/);
    expect(await failure("SELECT 'a' LIKE ANY (p, 'x') FROM UNNEST(['a\\\\']) AS p")).toMatch(/LIKE pattern ends with a backslash/);
  });

  test('the subquery form stays loud', async () => {
    expect(await failure("SELECT 'a' LIKE ANY (SELECT 'a')")).not.toBe('answered');
  });
});
