/**
 * BigQuery's limits in the engine: the DATE/DATETIME/TIMESTAMP range 0001-01-01 .. 9999-12-31
 * (literals, casts, arithmetic, parameters, insertAll, load jobs) and the row sizes of load jobs
 * (100 MB) and insertAll (10 MB). Boundary values are hand-computed microseconds since the epoch.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BigQueryApiError, type QueryOptions, type Row, type TableReference } from '../../../packages/embedded-bigquery/src/engine/types.js';

const P = 'landform-local';
const opts: QueryOptions = { projectId: P, useInt64Timestamp: true };
const values = (rows: Row[]) => rows.map((r) => r.f.map((c) => c.v));
const TS_RANGE = 'TIMESTAMP value is out of allowed range: from 0001-01-01 00:00:00.000000+00 to 9999-12-31 23:59:59.999999+00.';
const DATE_RANGE = 'DATE value is out of allowed range: from 0001-01-01 to 9999-12-31.';
const DATETIME_RANGE = 'DATETIME value is out of allowed range: from 0001-01-01 00:00:00 to 9999-12-31 23:59:59.999999.';
/** 9999-12-31T23:59:59.999999Z and 0001-01-01T00:00:00Z in microseconds (253402300800 s and -62135596800 s from 1970). */
const MAX_US = '253402300799999999';
const MIN_US = '-62135596800000000';

const engine = memoryEngine();
let dir: string;
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'engine-limits-'));
  await engine().createDataset({ datasetReference: { projectId: P, datasetId: 'lim' } });
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
});

async function failure(sql: string, options: QueryOptions = opts): Promise<BigQueryApiError> {
  try {
    const r = await engine().query(sql, options);
    throw new Error(`query ran: ${sql} → ${JSON.stringify(values(r.rows))}`);
  } catch (e) {
    if (!(e instanceof BigQueryApiError)) throw e;
    return e;
  }
}

async function table(): Promise<TableReference> {
  const ref = { projectId: P, datasetId: 'lim', tableId: `t${++n}` };
  await engine().createTable({
    tableReference: ref,
    schema: { fields: [{ name: 'id', type: 'INTEGER' }, { name: 'ts', type: 'TIMESTAMP' }, { name: 'd', type: 'DATE' }, { name: 'dt', type: 'DATETIME' }] },
  });
  return ref;
}

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('DATE, DATETIME and TIMESTAMP range in queries', () => {
  test('the boundary values themselves are accepted', async () => {
    const r = await engine().query("select TIMESTAMP '9999-12-31 23:59:59.999999+00' as hi, TIMESTAMP '0001-01-01 00:00:00+00' as lo, DATE '9999-12-31' as d, DATE '0001-01-01' as d0, DATETIME '9999-12-31 23:59:59.999999' as dt", opts);
    expect(values(r.rows)).toEqual([[MAX_US, MIN_US, '9999-12-31', '0001-01-01', '9999-12-31T23:59:59.999999']]);
  });

  test('literals outside the range are invalid literals', async () => {
    for (const [sql, type] of [["select TIMESTAMP '10000-01-01 00:00:00+00'", 'TIMESTAMP'], ["select DATE '0000-12-31'", 'DATE'], ["select DATETIME '10000-01-01 00:00:00'", 'DATETIME']] as const) {
      const e = await failure(sql);
      expect(e.reason).toBe('invalidQuery');
      expect(e.message).toMatch(new RegExp(`^Invalid ${type} literal`));
    }
  });

  test('casts outside the range fail, SAFE_CAST gives NULL', async () => {
    expect((await failure("select CAST('10000-01-01' AS DATE)")).message).toBe(DATE_RANGE);
    expect((await failure("select CAST('10000-01-01 00:00:00+00' AS TIMESTAMP)")).message).toBe(TS_RANGE);
    expect((await failure("select CAST('10000-01-01 00:00:00' AS DATETIME)")).message).toBe(DATETIME_RANGE);
    const r = await engine().query("select SAFE_CAST('10000-01-01' AS DATE) as a, SAFE_CAST('10000-01-01 00:00:00+00' AS TIMESTAMP) as b, SAFE_CAST('2024-02-29' AS DATE) as c", opts);
    expect(values(r.rows)).toEqual([[null, null, '2024-02-29']]);
  });

  test('arithmetic past either end fails; SAFE. gives NULL', async () => {
    expect((await failure("select TIMESTAMP_ADD(TIMESTAMP '9999-12-31 23:59:59.999999+00', INTERVAL 1 MICROSECOND)")).message).toBe(TS_RANGE);
    expect((await failure("select TIMESTAMP_SUB(TIMESTAMP '0001-01-01 00:00:00+00', INTERVAL 1 MICROSECOND)")).message).toBe(TS_RANGE);
    expect((await failure("select DATE_ADD(DATE '9999-12-31', INTERVAL 1 DAY)")).message).toBe(DATE_RANGE);
    expect((await failure("select DATE_SUB(DATE '0001-01-01', INTERVAL 1 YEAR)")).message).toBe(DATE_RANGE);
    expect((await failure("select DATETIME_ADD(DATETIME '9999-12-31 23:00:00', INTERVAL 2 HOUR)")).message).toBe(DATETIME_RANGE);
    expect((await failure('select TIMESTAMP_SECONDS(253402300800)')).message).toBe(TS_RANGE);
    expect((await failure('select DATE_FROM_UNIX_DATE(2932897)')).message).toBe(DATE_RANGE);
    expect((await failure("select DATE '9999-12-31' + 1")).message).toBe(DATE_RANGE);
    const r = await engine().query("select SAFE.TIMESTAMP_ADD(TIMESTAMP '9999-12-31 23:59:59+00', INTERVAL 1 SECOND) as a, TIMESTAMP_SECONDS(253402300799) as b, DATE_FROM_UNIX_DATE(2932896) as c", opts);
    expect(values(r.rows)).toEqual([[null, '253402300799000000', '9999-12-31']]);
  });

  test('a query parameter outside the range fails', async () => {
    const e = await failure('select @t as t', {
      ...opts,
      parameterMode: 'NAMED',
      queryParameters: [{ name: 't', parameterType: { type: 'TIMESTAMP' }, parameterValue: { value: '10000-01-01 00:00:00+00' } }],
    });
    expect(e.message).toBe(TS_RANGE);
  });

  test('an INSERT of a computed value past the range stores nothing', async () => {
    const ref = await table();
    const e = await failure(`insert into lim.${ref.tableId} (id, ts) values (1, TIMESTAMP_ADD(TIMESTAMP '9999-12-31 23:59:59+00', INTERVAL 1 SECOND))`);
    expect(e.message).toBe(TS_RANGE);
    expect((await engine().readRows(ref, {})).totalRows).toBe(0);
  });
});

