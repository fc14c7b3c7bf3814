/**
 * JavaScript UDF libraries (OPTIONS(library = ...)) read from the Cloud Storage the embedded BigQuery
 * is started with, by gs:// URI or by the object's public storage.googleapis.com URL, through the
 * real BigQuery and Storage clients. A missing object is the query's error, and without a Cloud
 * Storage the option fails loudly (engine/js-udf.test.ts covers the sandbox itself).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../../support/embedded-gcs.js';

describe('JavaScript UDF libraries from Cloud Storage', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let plain: TestBigQuery;

  beforeAll(async () => {
    gcs = await startTestGcs({ token: 'gcs-secret' });
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url, token: 'gcs-secret' } });
    plain = await startTestBigQuery();
    const [bucket] = await gcs.storage.createBucket('udf-libs');
    // a library defines globals the function body then uses, as BigQuery runs it
    await bucket.file('greet.js').save('var greeting = "Hello"; function greet(name) { return greeting + ", " + name + "!"; }');
    await bucket.file('shout.js').save('function shout(s) { return s.toUpperCase(); }');
  });
  afterAll(async () => {
    await bq?.stop();
    await plain?.stop();
    await gcs?.stop();
  });

  const rows = async (client: TestBigQuery, sql: string) => (await client.bigquery.query(sql))[0] as Record<string, unknown>[];

  test('one library by gs:// URI, two by a list mixing gs:// and the public https URL', async () => {
    expect(await rows(bq, `create temp function hi(n string) returns string language js options (library = 'gs://udf-libs/greet.js') as "return greet(n)";
      select hi('Ada') as g`)).toEqual([{ g: 'Hello, Ada!' }]);
    expect(await rows(bq, `create temp function loud(n string) returns string language js
      options (library = ['gs://udf-libs/greet.js', 'https://storage.googleapis.com/udf-libs/shout.js']) as "return shout(greet(n))";
      select loud('Bob') as g`)).toEqual([{ g: 'HELLO, BOB!' }]);
  });

  test('a dry run reads the library too', async () => {
    const [job] = await bq.bigquery.createQueryJob({ query: `create temp function hi(n string) returns string language js options (library = 'gs://udf-libs/greet.js') as "return greet(n)"; select hi('Ada') as g`, dryRun: true });
    expect(job.metadata.status.state).toBe('DONE');
    // the same dry run where no Cloud Storage holds the library fails: the dry run does read it
    await expect(plain.bigquery.createQueryJob({ query: `create temp function hi(n string) returns string language js options (library = 'gs://udf-libs/greet.js') as "return greet(n)"; select hi('Ada') as g`, dryRun: true })).rejects.toThrow(/without a Cloud Storage/);
  });

  test('a persistent function keeps its libraries and reads them again when called', async () => {
    await bq.bigquery.createDataset('fns');
    await bq.bigquery.query(`create function fns.hi(n string) returns string language js options (library = ['gs://udf-libs/greet.js']) as "return greet(n)"`);
    expect(await rows(bq, `select fns.hi('Cy') as g`)).toEqual([{ g: 'Hello, Cy!' }]);
  });

  test('a missing object fails the query; without a Cloud Storage the option fails loudly', async () => {
    await expect(bq.bigquery.query(`create temp function f(n string) returns string language js options (library = 'gs://udf-libs/none.js') as "return n"; select f('x')`)).rejects.toThrow(
      /Not found: JavaScript library gs:\/\/udf-libs\/none\.js/,
    );
    await expect(plain.bigquery.query(`create temp function f(n string) returns string language js options (library = 'gs://udf-libs/greet.js') as "return n"; select f('x')`)).rejects.toThrow(
      /OPTIONS\(library = \.\.\.\) on a JavaScript UDF without a Cloud Storage .* not supported by the embedded BigQuery/,
    );
  });
});
