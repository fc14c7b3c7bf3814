/**
 * A STRUCT with unnamed fields through the REST API and the real @google-cloud/bigquery client: the
 * schema names the fields `_field_1`, `_field_2` and the client maps each cell by those names
 * (its Table.mergeSchemaWithRows_), so STRUCT('abc', 3) arrives as {_field_1: 'abc', _field_2: 3}.
 * Expected values by hand.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

describe('unnamed STRUCT fields over REST', () => {
  let bq: TestBigQuery;

  beforeAll(async () => {
    bq = await startTestBigQuery();
  });
  afterAll(async () => {
    await bq?.stop();
  });

  test('SELECT STRUCT(\'abc\', 3) AS s reads as {_field_1, _field_2}', async () => {
    const [rows] = await bq.bigquery.query({ query: `SELECT STRUCT('abc', 3) AS s, [(1, 'a'), (2, 'b')] AS a` });
    expect(rows).toEqual([{ s: { _field_1: 'abc', _field_2: 3 }, a: [{ _field_1: 1, _field_2: 'a' }, { _field_1: 2, _field_2: 'b' }] }]);
  });

  test('the schema and cells of getQueryResults', async () => {
    const [job] = await bq.bigquery.createQueryJob({ query: `SELECT STRUCT('abc', 3) AS s` });
    const [rows, , response] = await job.getQueryResults({ skipParsing: true });
    expect((response as { schema: { fields: unknown[] } }).schema.fields).toEqual([
      { name: 's', type: 'RECORD', mode: 'NULLABLE', fields: [{ name: '_field_1', type: 'STRING', mode: 'NULLABLE' }, { name: '_field_2', type: 'INTEGER', mode: 'NULLABLE' }] },
    ]);
    expect(rows).toEqual([{ f: [{ v: { f: [{ v: 'abc' }, { v: '3' }] } }] }]);
  });
});
