/**
 * The schema the REST API reports for typed functions is BigQuery's (issue 12): the result type of
 * each function for its argument types, per the GoogleSQL reference's signature tables, and
 * BigQuery's error messages for the common classes of DuckDB error.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

async function types(sql: string): Promise<string[]> {
  const r = await engine().query(sql, opts);
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
    const r = await engine().query(`SELECT JSON_QUERY_ARRAY(JSON '{"a":[1]}', '$.a'), JSON_QUERY_ARRAY('{"a":[1]}', '$.a')`, opts);
    expect(r.schema?.fields?.map((f) => `${f.type}/${f.mode}`)).toEqual(['JSON/REPEATED', 'STRING/REPEATED']);
  });
  test('DATE - DATE and TIMESTAMP - TIMESTAMP are INTERVAL (operators#datetime_subtraction)', async () => {
    expect(await types("SELECT DATE '2021-05-20' - DATE '2020-04-19', TIMESTAMP '2021-06-01 12:34:56.789' - TIMESTAMP '2021-05-31 00:00:00', DATE '2021-05-20' - 1")).toEqual(['INTERVAL', 'INTERVAL', 'DATE']);
  });
  test('CONCAT with a NULL argument is a STRING NULL (string_functions#concat)', async () => {
    const r = await engine().query("SELECT CONCAT(NULL, 'x')", opts);
    expect(r.schema?.fields?.[0]?.type).toBe('STRING');
    expect(r.rows[0]!.f[0]!.v).toBeNull();
  });
  test('COUNTIF is INT64 and 0 over no rows (aggregate_functions#countif)', async () => {
    const r = await engine().query('SELECT COUNTIF(x > 0) FROM UNNEST([1]) AS x WHERE FALSE', opts);
    expect(r.schema?.fields?.[0]?.type).toBe('INTEGER');
    expect(r.rows[0]!.f[0]!.v).toBe('0');
  });
  test('FARM_FINGERPRINT is INT64, NET.IP_FROM_STRING BYTES, NET.IP_TO_STRING and NET.HOST STRING (hash_functions, net_functions)', async () => {
    expect(await types("SELECT FARM_FINGERPRINT('a'), NET.IP_FROM_STRING('1.2.3.4'), NET.IP_TO_STRING(b'abcd'), NET.HOST('http://a.b/'), NET.IPV4_TO_INT64(b'abcd')")).toEqual(['INTEGER', 'BYTES', 'STRING', 'STRING', 'INTEGER']);
  });
});

describe('result column names (query-syntax#implicit_aliases)', () => {
  async function names(sql: string): Promise<string[]> {
    const r = await engine().query(sql, opts);
    return (r.schema?.fields ?? []).map((f) => f.name);
  }
  test('quoted aliases with accents, spaces and apostrophes are kept as written', async () => {
    expect(await names("SELECT 1 AS `Région`, 2 AS `ID ligne`, 3 AS `l'id`, 4 AS plain")).toEqual(['Région', 'ID ligne', "l'id", 'plain']);
  });
  test('a column of a table with such a name keeps it through SELECT *', async () => {
    expect(await names("SELECT * FROM (SELECT 'x' AS `Région`, 1 AS `ID ligne`)")).toEqual(['Région', 'ID ligne']);
  });
  test('expressions without a name are f0_, f1_, ... counting only the unnamed ones', async () => {
    expect(await names("SELECT 1, 'x' AS a, -1, 1.5, NULL, TRUE, CAST(1 AS STRING), 1 IS NULL, 'a' || 'b', [1], s.f FROM (SELECT STRUCT(1 AS f) AS s)")).toEqual(['f0_', 'a', 'f1_', 'f2_', 'f3_', 'f4_', 'f5_', 'f6_', 'f7_', 'f8_', 'f']);
  });
  test('a name used twice is renamed name_1, name_2 (names compare without case)', async () => {
    expect(await names('SELECT 1 AS a, 2 AS a, 3 AS A, 4 AS b')).toEqual(['a', 'a_1', 'A_2', 'b']);
    await expect(engine().query('SELECT 1 AS a, 2 AS a, 3 AS a_1', opts)).rejects.toThrow(/not supported by the embedded BigQuery/);
  });
  test('a script variable selected by itself keeps its name', async () => {
    expect(await names('DECLARE v INT64 DEFAULT 3; SELECT v, v + 1')).toEqual(['v', 'f0_']);
  });
  test('SELECT * over a FROM item that is a value table of STRUCTs lists the fields (query-syntax#select_as_value)', async () => {
    const r = await engine().query("SELECT * FROM (SELECT AS VALUE STRUCT(1 AS a, 'q' AS b))", opts);
    expect((r.schema?.fields ?? []).map((f) => `${f.name}:${f.type}`)).toEqual(['a:INTEGER', 'b:STRING']);
    expect(r.rows[0]!.f.map((c) => c.v)).toEqual(['1', 'q']);
  });
});

describe('BigQuery error messages', () => {
  const fails = (sql: string) => expect(engine().query(sql, opts)).rejects;
  test('unrecognized name', async () => {
    await fails('SELECT x FROM (SELECT 1 AS y)').toMatchObject({ reason: 'invalidQuery', message: expect.stringMatching(/^Unrecognized name: x/) });
  });
  test('table not found', async () => {
    await engine().createDataset({ datasetReference: { projectId: 'p', datasetId: 'ds' } });
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
