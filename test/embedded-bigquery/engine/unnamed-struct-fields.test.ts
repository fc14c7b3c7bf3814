/**
 * A query result holding a STRUCT with several unnamed fields (STRUCT('abc', 3), (a, b)): BigQuery's
 * REST schema names each unnamed field `_field_N` by its 1-based position (a named field keeps its
 * name) and the cells are positional. DuckDB names all of them '' (query/result-rows.ts reads them by
 * position), at any depth. Expected schemas and rows written by hand.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions, TableFieldSchema } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const field = (name: string, type: string, mode = 'NULLABLE'): TableFieldSchema => ({ name, type, mode } as TableFieldSchema);
const record = (name: string, fields: TableFieldSchema[], mode = 'NULLABLE'): TableFieldSchema => ({ name, type: 'RECORD', mode, fields } as TableFieldSchema);
const cells = (...v: unknown[]): { f: { v: unknown }[] } => ({ f: v.map((x) => ({ v: x })) });

describe('STRUCTs with several unnamed fields in a query result', () => {
  test('STRUCT("abc", 3) and STRUCT("abc", "3"): _field_1, _field_2, values by position', async () => {
    const r = await engine().query(`SELECT STRUCT('abc', 3) AS s, STRUCT('abc', '3') AS t`, opts);
    expect(r.schema.fields).toEqual([
      record('s', [field('_field_1', 'STRING'), field('_field_2', 'INTEGER')]),
      record('t', [field('_field_1', 'STRING'), field('_field_2', 'STRING')]),
    ]);
    expect(r.rows).toEqual([cells(cells('abc', '3'), cells('abc', '3'))]);
  });

  test('a named field keeps its name; the unnamed ones are named by position', async () => {
    const r = await engine().query(`SELECT STRUCT(1, 'x' AS n, 2.5) AS s`, opts);
    expect(r.schema.fields).toEqual([record('s', [field('_field_1', 'INTEGER'), field('n', 'STRING'), field('_field_3', 'FLOAT')])]);
    expect(r.rows).toEqual([cells(cells('1', 'x', '2.5'))]);
  });

  test('nested: a struct in a struct, a struct in an array, an array in a struct', async () => {
    const r = await engine().query(`SELECT STRUCT(STRUCT(11, 12)) AS a, [(1, 'a'), (2, 'b')] AS b, [STRUCT((1, 2) AS p, 'x' AS q)] AS c, ([1, 2], true) AS d`, opts);
    const pair = (name: string, t1: string, t2: string, mode = 'NULLABLE'): TableFieldSchema => record(name, [field('_field_1', t1), field('_field_2', t2)], mode);
    expect(r.schema.fields).toEqual([
      record('a', [pair('_field_1', 'INTEGER', 'INTEGER')]),
      pair('b', 'INTEGER', 'STRING', 'REPEATED'),
      record('c', [pair('p', 'INTEGER', 'INTEGER'), field('q', 'STRING')], 'REPEATED'),
      record('d', [field('_field_1', 'INTEGER', 'REPEATED'), field('_field_2', 'BOOLEAN')]),
    ]);
    expect(r.rows).toEqual([cells(
      cells(cells('11', '12')),
      [{ v: cells('1', 'a') }, { v: cells('2', 'b') }],
      [{ v: cells(cells('1', '2'), 'x') }],
      cells([{ v: '1' }, { v: '2' }], 'true'),
    )]);
  });

  test('a NULL struct, a NULL field, an empty array', async () => {
    const r = await engine().query(`SELECT IF(false, (1, 2), NULL) AS s, (1, CAST(NULL AS INT64)) AS t, ARRAY<STRUCT<INT64, INT64>>[] AS u`, opts);
    expect(r.rows).toEqual([cells(null, cells('1', null), [])]);
  });

  test('every row of a result larger than one chunk (2048 rows), and a query parameter', async () => {
    const r = await engine().query(`SELECT (n, n * 2, @k) AS s FROM UNNEST(GENERATE_ARRAY(1, 3000)) AS n ORDER BY n`, {
      ...opts, parameterMode: 'NAMED', queryParameters: [{ name: 'k', parameterType: { type: 'STRING' }, parameterValue: { value: 'k' } }],
    });
    expect(r.rows).toHaveLength(3000);
    expect(r.rows[0]).toEqual(cells(cells('1', '2', 'k')));
    expect(r.rows[2499]).toEqual(cells(cells('2500', '5000', 'k')));
    expect(r.rows[2999]).toEqual(cells(cells('3000', '6000', 'k')));
  });

  test('ARRAY_AGG((a, b)) and GROUP BY an anonymous struct', async () => {
    const agg = await engine().query(`SELECT ARRAY_AGG((a, b) ORDER BY a) AS c FROM UNNEST([2, 1]) AS a CROSS JOIN UNNEST(['x']) AS b`, opts);
    expect(agg.rows).toEqual([cells([{ v: cells('1', 'x') }, { v: cells('2', 'x') }])]);
    const grouped = await engine().query(`SELECT s, COUNT(*) AS n FROM UNNEST([1, 1, 2]) AS x, UNNEST([(x, x > 1)]) AS s GROUP BY s ORDER BY n`, opts);
    expect(grouped.rows).toEqual([cells(cells('2', 'true'), '1'), cells(cells('1', 'false'), '2')]);
  });

  test('structs with named fields answer as before', async () => {
    const r = await engine().query(`SELECT STRUCT(1 AS a, 'x' AS b) AS s, [STRUCT(2 AS a)] AS t, STRUCT(3) AS u`, opts);
    expect(r.schema.fields).toEqual([
      record('s', [field('a', 'INTEGER'), field('b', 'STRING')]),
      record('t', [field('a', 'INTEGER')], 'REPEATED'),
      record('u', [field('_field_1', 'INTEGER')]),
    ]);
    expect(r.rows).toEqual([cells(cells('1', 'x'), [{ v: cells('2') }], cells('3'))]);
  });
});
