/**
 * A select item's alias written without AS may be any non-reserved word in GoogleSQL (lexical#reserved_keywords):
 * `value`, `key`, `name`, `type`, `year` name their columns as `AS value` would, in any select list (CTEs,
 * subqueries, UNION ALL, CREATE TABLE AS). Words after an operand that are not an alias keep their meaning.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const result = async (sql: string): Promise<{ names: string[]; rows: unknown[][] }> => {
  const r = await engine().query(sql, opts);
  return { names: r.schema.fields.map((f) => f.name), rows: r.rows.map((x) => x.f.map((c) => c.v)) };
};

describe('an implicit alias that DuckDB reads as a keyword', () => {
  test('names the column, after literals, casts, CASE ... END and brackets', async () => {
    expect(await result("SELECT 1 row_id, CAST(NULL AS NUMERIC) value, 'k' key, CASE WHEN TRUE THEN 2 END type, (3) year, [4][OFFSET(0)] name")).toEqual({
      names: ['row_id', 'value', 'key', 'type', 'year', 'name'],
      rows: [['1', null, 'k', '2', '3', '4']],
    });
  });

  test('in a UNION ALL subquery read by name, and with its case as written', async () => {
    const sql = 'SELECT row_id, value FROM (SELECT 1 row_id, 10 value UNION ALL SELECT 2, 20) WHERE value > 15';
    expect(await result(sql)).toEqual({ names: ['row_id', 'value'], rows: [['2', '20']] });
    expect((await result('SELECT 1 Value')).names).toEqual(['Value']);
  });

  test('a window function over such a column', async () => {
    const sql = 'SELECT row_id, FIRST_VALUE(value) OVER (ORDER BY row_id ROWS BETWEEN 1 FOLLOWING AND 1 FOLLOWING) AS nxt FROM (SELECT 1 row_id, 5 value UNION ALL SELECT 2, 7) ORDER BY row_id';
    expect((await result(sql)).rows).toEqual([['1', '7'], ['2', null]]);
  });

  test('CREATE TABLE AS keeps the names and DML reads them', async () => {
    await engine().query('CREATE SCHEMA IF NOT EXISTS d', opts);
    await engine().query('CREATE TABLE d.kv AS SELECT CAST(1 AS INT64) AS primary_key, CAST(101 AS INT64) value UNION ALL SELECT 2, 102', opts);
    await engine().query('UPDATE d.kv SET value = value + 1 WHERE primary_key = 2', opts);
    expect(await result('SELECT primary_key, value FROM d.kv ORDER BY primary_key')).toEqual({ names: ['primary_key', 'value'], rows: [['1', '101'], ['2', '103']] });
  });

  test('words that are not an alias keep their meaning', async () => {
    // IS DISTINCT FROM, * EXCEPT (...), a table alias, ORDER BY ... DESC
    expect(await result('SELECT a IS DISTINCT FROM b value FROM (SELECT 1 a, 2 b)')).toEqual({ names: ['value'], rows: [['true']] });
    expect(await result('SELECT * EXCEPT (x), 1 key FROM (SELECT 1 x, 2 y) value')).toEqual({ names: ['y', 'key'], rows: [['2', '1']] });
    expect((await result('SELECT x FROM UNNEST([1, 3, 2]) x ORDER BY x DESC')).rows).toEqual([['3'], ['2'], ['1']]);
  });
});
