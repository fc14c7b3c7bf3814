/**
 * Partition sizes of hour and day partitions of a TIMESTAMP column, grouped by arithmetic on the
 * epoch microseconds (bytes-estimate/column-sizes.ts): instants before 1970 and on partition
 * boundaries fall in their own partitions, NULLs in the NULL partition. Sizes by hand: INT64 and
 * TIMESTAMP 8 bytes, NULL 0; `select id ... where ts ...` reads both columns, so each row of a kept
 * partition costs 16 bytes (8 when its ts is NULL).
 */
import { beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'landform-local' };
const engine = memoryEngine();

beforeAll(async () => {
  await engine().createDataset({ datasetReference: { projectId: 'landform-local', datasetId: 'ds' } });
  // Hour partitions, all before 1970: rows 1 and 3 in 1969-06-30 10:00 (row 1 at its last
  // microsecond), row 2 in 11:00, row 4 in the NULL partition.
  await engine().query('create table ds.h (id INT64, ts TIMESTAMP) partition by timestamp_trunc(ts, hour)', opts);
  await engine().query(`insert into ds.h values
    (1, timestamp '1969-06-30 10:59:59.999999+00'), (2, timestamp '1969-06-30 11:00:00+00'), (3, timestamp '1969-06-30 10:00:00+00'), (4, null)`, opts);
  // Day partitions: rows 1 and 2 on 1969-06-30 (row 2 at its last microsecond), row 3 on 1969-07-01, row 4 on 2024-01-03.
  await engine().query('create table ds.d (id INT64, ts TIMESTAMP) partition by date(ts)', opts);
  await engine().query(`insert into ds.d values
    (1, timestamp '1969-06-30 00:00:00+00'), (2, timestamp '1969-06-30 23:59:59.999999+00'), (3, timestamp '1969-07-01 00:00:00+00'), (4, timestamp '2024-01-03 23:59:59.999999+00')`, opts);
}, 60_000);

const processed = async (sql: string) => (await engine().query(sql, opts)).totalBytesProcessed;

describe('partition sizes of hour and day partitions', () => {
  test('hour partitions before 1970, at their boundaries, and the NULL partition', async () => {
    expect(await processed(`select id from ds.h where ts >= timestamp '1969-06-30 11:00:00+00'`)).toBe(16);
    expect(await processed(`select id from ds.h where ts < timestamp '1969-06-30 11:00:00+00'`)).toBe(32);
    expect(await processed(`select id, ts from ds.h where ts between timestamp '1969-06-30 10:30:00+00' and timestamp '1969-06-30 10:40:00+00'`)).toBe(32);
    expect(await processed(`select id from ds.h where ts is null`)).toBe(8);
  });

  test('day partitions before 1970 and after, at a day\'s last microsecond; a write changes only its partition', async () => {
    expect(await processed(`select id from ds.d where ts < timestamp '1969-07-01 00:00:00+00'`)).toBe(32);
    expect(await processed(`select id from ds.d where ts >= timestamp '1969-07-01 00:00:00+00' and ts < timestamp '1970-06-01 00:00:00+00'`)).toBe(16);
    expect(await processed(`select id from ds.d where ts >= timestamp '2024-01-03 12:00:00+00'`)).toBe(16);
    await engine().query(`insert into ds.d values (5, timestamp '2024-01-03 00:00:00+00')`, opts);
    expect(await processed(`select id from ds.d where ts >= timestamp '2024-01-03 12:00:00+00'`)).toBe(32);
    expect(await processed(`select id from ds.d where ts < timestamp '1969-07-01 00:00:00+00'`)).toBe(32);
  });
});
