/**
 * INTERVAL literals with a STRING (data-types#construct_interval): every documented `X TO Y` example of the
 * page ('2-11 28 16:15:14' YEAR TO SECOND down to '15:14' MINUTE TO SECOND, '8 -20 17' MONTH TO HOUR),
 * the single-part forms ('1' YEAR, '-10000' MINUTE, '6.789' SECOND), signs per group, the malformed and
 * the invalid part pairs as ZetaSQL's IntervalValue words them, nanoseconds loud; and JUSTIFY_DAYS /
 * JUSTIFY_HOURS / JUSTIFY_INTERVAL where the parts keep different signs (ZetaSQL's interval_value.cc,
 * worked by hand: 14 months -35 days is 13 months -5 days, then 12 months 25 days).
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);

describe('INTERVAL with a STRING', () => {
  test('the page’s range examples, in canonical text', async () => {
    const cases: [string, string][] = [
      ["'2-11' YEAR TO MONTH", '2-11 0 0:0:0'],
      ["'2-11 28' YEAR TO DAY", '2-11 28 0:0:0'],
      ["'2-11 28 16' YEAR TO HOUR", '2-11 28 16:0:0'],
      ["'2-11 28 16:15' YEAR TO MINUTE", '2-11 28 16:15:0'],
      ["'2-11 28 16:15:14' YEAR TO SECOND", '2-11 28 16:15:14'],
      ["'11 28' MONTH TO DAY", '0-11 28 0:0:0'],
      ["'11 28 16' MONTH TO HOUR", '0-11 28 16:0:0'],
      ["'11 28 16:15' MONTH TO MINUTE", '0-11 28 16:15:0'],
      ["'11 28 16:15:14' MONTH TO SECOND", '0-11 28 16:15:14'],
      ["'28 16' DAY TO HOUR", '0-0 28 16:0:0'],
      ["'28 16:15' DAY TO MINUTE", '0-0 28 16:15:0'],
      ["'28 16:15:14' DAY TO SECOND", '0-0 28 16:15:14'],
      ["'16:15' HOUR TO MINUTE", '0-0 0 16:15:0'],
      ["'16:15:14' HOUR TO SECOND", '0-0 0 16:15:14'],
      ["'15:14' MINUTE TO SECOND", '0-0 0 0:15:14'],
      ["'8 20 17' MONTH TO HOUR", '0-8 20 17:0:0'],
      ["'8 -20 17' MONTH TO HOUR", '0-8 -20 17:0:0'],
    ];
    expect(await values(`SELECT ${cases.map(([lit]) => `CAST(INTERVAL ${lit} AS STRING)`).join(', ')}`)).toEqual(cases.map(([, v]) => v));
  });

  test('one sign per group, months over 12 carried into years, fractions of a second, single parts', async () => {
    expect(await values("SELECT CAST(INTERVAL '-1-2 -3 -4:5:6.789' YEAR TO SECOND AS STRING), CAST(INTERVAL '-20 30' MONTH TO DAY AS STRING), CAST(INTERVAL '+1-14 +2 +0:90:0' YEAR TO SECOND AS STRING)"))
      .toEqual(['-1-2 -3 -4:5:6.789', '-1-8 30 0:0:0', '2-2 2 1:30:0']);
    expect(await values("SELECT CAST(INTERVAL '1' YEAR AS STRING), CAST(INTERVAL '-10000' MINUTE AS STRING), CAST(INTERVAL '6.789' SECOND AS STRING), CAST(INTERVAL '-.5' SECOND AS STRING), CAST(INTERVAL '2' QUARTER AS STRING), CAST(INTERVAL '2' WEEK AS STRING)"))
      .toEqual(['1-0 0 0:0:0', '0-0 0 -166:40:0', '0-0 0 0:0:6.789', '0-0 0 -0:0:0.5', '0-6 0 0:0:0', '0-0 14 0:0:0']);
  });

  test('a STRING single part works with arithmetic (it was a STRING operand)', async () => {
    expect(await values("SELECT CAST(INTERVAL '1' MONTH * 20 AS STRING), CAST(DATE '2010-10-10' + INTERVAL '10 20:20:20' DAY TO SECOND AS STRING)")).toEqual(['1-8 0 0:0:0', '2010-10-20 20:20:20']);
  });

  test('INTERVAL <expression> <part>: the expression runs up to the part (10 * n + 5 DAY)', async () => {
    const { rows } = await engine().query('SELECT CAST(INTERVAL n YEAR AS STRING), CAST(INTERVAL 10 * n + 5 DAY AS STRING), CAST(INTERVAL 10001 * n SECOND AS STRING) FROM UNNEST([1, -2]) n ORDER BY n', opts);
    // -2 years; 10 * -2 + 5 = -15 days; 10001 * -2 = -20002 s = -5:33:22; then n = 1: 15 days, 10001 s = 2:46:41
    expect(rows.map((r) => r.f.map((c) => c.v))).toEqual([['-2-0 0 0:0:0', '0-0 -15 0:0:0', '0-0 0 -5:33:22'], ['1-0 0 0:0:0', '0-0 15 0:0:0', '0-0 0 2:46:41']]);
  });

  test('malformed text and part pairs fail as ZetaSQL says; nanoseconds stay loud', async () => {
    expect(await failure("SELECT INTERVAL '1:2' YEAR TO MONTH")).toMatch(/Invalid INTERVAL value '1:2'/);
    expect(await failure("SELECT INTERVAL ' 1' YEAR")).toMatch(/Invalid INTERVAL value ' 1'/);
    expect(await failure("SELECT INTERVAL '1 2' DAY TO DAY")).toMatch(/Invalid interval datetime fields: DAY TO DAY/);
    expect(await failure("SELECT INTERVAL '1 2' HOUR TO DAY")).toMatch(/Invalid interval datetime fields: HOUR TO DAY/);
    expect(await failure("SELECT INTERVAL '0.000000001' SECOND")).toMatch(/not supported by the embedded BigQuery/);
  });
});

describe('JUSTIFY_* make the parts’ signs agree', () => {
  test('as ZetaSQL’s JustifyDays, JustifyHours and JustifyInterval', async () => {
    expect(await values(`SELECT CAST(JUSTIFY_DAYS(INTERVAL '1-2 -35 -48:5:6.789' YEAR TO SECOND) AS STRING), CAST(JUSTIFY_DAYS(INTERVAL '1-2 35 48:5:6.789' YEAR TO SECOND) AS STRING),
      CAST(JUSTIFY_HOURS(INTERVAL '0-0 2 -1:0:0' YEAR TO SECOND) AS STRING), CAST(JUSTIFY_HOURS(INTERVAL '1-2 3 -100:0:0' YEAR TO SECOND) AS STRING),
      CAST(JUSTIFY_INTERVAL(INTERVAL '1-0 -1 -1:0:0' YEAR TO SECOND) AS STRING), CAST(JUSTIFY_INTERVAL(INTERVAL '-29 0:0:1' DAY TO SECOND) AS STRING)`))
      .toEqual(['1-0 25 -48:5:6.789', '1-3 5 48:5:6.789', '0-0 1 23:0:0', '1-2 -1 -4:0:0', '0-11 28 23:0:0', '0-0 -28 -23:59:59']);
  });
});
