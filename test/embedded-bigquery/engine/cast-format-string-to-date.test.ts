/**
 * CAST(string AS DATE FORMAT 'YYYYMMDD') (GoogleSQL "Format elements", format_string_as_datetime:
 * YYYY, MM and DD read the year, month and day; separators as written), as GA4Dataform reads the
 * export's event_date. Parsed where the input has the format's exact widths; everything else loud.
 * Expected values by hand.
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { memoryEngine } from '../support-memory-engine.js';

const opts: QueryOptions = { projectId: 'landform-local' };
const values = async (sql: string) => (await engine.query(sql, opts)).rows.map((r) => r.f.map((c) => c.v));

const engineOf = memoryEngine();
let engine: Engine;

beforeAll(async () => {
  engine = engineOf();
});

describe('CAST(STRING AS DATE FORMAT ...)', () => {
  test('YYYYMMDD, YYYY-MM-DD (any case) and DD.MM.YYYY; NULL is NULL', async () => {
    expect(await values("select cast('20241127' as date format 'YYYYMMDD'), cast('2024-02-29' as date format 'yyyy-mm-dd'), cast('27.11.2024' as date format 'DD.MM.YYYY'), cast(null as date format 'YYYYMMDD')")).toEqual([
      ['2024-11-27', '2024-02-29', '2024-11-27', null],
    ]);
  });

  test('a column of strings', async () => {
    expect(await values("select cast(d as date format 'YYYYMMDD') from unnest(['20240101', '20231231']) as d order by 1")).toEqual([['2023-12-31'], ['2024-01-01']]);
  });

  test('an impossible date fails', async () => {
    await expect(values("select cast('20241341' as date format 'YYYYMMDD')")).rejects.toThrow();
  });

  test('other widths, other formats and SAFE_CAST stay loud', async () => {
    await expect(values("select cast('2024127' as date format 'YYYYMMDD')")).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(values("select cast('24-11-27' as date format 'YY-MM-DD')")).rejects.toThrow(/not supported by the embedded BigQuery/);
    await expect(values("select safe_cast('20241127' as date format 'YYYYMMDD')")).rejects.toThrow(/not supported by the embedded BigQuery/);
  });
});
