/**
 * CAST(x AS STRING FORMAT '...') of DATE, DATETIME, TIME and TIMESTAMP values (format-elements#format_date_time_as_string):
 * the documented examples (YYYY 2018, MONTH JANUARY, DD 15, DDD 034, HH24 21, HH12 09, MI 30, SS 25, AM/PM,
 * SSSSS 03723, FF1 1) and hand-worked combinations with case matching and "quoted text". What the page
 * does not allow (a time element of a DATE) is BigQuery's error; other source types and AT TIME ZONE stay
 * loud. Where the page contradicts itself (D's example, DAY's padding, FFn's rounding) the expected values
 * follow ZetaSQL's cast_date_time.cc: D Sunday-first, %A unpadded, %E<n>f truncated. Through the real
 * @google-cloud/bigquery client.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

let bq: TestBigQuery;
let client: BigQuery;
const one = async (expr: string): Promise<unknown> => ((await client.query({ query: `SELECT ${expr} AS v` }))[0] as { v: unknown }[])[0]!.v;
beforeAll(async () => {
  bq = await startTestBigQuery();
  client = bq.bigquery;
}, 60_000);
afterAll(async () => {
  await bq?.stop();
});

test('the page’s examples', async () => {
  expect(await one("CAST(DATE '2018-01-30' AS STRING FORMAT 'YYYY')")).toBe('2018');
  expect(await one("CAST(DATE '2018-01-30' AS STRING FORMAT 'MONTH')")).toBe('JANUARY');
  expect(await one("CAST(DATE '2018-02-15' AS STRING FORMAT 'DD')")).toBe('15');
  expect(await one("CAST(DATE '2018-02-03' AS STRING FORMAT 'DDD')")).toBe('034');
  expect(await one("CAST(TIME '21:30:00' AS STRING FORMAT 'HH24')")).toBe('21');
  expect(await one("CAST(TIME '21:30:00' AS STRING FORMAT 'HH12')")).toBe('09');
  expect(await one("CAST(TIME '21:30:00' AS STRING FORMAT 'MI')")).toBe('30');
  expect(await one("CAST(TIME '21:30:25.16' AS STRING FORMAT 'SS')")).toBe('25');
  expect(await one("CAST(TIME '01:02:03' AS STRING FORMAT 'SSSSS')")).toBe('03723');
  expect(await one("CAST(TIME '21:30:25.16' AS STRING FORMAT 'FF2')")).toBe('16');
  expect(await one("CAST(TIME '01:05:07.16' AS STRING FORMAT 'FF1')")).toBe('1');
  expect(await one("CAST(TIME '21:30:00' AS STRING FORMAT 'AM')")).toBe('PM');
  expect(await one("CAST(TIME '01:02:03' AS STRING FORMAT 'a.M.')")).toBe('a.m.');
});

test('where the page and its examples disagree, ZetaSQL’s implementation: D with Sunday as 1, DAY unpadded, FFn truncated', async () => {
  expect(await one("CAST(DATE '2020-12-31' AS STRING FORMAT 'D')")).toBe('5');
  expect(await one("CAST(DATE '2020-12-27' AS STRING FORMAT 'D')")).toBe('1');
  expect(await one("CAST(DATE '2020-12-31' AS STRING FORMAT 'DAY.')")).toBe('THURSDAY.');
  expect(await one("CAST(TIME '01:05:07.16' AS STRING FORMAT 'FF3 FF9')")).toBe('160 160000000');
  expect(await one("CAST(TIME '01:05:07.999999' AS STRING FORMAT 'FF1')")).toBe('9');
});

test('combinations: case matching, literals and "text", NULL and a column', async () => {
  expect(await one(`CAST(DATE '2020-12-31' AS STRING FORMAT 'Day, DD Mon YYYY "(day" DDD")"')`)).toBe('Thursday, 31 Dec 2020 (day 366)');
  expect(await one("CAST(DATE '2020-12-31' AS STRING FORMAT 'dy DAY MOn')")).toBe('thu THURSDAY DEC');
  expect(await one("CAST(DATETIME '2008-12-25 15:30:00' AS STRING FORMAT 'YY/MM/DD HH:MI P.M.')")).toBe('08/12/25 03:30 P.M.');
  expect(await one("CAST(TIMESTAMP '2008-12-25 05:30:00.5+00' AS STRING FORMAT 'YYYY-MM-DD HH24:MI:SS.FF3 TZH:TZM')")).toBe('2008-12-25 05:30:00.500 +00:00');
  expect(await one("CAST(CAST(NULL AS DATE) AS STRING FORMAT 'YYYY')")).toBeNull();
  const [rows] = await client.query("SELECT CAST(d AS STRING FORMAT 'YYYYMMDD') AS s FROM UNNEST([DATE '2024-02-29', DATE '0076-01-30']) AS d WITH OFFSET o ORDER BY o");
  expect(rows).toEqual([{ s: '20240229' }, { s: '00760130' }]);
});

test('a time element of a DATE is an error; a number, a string and AT TIME ZONE stay loud', async () => {
  await expect(one("CAST(DATE '2018-01-30' AS STRING FORMAT 'HH24')")).rejects.toThrow(/DATE does not support 'HH24'/);
  await expect(one("CAST(TIME '01:02:03' AS STRING FORMAT 'YYYY')")).rejects.toThrow(/TIME does not support 'YYYY'/);
  await expect(one("CAST(DATE '2018-01-30' AS STRING FORMAT 'Y,YYY')")).rejects.toThrow(/Unsupported format element/);
  await expect(one("CAST(12.5 AS STRING FORMAT '999.9')")).rejects.toThrow(/not supported by the embedded BigQuery/);
  await expect(one("CAST('2018-01-30' AS STRING FORMAT 'YYYY')")).rejects.toThrow(/not supported by the embedded BigQuery/);
  await expect(one("CAST(TIMESTAMP '2008-12-25 05:30:00+00' AS STRING FORMAT 'TZH' AT TIME ZONE 'Asia/Kolkata')")).rejects.toThrow(/not supported by the embedded BigQuery/);
});
