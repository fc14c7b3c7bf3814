/**
 * A window function call with its OVER clause is one operand of `/` and `-` (HTTP Archive's histograms:
 * `volume / SUM(volume) OVER (PARTITION BY client, lens) AS pdf`), on either side. Through the real
 * @google-cloud/bigquery client; expected values by hand (partition a sums to 4, b to 2).
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { BigQuery } from '@google-cloud/bigquery';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

let bq: TestBigQuery;
let client: BigQuery;
beforeAll(async () => {
  bq = await startTestBigQuery();
  client = bq.bigquery;
}, 60_000);
afterAll(async () => {
  await bq?.stop();
});

test('x / SUM(x) OVER (...), SUM(x) OVER w / 2 and 10 - SUM(x) OVER w', async () => {
  const [rows] = await client.query(`SELECT c, v / SUM(v) OVER (PARTITION BY c) AS pdf, SUM(v) OVER w / 2 AS half, 10 - SUM(v) OVER w AS rest
    FROM UNNEST([STRUCT('a' AS c, 1 AS v), ('a', 3), ('b', 2)]) WINDOW w AS (PARTITION BY c) ORDER BY c, v`);
  expect(rows).toEqual([
    { c: 'a', pdf: 0.25, half: 2, rest: 6 },
    { c: 'a', pdf: 0.75, half: 2, rest: 6 },
    { c: 'b', pdf: 1, half: 1, rest: 8 },
  ]);
});
