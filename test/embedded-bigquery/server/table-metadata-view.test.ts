/**
 * tables.get's `view` (TableMetadataView): BASIC answers the schema and partitioning without the
 * storage statistics (numRows, numBytes), which the engine would count over the whole table; the
 * default and STORAGE_STATS/FULL include them; another value fails as BigQuery's enum check does.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

let bq: TestBigQuery;

beforeAll(async () => {
  bq = await startTestBigQuery();
  await bq.bigquery.createDataset('view_ds');
  await bq.bigquery.query({
    query: `create table view_ds.t (id int64 not null, at timestamp) partition by date(at);
insert into view_ds.t values (1, timestamp '2026-01-01 00:00:00+00'), (2, timestamp '2026-01-02 00:00:00+00'), (3, null)`,
    location: 'US',
  });
}, 60_000);

afterAll(async () => {
  await bq?.stop();
});

describe('tables.get view', () => {
  test('BASIC leaves the storage statistics out; the default, STORAGE_STATS and FULL count 3 rows', async () => {
    const table = bq.bigquery.dataset('view_ds').table('t');
    const [basic] = await table.getMetadata({ view: 'BASIC' });
    expect(basic.numRows).toBeUndefined();
    expect(basic.numBytes).toBeUndefined();
    expect(basic.schema.fields.map((f: { name: string; mode?: string }) => [f.name, f.mode])).toEqual([
      ['id', 'REQUIRED'],
      ['at', 'NULLABLE'],
    ]);
    expect(basic.timePartitioning).toMatchObject({ type: 'DAY', field: 'at' });
    for (const options of [{}, { view: 'STORAGE_STATS' }, { view: 'FULL' }]) {
      const [full] = await table.getMetadata(options);
      expect(full.numRows).toBe('3');
      expect(Number(full.numBytes)).toBeGreaterThan(0);
    }
  });

  test('an unknown view is an invalid request', async () => {
    const error = await bq.bigquery
      .dataset('view_ds')
      .table('t')
      .getMetadata({ view: 'EVERYTHING' })
      .then(
        () => null,
        (e: unknown) => e as { code?: number; errors?: { reason?: string }[]; message: string },
      );
    expect(error?.code).toBe(400);
    expect(error?.errors?.[0]?.reason).toBe('invalid');
    expect(error?.message).toMatch(/Invalid value at 'view'.*"EVERYTHING"/);
  });
});