describe('stored values stay in range whatever computes them', () => {
  test('INSERT, UPDATE and MERGE with operator arithmetic into a table from tables.insert', async () => {
    const ref = await table();
    const t = `lim.${ref.tableId}`;
    await engine().query(`insert into ${t} (id, ts, d, dt) values (1, TIMESTAMP '9999-12-31 00:00:00+00', DATE '9999-12-31', DATETIME '9999-12-31 00:00:00')`, opts);
    expect((await failure(`insert into ${t} (id, d) select 2, DATE '9999-12-31' + 1`)).message).toBe(DATE_RANGE);
    expect((await failure(`update ${t} set ts = ts + INTERVAL 1 DAY where id = 1`)).message).toBe(TS_RANGE);
    expect((await failure(`update ${t} set dt = dt + INTERVAL 1 DAY where id = 1`)).message).toBe(DATETIME_RANGE);
    expect((await failure(`merge ${t} x using (select 1 as id) s on x.id = s.id when matched then update set d = x.d + 1`)).message).toBe(DATE_RANGE);
    const back = await engine().query(`select id, ts, d, dt from ${t}`, opts);
    expect(values(back.rows)).toEqual([['1', '253402214400000000', '9999-12-31', '9999-12-31T00:00:00']]);
  });

  test('a table from CREATE TABLE with a column list keeps the range too', async () => {
    await engine().query('create table lim.ddl (d DATE, ts TIMESTAMP)', opts);
    expect((await failure("insert into lim.ddl (d) values (DATE '0001-01-01' - 1)")).message).toBe(DATE_RANGE);
    expect((await failure("insert into lim.ddl (ts) values (TIMESTAMP '0001-01-01 00:00:00+00' - INTERVAL 1 SECOND)")).message).toBe(TS_RANGE);
  });
});

describe('tabledata.insertAll', () => {
  test('a row outside the range is rejected by index, the rest stopped or (skipInvalidRows) inserted', async () => {
    const ref = await table();
    const rows = [
      { id: 1, ts: '2024-01-01T00:00:00Z' },
      { id: 2, ts: '10000-01-01T00:00:00Z' },
      { id: 3, d: '10000-01-01' },
      { id: 4, ts: '9999-12-31T23:59:59.999999Z', d: '0001-01-01' },
    ];
    const stopped = await engine().insertRows(ref, rows, {});
    expect(stopped.filter((e) => e.errors[0]!.reason === 'invalid').map((e) => e.index).sort()).toEqual([1, 2]);
    expect(stopped.filter((e) => e.errors[0]!.reason === 'stopped').map((e) => e.index).sort()).toEqual([0, 3]);
    expect((await engine().readRows(ref, {})).totalRows).toBe(0);

    const skipped = await engine().insertRows(ref, rows, { skipInvalidRows: true });
    expect(skipped.map((e) => e.index).sort()).toEqual([1, 2]);
    expect(skipped.find((e) => e.index === 2)!.errors[0]!.message).toBe(DATE_RANGE);
    const back = await engine().query(`select id, ts, d from lim.${ref.tableId} order by id`, opts);
    expect(values(back.rows)).toEqual([['1', '1704067200000000', null], ['4', MAX_US, '0001-01-01']]);
  });

  test('a row over 10 MB is rejected with its size', async () => {
    const ref = { projectId: P, datasetId: 'lim', tableId: `big${++n}` };
    await engine().createTable({ tableReference: ref, schema: { fields: [{ name: 's', type: 'STRING' }] } });
    // {"s":"<10485760 x a>"}: 6 + 10485760 + 2 bytes of JSON
    const errors = await engine().insertRows(ref, [{ s: 'a'.repeat(10 * 1024 * 1024) }, { s: 'small' }], { skipInvalidRows: true });
    expect(errors).toEqual([{ index: 0, errors: [{ reason: 'invalid', message: 'Maximum allowed row size exceeded. Allowed: 10485760 Row size: 10485768', location: '' }] }]);
    expect(values((await engine().readRows(ref, {})).rows)).toEqual([['small']]);
  });
});

