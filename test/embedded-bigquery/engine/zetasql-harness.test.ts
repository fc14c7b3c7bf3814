/**
 * The ZetaSQL compliance harness (scripts/zetasql-compliance) reads ZetaSQL's test-file format and
 * compares answers as that format means them; these cases pin the reading and the comparison on
 * small texts written here (the corpus itself is read from the mirror at run time, never copied).
 */
import { describe, expect, test } from '@jest/globals';
import { parseTestFile, type TestSection } from '../../../scripts/zetasql-compliance/parse-test-file.js';
import { parseExpectedTable, timestampMicros } from '../../../scripts/zetasql-compliance/result-value.js';
import { decodeCell, listsEqual, schemaMismatch, valuesEqual } from '../../../scripts/zetasql-compliance/compare.js';
import { bigQuerySql, skipReason } from '../../../scripts/zetasql-compliance/skip-rules.js';
import { parameterType, parameterValue, splitParameters } from '../../../scripts/zetasql-compliance/parameters.js';

const FILE = [
  '[default required_features=ANALYTIC_FUNCTIONS]',
  '[prepare_database]',
  'CREATE TABLE T AS SELECT 1 AS a',
  '--',
  'ARRAY<STRUCT<a INT64>>[{1}]',
  '==',
  '[name=first]',
  'SELECT a FROM T',
  '--',
  'ARRAY<STRUCT<a INT64>>[{1}]',
  '',
  'NOTE: Reference implementation reports non-determinism.',
  '==',
  '[name=second]',
  '[required_features=UUID_TYPE]',
  'SELECT 1/0',
  '--',
  'ERROR: generic::out_of_range: division by zero: 1 / 0',
].join('\n');

describe('test-file reading', () => {
  test('sections, defaults, prepare_database, notes and errors', () => {
    const sections = parseTestFile(FILE);
    expect(sections).toHaveLength(3);
    const [prepare, first, second] = sections as [TestSection, TestSection, TestSection];
    expect(prepare.prepareDatabase).toBe(true);
    expect(prepare.sql).toBe('CREATE TABLE T AS SELECT 1 AS a');
    expect(first.name).toBe('first');
    expect(first.requiredFeatures).toEqual(['ANALYTIC_FUNCTIONS']);
    expect(first.expected).toBe('ARRAY<STRUCT<a INT64>>[{1}]');
    expect(first.notes).toHaveLength(1);
    expect(second.requiredFeatures.sort()).toEqual(['ANALYTIC_FUNCTIONS', 'UUID_TYPE']);
    expect(second.expected.startsWith('ERROR: generic::out_of_range')).toBe(true);
    expect(skipReason(first)).toBeUndefined();
    expect(skipReason(second)).toBe('feature UUID_TYPE');
  });

  test('an option may span lines and be spelled in any case', () => {
    const [s] = parseTestFile('[name=p]\n[Required_Features=NUMERIC_TYPE]\n[parameters=1 as a,\n  "x, y" as b]\nSELECT @a, @b\n--\nARRAY<STRUCT<INT64, STRING>>[{1, "x, y"}]\n') as [TestSection];
    expect(s.sql).toBe('SELECT @a, @b');
    expect(s.requiredFeatures).toEqual(['NUMERIC_TYPE']);
    expect(splitParameters(s.options.get('parameters') ?? '')).toEqual([
      ['1', 'a'],
      ['"x, y"', 'b'],
    ]);
  });

  test('a parameter takes the type and value of its evaluated answer', () => {
    const field = { name: 'p', type: 'RECORD', mode: 'REPEATED', fields: [{ name: 'ts', type: 'TIMESTAMP' }, { name: 'n', type: 'INTEGER' }] };
    expect(parameterType(field)).toEqual({ type: 'ARRAY', arrayType: { type: 'STRUCT', structTypes: [{ name: 'ts', type: { type: 'TIMESTAMP' } }, { name: 'n', type: { type: 'INT64' } }] } });
    expect(parameterValue(field, [{ v: { f: [{ v: '1500000' }, { v: null }] } }])).toEqual({ arrayValues: [{ structValues: { ts: { value: '1970-01-01 00:00:01.500000+00' }, n: { value: null } } }] });
  });

  test('DOUBLE is spelled FLOAT64 outside literals', () => {
    expect(bigQuerySql(`SELECT CAST(x AS double), "double", ARRAY<DOUBLE>[1]`)).toBe(`SELECT CAST(x AS FLOAT64), "double", ARRAY<FLOAT64>[1]`);
  });
});

