/**
 * Comparisons against an operand whose type its text tells (a literal, CURRENT_TIMESTAMP(), a scalar
 * query parameter) are decided at translation (sql/functions/typed-comparison.ts) instead of by the
 * checked form's typeof() tests. Each case runs both ways, the typed operand as written and the
 * same value hidden in a scalar subquery (which keeps the checked form), and both must give the
 * expected rows computed by hand, or BigQuery's same error. (A STRING literal against a date/time
 * is coerced only as a literal: hidden, it is a STRING value BigQuery refuses there, so those cases
 * check the typed form alone.)
 *
 * ds.t, by hand (STRINGs compare by code point, case-sensitively: 'B' < 'a' < 'e' < 'ß' < 'é'):
 *  id  s    i   n      f     b      d           ts (UTC)              dt
 *  1   'a'  1   1.5    1.0   true   2024-01-01  2024-01-01 10:00:00   2024-01-01 10:00:00
 *  2   'B'  5   5      NaN   false  2024-06-30  2024-01-01 05:00:00   2024-01-01 05:00:00
 *  3   'é'  -3  -3.25  +inf  true   2024-03-01  2023-12-31 23:00:00   2023-12-31 23:00:00
 *  4   'ß'  2   2      -inf  false  2024-01-02  2024-01-02 00:00:00   2024-01-02 00:00:00
 *  5   'e'  0   0      2.0   true   2023-12-31  2024-01-01 10:00:01   2024-01-01 10:00:01
 *  6   NULL in every column
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions, QueryParameter } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
let engine: Engine;

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
  await engine.createDataset({ datasetReference: { projectId: P, datasetId: 'ds' } });
  const opts = { projectId: P };
  await engine.query('create table ds.t (id INT64, s STRING, i INT64, n NUMERIC, f FLOAT64, b BOOL, d DATE, ts TIMESTAMP, dt DATETIME, st STRUCT<a INT64>)', opts);
  await engine.query(`insert into ds.t values
    (1, 'a', 1, 1.5, 1.0, true, date '2024-01-01', timestamp '2024-01-01 10:00:00+00', datetime '2024-01-01 10:00:00', struct(1)),
    (2, 'B', 5, 5, cast('nan' as float64), false, date '2024-06-30', timestamp '2024-01-01 10:00:00+05', datetime '2024-01-01 05:00:00', struct(2)),
    (3, 'é', -3, -3.25, cast('inf' as float64), true, date '2024-03-01', timestamp '2024-01-01 00:00:00+01', datetime '2023-12-31 23:00:00', struct(3)),
    (4, 'ß', 2, 2, cast('-inf' as float64), false, date '2024-01-02', timestamp '2024-01-01 19:00:00-05', datetime '2024-01-02 00:00:00', struct(4)),
    (5, 'e', 0, 0, 2.0, true, date '2023-12-31', timestamp '2024-01-01 10:00:01+00', datetime '2024-01-01 10:00:01', struct(5)),
    (6, null, null, null, null, null, null, null, null, null)`, opts);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const param = (name: string, type: string, value: string | null): QueryParameter => ({ name, parameterType: { type }, parameterValue: { value } });

async function ids(where: string, params: QueryParameter[] = []): Promise<number[]> {
  const options: QueryOptions = { projectId: P, parameterMode: 'NAMED', queryParameters: params };
  const r = await engine.query(`select id from ds.t where ${where} order by id`, options);
  return r.rows.map((row) => Number(row.f[0]!.v));
}

async function failure(where: string, params: QueryParameter[] = []): Promise<string> {
  try {
    await ids(where, params);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return 'no error';
}

/** The same predicate with the typed operand hidden from the translator: `(select <operand>)`. */
const hidden = (where: string, operand: string) => where.replace(operand, `(select ${operand})`);

