/**
 * With a lookback of 0 the watermark's primary key is what keeps rows that share a cursor value
 * from being skipped across a batch boundary; a backfill re-lands a cursor range, inserting only
 * rows not present, and never moves the incremental watermark.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runLoad, type BatchResult } from '../../loader/index.js';
import { bqRows, rawTelemetryKeys, sourceTelemetryKeys, startLoaderEnv, type LoaderEnv } from './support/loader-env.js';

let env: LoaderEnv;

beforeAll(async () => {
  env = await startLoaderEnv({ editContracts: (file, text) => (file === 'telemetry_readings.yaml' ? text.replace('lookback: 15m', 'lookback: 0s') : text) });
});

afterAll(async () => {
  await env?.stop();
});

const telemetry = async (overrides = {}): Promise<BatchResult> => {
  // Uncompressed staging here (gzip is the default everywhere else).
  const [result] = await runLoad(env.config({ tables: ['telemetry_readings'], compression: 'none', ...overrides }));
  if (!result) throw new Error('no result');
  return result;
};
const insert = (id: number, ingestedAt: string) =>
  env.db.client.query(`insert into telemetry_readings values ($1, 'dev', '2026-05-01T00:00:00Z', '{"engine_rpm": 1500}', $2)`, [id, ingestedAt]);

const T1 = '2026-05-01T08:00:00Z';

describe('rows sharing a cursor value across a batch boundary (lookback 0)', () => {
  test('a row committed later with the same cursor value and a larger key lands once; nothing is re-read', async () => {
    await insert(1, T1);
    await insert(2, T1);
    expect(await telemetry()).toMatchObject({ status: 'succeeded', rowsExtracted: 2, rowsLoaded: 2, watermarkTo: '2026-05-01T08:00:00.000000Z' });

    await insert(3, T1);
    // (cursor, key) > (08:00, 2): exactly row 3, nothing re-read.
    expect(await telemetry()).toMatchObject({ status: 'succeeded', rowsExtracted: 1, rowsLoaded: 1, rowsSkippedDuplicate: 0 });

    await insert(4, '2026-05-01T08:00:00.000001Z');
    expect(await telemetry()).toMatchObject({ rowsExtracted: 1, rowsLoaded: 1, watermarkTo: '2026-05-01T08:00:00.000001Z' });
    expect(await telemetry()).toMatchObject({ status: 'empty', rowsExtracted: 0 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });
});

describe('backfill', () => {
  test('re-lands only missing rows of the range and leaves the watermark alone', async () => {
    // Committed late with an old cursor: without lookback the incremental window never sees it.
    await insert(5, '2026-05-01T07:00:00Z');
    expect(await telemetry()).toMatchObject({ status: 'empty' });
    expect(await rawTelemetryKeys(env.bigquery)).not.toEqual(await sourceTelemetryKeys(env.db));

    const backfill = await telemetry({ backfill: { from: '2026-05-01T06:00:00Z', to: '2026-05-01T09:00:00Z' } });
    expect(backfill).toMatchObject({ status: 'succeeded', rowsExtracted: 5, rowsLoaded: 1, rowsSkippedDuplicate: 4, watermarkFrom: '2026-05-01T06:00:00Z', watermarkTo: '2026-05-01T09:00:00Z' });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
    const lineage = await bqRows<{ key: string | null }>(env.bigquery, `select watermark_to_key as key from landform_raw.export_batches where batch_id = '${backfill.batchId}'`);
    expect(lineage).toEqual([{ key: null }]);

    // The incremental watermark is still (08:00:00.000001, 4).
    await insert(6, '2026-05-01T10:00:00Z');
    expect(await telemetry()).toMatchObject({ status: 'succeeded', watermarkFrom: '2026-05-01T08:00:00.000001Z', rowsExtracted: 1, rowsLoaded: 1 });
    expect(await rawTelemetryKeys(env.bigquery)).toEqual(await sourceTelemetryKeys(env.db));
  });
});