describe('expected values', () => {
  test('typed values: escapes, bytes, nan, NUMERIC, TIMESTAMP, nested struct and array', () => {
    const t = parseExpectedTable('ARRAY<STRUCT<s STRING, b BYTES, d DOUBLE, n NUMERIC, ts TIMESTAMP, x STRUCT<INT64, ARRAY<INT64>>>>[unknown order:{"a\\n\\"", b"\\x00\\xff", nan, 1.500, 1970-01-01 00:00:01.5+00, {7, [known order:1, 2]}}, {NULL, NULL, -inf, NULL, NULL, NULL}]');
    expect(t.ordered).toBe(false);
    expect(t.columns.map((c) => c.name)).toEqual(['s', 'b', 'd', 'n', 'ts', 'x']);
    expect(t.rows[0]).toEqual(['a\n"', '00ff', NaN, '1.5', 1_500_000n, [7n, { kind: 'array', ordered: true, items: [1n, 2n] }]]);
    expect(t.rows[1]?.[2]).toBe(-Infinity);
  });

  test('an ARRAY<> column takes its element type from the value; a typed NULL array is NULL', () => {
    const t = parseExpectedTable('ARRAY<STRUCT<ARRAY<>>>[{ARRAY<INT64>[known order:1, 2]}, {ARRAY<INT64>(NULL)}]');
    expect(t.columns[0]?.type).toEqual({ kind: 'array', element: { kind: 'scalar', name: 'INT64' } });
    expect(t.rows[1]).toEqual([null]);
  });

  test('TIMESTAMP offsets', () => {
    expect(timestampMicros('2000-01-22 23:13:14-08')).toBe(timestampMicros('2000-01-23 07:13:14+00'));
  });
});

describe('comparison', () => {
  const expected = parseExpectedTable('ARRAY<STRUCT<a INT64, f DOUBLE, arr ARRAY<INT64>>>[unknown order:{1, 0.1, NULL}, {2, nan, [unknown order:3, 4]}]');
  const schema = [
    { name: 'a', type: 'INTEGER' },
    { name: 'f', type: 'FLOAT' },
    { name: 'arr', type: 'INTEGER', mode: 'REPEATED' },
  ];
  const rows = (cells: unknown[][]) => cells.map((r) => schema.map((f, i) => decodeCell(f, r[i], false)));

  test('an unordered result matches as a multiset; a NULL ARRAY is BigQuery\'s empty array; NaN equals NaN; FLOAT64 within 1e-12', () => {
    expect(schemaMismatch(expected, schema)).toBeUndefined();
    const got = rows([
      ['2', 'NaN', [{ v: '4' }, { v: '3' }]],
      ['1', String(0.1 + 1e-17), []],
    ]);
    expect(listsEqual(expected.rows, got, false)).toBe(true);
  });

  test('a different value, a different type or a missing column is not equal', () => {
    expect(listsEqual(expected.rows, rows([['2', 'NaN', [{ v: '4' }]], ['1', '0.1', []]]), false)).toBe(false);
    expect(valuesEqual(0.1, 0.1000001)).toBe(false);
    expect(schemaMismatch(expected, [{ name: 'a', type: 'FLOAT' }, ...schema.slice(1)])).toBe('column 1: expected INT64, got FLOAT');
    expect(schemaMismatch(expected, schema.slice(0, 2))).toBe('expected 3 columns, got 2');
  });
});