describe('typed operands give the checked form\'s answer', () => {
  const cases: [string, string | null, number[], QueryParameter[]?][] = [
    // STRING: code point order, case-sensitive, NULL never matches
    ["s = 'e'", "'e'", [5]],
    ["s < 'b'", "'b'", [1, 2]],
    ["s >= 'ß'", "'ß'", [3, 4]],
    ["s <> 'é'", "'é'", [1, 2, 4, 5]],
    ['s = @p', '@p', [4], [param('p', 'STRING', 'ß')]],
    ['s = @p', '@p', [], [param('p', 'STRING', null)]],
    // INT64 against INT64 and NUMERIC columns
    ['i = 5', '5', [2]],
    ['i < @p', '@p', [3, 5], [param('p', 'INT64', '1')]],
    ['n = 5', '5', [2]],
    ['n > 1', '1', [1, 2, 4]],
    ['n <= @p', '@p', [1, 3, 4, 5], [param('p', 'INT64', '2')]],
    // FLOAT64 against INT64: NaN is never equal, never less or greater, always unequal
    ['f = 1', '1', [1]],
    ['f <> 1', '1', [2, 3, 4, 5]],
    ['f < 2', '2', [1, 4]],
    ['f >= 2', '2', [3, 5]],
    ['f > @p', '@p', [1, 3, 5], [param('p', 'INT64', '0')]],
    // BOOL
    ['b = true', 'true', [1, 3, 5]],
    ['b <> @p', '@p', [2, 4], [param('p', 'BOOL', 'true')]],
    // DATE against a STRING literal (coerced), a DATE literal and a DATE parameter
    ["d = '2024-06-30'", null, [2]],
    ["d < date '2024-01-02'", "date '2024-01-02'", [1, 5]],
    ['d >= @p', '@p', [2, 3], [param('p', 'DATE', '2024-03-01')]],
    // TIMESTAMP literals and parameters in other zones are instants
    ["ts = timestamp '2024-01-01 15:00:00+10'", "timestamp '2024-01-01 15:00:00+10'", [2]],
    ["ts < timestamp '2024-01-01 01:00:00+01'", "timestamp '2024-01-01 01:00:00+01'", [3]],
    ["ts >= '2024-01-01 10:00:00+00'", null, [1, 4, 5]],
    ['ts > @p', '@p', [1, 4, 5], [param('p', 'TIMESTAMP', '2024-01-01T07:00:00-02:00')]],
    ['ts < current_timestamp()', 'current_timestamp()', [1, 2, 3, 4, 5]],
    // DATETIME: no zone
    ["dt = datetime '2024-01-01 05:00:00'", "datetime '2024-01-01 05:00:00'", [2]],
  ];
  test.each(cases)('%s', async (where, operand, expected, params = []) => {
    expect(await ids(where, params)).toEqual(expected);
    if (operand !== null) expect(await ids(hidden(where, operand), params)).toEqual(expected);
    // the typed operand on the left
    const flipped = where.replace(/^(\w+) (=|<>|<=|>=|<|>) (.+)$/, (_, col: string, op: string, rest: string) => `${rest} ${({ '<': '>', '>': '<', '<=': '>=', '>=': '<=' } as Record<string, string>)[op] ?? op} ${col}`);
    expect(await ids(flipped, params)).toEqual(expected);
  });
});

describe('types BigQuery does not compare fail as the checked form does', () => {
  const errors: [string, string, string][] = [
    ['s = 1', '1', 'No matching signature for operator = for argument types: STRING, INT64'],
    ["i = 'x'", "'x'", 'No matching signature for operator = for argument types: INT64, STRING'],
    ['b = 1', '1', 'No matching signature for operator = for argument types: BOOL, INT64'],
    ['i = true', 'true', 'No matching signature for operator = for argument types: INT64, BOOL'],
    ["n <> 'x'", "'x'", 'No matching signature for operator != for argument types: NUMERIC, STRING'],
    ["s = date '2024-01-01'", "date '2024-01-01'", 'No matching signature for operator = for argument types: STRING, DATE'],
  ];
  test.each(errors)('%s', async (where, operand, message) => {
    const typed = await failure(where);
    expect(typed).toContain(message);
    expect(typed).toBe(await failure(hidden(where, operand)));
  });

  test("FLOAT64 against a STRING fails with BigQuery's message (the checked form fails too, in DuckDB's words)", async () => {
    expect(await failure("f < '1'")).toContain('No matching signature for operator < for argument types: FLOAT64, STRING');
    expect(await failure("f < (select '1')")).not.toBe('no error');
  });

  test('a STRUCT against a scalar fails loudly', async () => {
    expect(await failure("st = 'x'")).toMatch(/not supported by the embedded BigQuery|No matching signature/);
    expect(await failure('st = 1')).toMatch(/not supported by the embedded BigQuery|No matching signature/);
  });
});

describe('both operands typed', () => {
  test('literals and parameters compare without checks, or fail with the same error', async () => {
    const p = [param('p', 'STRING', 'a'), param('q', 'INT64', '3')];
    expect(await ids("@p = 'a' and id = 1", p)).toEqual([1]);
    expect(await ids("@p < 'B' and id = 1", p)).toEqual([]);
    expect(await ids('@q >= 3 and id = 1', p)).toEqual([1]);
    expect(await ids("date '2024-01-01' < '2024-01-02' and id = 1")).toEqual([1]);
    expect(await failure("@q = 'a'", p)).toBe(await failure("@q = (select 'a')", p));
    expect(await failure("@q = 'a'", p)).toContain('No matching signature for operator = for argument types: INT64, STRING');
  });
});
