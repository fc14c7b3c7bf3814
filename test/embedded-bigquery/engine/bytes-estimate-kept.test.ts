/**
 * Bytes processed over the partitions a query keeps, right after a write (which drops the cached
 * sizes): the kept partitions of hour and day partitions of a timestamp column are found from the
 * partitioning column's extent alone and only their rows are summed (bytes-estimate/partition-ranges.ts);
 * more than half the rows kept, or an extent of too many partitions to list, takes the grouped
 * scan of the whole table. Either way BigQuery counts whole partitions the filter keeps, not the
 * rows that match.
 *
 * Sizes by hand (column-sizes.ts): INT64 and TIMESTAMP 8, STRING 2 + UTF-8 bytes, JSON the bytes of
 * its text, NULL 0. Rows of ds.t, all columns (id, ts, name, doc):
 *   day 2026-01-01: r1 8+8+(2+1)+7 `{"k":1}` = 26; r2 (at the day's last microsecond) 8+8+(2+2)+0 = 20
 *   day 2026-01-02: r3 (at 00:00) 8+8+(2+3)+5 `[1,2]` = 26; r4 8+8+0+0 = 16
 *   day 2026-01-03: r5 8+8+(2+2 'é')+3 `"x"` = 23; r9 (inserted later) 8+8+(2+2)+8 `{"k":22}` = 28
 *   day 2026-01-04: no rows
 *   day 2026-01-05: r6 8+8+(2+4)+4 `true` = 26; r7 8+8+(2+1)+0 = 19
 *   NULL partition: r8 8+0+(2+2)+2 `{}` = 14
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine, QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
let engine: Engine;

const day = (d: string, time = '00:00:00') => `timestamp '2026-01-${d} ${time}+00'`;

beforeAll(async () => {
  engine = await createEngine({ dataPath: ':memory:' });
  await engine.createDataset({ datasetReference: { projectId: 'landform-local', datasetId: 'ds' } });
  await engine.query('create table ds.t (id INT64, ts TIMESTAMP, name STRING, doc JSON) partition by date(ts)', opts);
  await engine.query(`insert into ds.t values
    (1, ${day('01')}, 'a', json '{"k":1}'), (2, ${day('01', '23:59:59.999999')}, 'bb', null),
    (3, ${day('02')}, 'ccc', json '[1,2]'), (4, ${day('02', '12:00:00')}, null, null),
    (5, ${day('03', '08:00:00')}, 'é', json '"x"'),
    (6, ${day('05', '01:00:00')}, 'dddd', json 'true'), (7, ${day('05', '02:00:00')}, 'e', null),
    (8, null, 'ff', json '{}')`, opts);
  await engine.query('create table ds.h (id INT64, dt DATETIME) partition by datetime_trunc(dt, hour)', opts);
  await engine.query(`insert into ds.h values
    (1, datetime '1969-12-31 23:00:00'), (2, datetime '1970-01-01 00:59:59.999999'), (3, datetime '1970-01-01 01:00:00'), (4, datetime '1970-01-01 03:30:00')`, opts);
}, 60_000);

afterAll(async () => {
  await engine?.close();
});

const processed = async (sql: string) => (await engine.query(sql, opts)).totalBytesProcessed;
const insert9 = () => engine.query(`insert into ds.t values (9, ${day('03', '09:00:00')}, 'gg', json '{"k":22}')`, opts);

describe('kept partitions after a write', () => {
  test('one day, two days apart, two days around a day without rows, a day without rows', async () => {
    // fills the caches before the write, which must drop them
    expect(await processed(`select * from ds.t where ts >= ${day('03')} and ts < ${day('04')}`)).toBe(23);
    await insert9();
    // day 1 only: r2 at its last microsecond is in, r3 at the next day's first is not
    expect(await processed(`select * from ds.t where ts >= ${day('01')} and ts < ${day('02')}`)).toBe(26 + 20);
    // days 1 and 3 (day 2 between them has rows): r1 + r2 + r5 + r9
    expect(await processed(`select * from ds.t where ts in (${day('01', '12:00:00')}, ${day('03')})`)).toBe(46 + 23 + 28);
    // days 3 and 5 (day 4 between them has none): r5 + r9 + r6 + r7
    expect(await processed(`select * from ds.t where ts in (${day('03', '23:00:00')}, ${day('05')})`)).toBe(23 + 28 + 26 + 19);
    // a partition is counted whole: a filter no row of day 2 passes still reads both its rows (name and ts)
    expect(await processed(`select name from ds.t where ts between ${day('02', '20:00:00')} and ${day('02', '21:00:00')}`)).toBe((8 + 5) + 8);
    // day 4 has no rows
    const empty = await engine.query(`select * from ds.t where ts >= ${day('04')} and ts < ${day('05')}`, opts);
    expect(empty.totalBytesProcessed).toBe(0);
    expect(empty.totalBytesBilled).toBe(0);
  });

  test('the NULL partition', async () => {
    await engine.query('delete from ds.t where id = 9', opts);
    expect(await processed('select * from ds.t where ts is null')).toBe(14);
    expect(await processed('select id from ds.t where ts is null')).toBe(8);
    // a condition on the column never keeps the NULL partition: days 3 and 5 only
    expect(await processed(`select * from ds.t where ts > ${day('02', '23:59:59.999999')}`)).toBe(23 + 26 + 19);
  });

  test('a table whose partitioning values are all NULL: the NULL partition alone', async () => {
    await engine.query('create table ds.n (id INT64, ts TIMESTAMP) partition by date(ts)', opts);
    await engine.query('insert into ds.n values (1, null), (2, null)', opts);
    // each row: id 8 + ts 0 (NULL)
    expect(await processed('select * from ds.n where ts is null')).toBe(16);
    expect(await processed(`select * from ds.n where ts >= ${day('01')}`)).toBe(0);
  });

  test('more than half the rows kept (the grouped scan), then fewer from its cache, give the same sums', async () => {
    await insert9();
    // days 2, 3 and 5: 6 of the 9 rows
    expect(await processed(`select * from ds.t where ts >= ${day('02')}`)).toBe(26 + 16 + 23 + 28 + 26 + 19);
    expect(await processed(`select * from ds.t where ts >= ${day('01', '06:00:00')} and ts < ${day('01', '07:00:00')}`)).toBe(46);
    expect(await processed('select * from ds.t where ts is null')).toBe(14);
    await engine.query('delete from ds.t where id = 9', opts);
    expect(await processed(`select * from ds.t where ts in (${day('01', '12:00:00')}, ${day('03')})`)).toBe(46 + 23);
  });

  test('hour partitions of a DATETIME column, across 1970', async () => {
    await engine.query(`insert into ds.h values (5, datetime '1970-01-01 03:00:00'), (6, datetime '1970-01-01 02:00:00')`, opts);
    // 1969-12-31 23:00 only: 16 bytes a row
    expect(await processed(`select * from ds.h where dt < datetime '1970-01-01 00:00:00'`)).toBe(16);
    // hours 00:00 and 01:00, adjacent: rows 2 and 3
    expect(await processed(`select * from ds.h where dt between datetime '1970-01-01 00:30:00' and datetime '1970-01-01 01:10:00'`)).toBe(32);
    // hours 23:00 and 03:00, apart (02:00 between them has a row): rows 1, 4 and 5
    expect(await processed(`select id from ds.h where dt in (datetime '1969-12-31 23:59:00', datetime '1970-01-01 03:00:00')`)).toBe(48);
  });

  test('hour partitions over more years than are listed one by one (the grouped scan)', async () => {
    // 2000-01-01 to 2010-01-01: about 87,700 hour partitions between the first row and the last
    await engine.query('create table ds.far (id INT64, ts TIMESTAMP) partition by timestamp_trunc(ts, hour)', opts);
    await engine.query(`insert into ds.far values (1, timestamp '2000-01-01 00:10:00+00'), (2, timestamp '2005-06-01 12:00:00+00'),
      (3, timestamp '2010-01-01 00:00:00+00'), (4, null)`, opts);
    expect(await processed(`select id from ds.far where ts >= timestamp '2005-06-01 12:59:59+00' and ts < timestamp '2006-01-01 00:00:00+00'`)).toBe(16);
    expect(await processed('select id from ds.far where ts is null')).toBe(8);
  });
});
