/**
 * The schema the REST API reports for typed functions is BigQuery's (issue 12): the result type of
 * each function for its argument types, per the GoogleSQL reference's signature tables, and
 * BigQuery's error messages for the common classes of DuckDB error.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
let engine: Engine;

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
});

afterAll(async () => {
  await engine?.close();
});

async function types(sql: string): Promise<string[]> {
  const r = await engine.query(sql, opts);
  return (r.schema?.fields ?? []).map((f) => f.type);
}

describe('result types', () => {
  test('division: INT64 / INT64 and FLOAT64 are FLOAT64, NUMERIC is NUMERIC (operators#division_operator)', async () => {
    expect(await types("SELECT 5 / 2, 1.5 / 2, NUMERIC '1' / 3, 3 / NUMERIC '2', SUM(x) / COUNT(x) FROM UNNEST([1, 2]) AS x")).toEqual(['FLOAT', 'FLOAT', 'NUMERIC', 'NUMERIC', 'FLOAT']);
  });
  test('AVG: FLOAT64 for INT64, NUMERIC for NUMERIC (aggregate_functions#avg)', async () => {
    expect(await types('SELECT AVG(x) FROM UNNEST([1, 2]) AS x')).toEqual(['FLOAT']);
    expect(await types("SELECT AVG(x) FROM UNNEST([NUMERIC '1']) AS x")).toEqual(['NUMERIC']);
  });
  test('hashes are BYTES (hash_functions)', async () => {
    expect(await types("SELECT MD5('a'), SHA1('a'), SHA256(b'a')")).toEqual(['BYTES', 'BYTES', 'BYTES']);
  });
  test('JSON_EXTRACT/JSON_QUERY: STRING for a STRING, JSON for a JSON (json_functions#json_query)', async () => {
    expect(await types(`SELECT JSON_EXTRACT('{"a":1}', '$.a'), JSON_QUERY(JSON '{"a":1}', '$.a')`)).toEqual(['STRING', 'JSON']);
  });
  test('SIGN keeps its argument type (mathematical_functions#sign)', async () => {
    expect(await types("SELECT SIGN(-3), SIGN(-2.5), SIGN(NUMERIC '-1.5')")).toEqual(['INTEGER', 'FLOAT', 'NUMERIC']);
  });
  test('ROUND and TRUNC of INT64 are FLOAT64, of NUMERIC NUMERIC, over aggregates too (mathematical_functions#round)', async () => {
    expect(await types("SELECT ROUND(3), TRUNC(7), ROUND(NUMERIC '1.555', 2), ROUND(SUM(x)), ROUND(AVG(x), 1) FROM UNNEST([1, 2]) AS x")).toEqual(['FLOAT', 'FLOAT', 'NUMERIC', 'FLOAT', 'FLOAT']);
  });
  test('JSON_QUERY_ARRAY: ARRAY<JSON> for a JSON, ARRAY<STRING> for a STRING (json_functions#json_query_array)', async () => {
    const r = await engine.query(`SELECT JSON_QUERY_ARRAY(JSON '{"a":[1]}', '$.a'), JSON_QUERY_ARRAY('{"a":[1]}', '$.a')`, opts);
    expect(r.schema?.fields?.map((f) => `${f.type}/${f.mode}`)).toEqual(['JSON/REPEATED', 'STRING/REPEATED']);
  });
  test('DATE - DATE and TIMESTAMP - TIMESTAMP are INTERVAL (operators#datetime_subtraction)', async () => {
    expect(await types("SELECT DATE '2021-05-20' - DATE '2020-04-19', TIMESTAMP '2021-06-01 12:34:56.789' - TIMESTAMP '2021-05-31 00:00:00', DATE '2021-05-20' - 1")).toEqual(['INTERVAL', 'INTERVAL', 'DATE']);
  });
  test('CONCAT with a NULL argument is a STRING NULL (string_functions#concat)', async () => {
    const r = await engine.query("SELECT CONCAT(NULL, 'x')", opts);
    expect(r.schema?.fields?.[0]?.type).toBe('STRING');
    expect(r.rows[0]!.f[0]!.v).toBeNull();
  });
  test('COUNTIF is INT64 and 0 over no rows (aggregate_functions#countif)', async () => {
    const r = await engine.query('SELECT COUNTIF(x > 0) FROM UNNEST([1]) AS x WHERE FALSE', opts);
    expect(r.schema?.fields?.[0]?.type).toBe('INTEGER');
    expect(r.rows[0]!.f[0]!.v).toBe('0');
  });
});

describe('BigQuery error messages', () => {
  const fails = (sql: string) => expect(engine.query(sql, opts)).rejects;
  test('unrecognized name', async () => {
    await fails('SELECT x FROM (SELECT 1 AS y)').toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^Unrecognized name: x/) });
  });
  test('table not found', async () => {
    await engine.createDataset({ datasetReference: { projectId: 'p', datasetId: 'ds' } });
    await fails('SELECT * FROM ds.nope').toMatchObject({ reason: 'notFound', message: 'Not found: Table p:ds.nope was not found in location US' });
  });
  test('function not found', async () => {
    await fails('SELECT no_such_function(1)').toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^Function not found: no_such_function/) });
  });
  test('no matching signature', async () => {
    await fails("SELECT SIGN('a')").toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^No matching signature for function SIGN/) });
  });
  test('division by zero', async () => {
    await fails('SELECT 1 / 0').toMatchObject({ reason: 'invalidQuery', message: 'division by zero: 1 / 0' });
    await fails("SELECT NUMERIC '1.50' / 0").toMatchObject({ reason: 'invalidQuery', message: 'division by zero: 1.5 / 0' });
  });
  test('invalid time zone', async () => {
    await fails("SELECT DATE(TIMESTAMP '2020-01-01 00:00:00+00', 'IST')").toMatchObject({ reason: 'invalidQuery', message: 'Invalid time zone: IST' });
  });
  test('syntax error', async () => {
    await fails('SELECT 1 +').toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^Syntax error: /) });
  });
});