describe('load jobs', () => {
  const ndjson = ['{"id": 1, "ts": "2024-01-01T00:00:00Z"}', '{"id": 2, "ts": "10000-01-01T00:00:00Z"}', '{"id": 3, "ts": "9999-12-31T23:59:59.999999Z", "d": "9999-12-31"}', ''].join('\n');

  test('a row outside the range fails the load when no bad record is allowed; nothing lands', async () => {
    const ref = await table();
    const p = file('range.json', ndjson);
    await expect(engine().loadFile(ref, p, { sourceFormat: 'NEWLINE_DELIMITED_JSON' })).rejects.toMatchObject({ reason: 'invalid', message: expect.stringContaining(TS_RANGE) });
    expect((await engine().readRows(ref, {})).totalRows).toBe(0);
  });

  test('with maxBadRecords the row counts as a bad record and the others land', async () => {
    const ref = await table();
    const out = await engine().loadFile(ref, file('range2.json', ndjson), { sourceFormat: 'NEWLINE_DELIMITED_JSON', maxBadRecords: 1 });
    expect(out).toMatchObject({ outputRows: 2, badRecords: 1 });
    const back = await engine().query(`select id, ts, d from lim.${ref.tableId} order by id`, opts);
    expect(values(back.rows)).toEqual([['1', '1704067200000000', null], ['3', MAX_US, '9999-12-31']]);
  });

  test('CSV DATE and DATETIME columns outside the range', async () => {
    const ref = await table();
    const csv = file('range.csv', '1,,2024-05-01,2024-05-01 10:00:00\n2,,10000-01-01,\n3,,,10000-01-01 00:00:00\n');
    await expect(engine().loadFile(ref, csv, { sourceFormat: 'CSV' })).rejects.toMatchObject({ reason: 'invalid' });
    const out = await engine().loadFile(ref, csv, { sourceFormat: 'CSV', maxBadRecords: 2 });
    expect(out).toMatchObject({ outputRows: 1, badRecords: 2 });
    expect(values((await engine().query(`select id, d, dt from lim.${ref.tableId}`, opts)).rows)).toEqual([['1', '2024-05-01', '2024-05-01T10:00:00']]);
  });

  test('a row over 100 MB fails the load with its position, whatever maxBadRecords says', async () => {
    const ref = { projectId: P, datasetId: 'lim', tableId: `big${++n}` };
    await engine().createTable({ tableReference: ref, schema: { fields: [{ name: 's', type: 'STRING' }] } });
    const p = path.join(dir, 'big.json');
    const fd = openSync(p, 'w');
    const first = '{"s": "ok"}\n';
    writeSync(fd, first);
    writeSync(fd, '{"s": "');
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 100; i++) writeSync(fd, chunk);
    writeSync(fd, '"}\n');
    closeSync(fd);
    for (const maxBadRecords of [0, 10]) {
      await expect(engine().loadFile(ref, p, { sourceFormat: 'NEWLINE_DELIMITED_JSON', maxBadRecords })).rejects.toMatchObject({
        reason: 'invalid',
        message: `Error while reading data, error message: JSON parsing error in row starting at position ${first.length}: Row size is larger than: 104857600.`,
      });
    }
    expect((await engine().readRows(ref, {})).totalRows).toBe(0);
  });

  // The row-size scan is skipped only for files that cannot hold an over-size row; a CSV file past
  // the limit is still scanned (maxBadRecords 0, as a loader's load jobs send it).
  test('a CSV row over 100 MB fails the load with its position with maxBadRecords 0', async () => {
    const ref = { projectId: P, datasetId: 'lim', tableId: `big${++n}` };
    await engine().createTable({ tableReference: ref, schema: { fields: [{ name: 'id', type: 'INT64' }, { name: 's', type: 'STRING' }] } });
    const p = path.join(dir, 'big.csv');
    const fd = openSync(p, 'w');
    const first = '1,ok\n2,ok\n';
    writeSync(fd, first);
    writeSync(fd, '3,');
    const chunk = Buffer.alloc(1024 * 1024, 'b');
    for (let i = 0; i < 100; i++) writeSync(fd, chunk);
    writeSync(fd, '\n4,ok\n');
    closeSync(fd);
    await expect(engine().loadFile(ref, p, { sourceFormat: 'CSV' })).rejects.toMatchObject({
      reason: 'invalid',
      message: `Error while reading data, error message: CSV parsing error in row starting at position ${first.length}: Row size is larger than: 104857600.`,
    });
    expect((await engine().readRows(ref, {})).totalRows).toBe(0);
  });
});
