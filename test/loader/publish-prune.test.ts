/**
 * The publish step's anti-join narrowed to the batch: raw rows are read only in the staged batch's
 * partition range and cursor range (a raw row can match a staged one only with an equal cursor),
 * and the counts come from the script itself (@@row_count of its INSERT, then the committed
 * export_batches row). Against the embedded BigQuery through the real client; the expected rows
 * and counts are worked out by hand from the fixture below.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { pino } from 'pino';
import { loadContracts, type LoadedContract, type TableContract } from '../../contracts/schema/index.js';
import { startBatchRecord } from '../../loader/lineage/export-batches.js';
import type { BigQueryTarget } from '../../loader/publish/bigquery-target.js';
import { createStagingTable, stagingTableName } from '../../loader/publish/load-stage.js';
import { publishBatch, publishScript } from '../../loader/publish/publish-batch.js';
import { ensureRawTables } from '../../loader/publish/raw-layer.js';
import { stagingTableOptions } from '../../loader/publish/raw-schema.js';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';

let bq: TestBigQuery;
let target: BigQueryTarget;
let telemetry: LoadedContract<TableContract>;

const DATASET = 'prune_raw';

async function rows<T>(query: string): Promise<T[]> {
  const [result] = await bq.bigquery.query({ query, location: 'US' });
  return result as T[];
}

beforeAll(async () => {
  bq = await startTestBigQuery({ logger: pino({ level: 'silent' }) });
  target = { bigquery: bq.bigquery, projectId: 'landform-local', dataset: DATASET, location: 'US' };
  const set = await loadContracts();
  const found = set.tables.find((t) => t.contract.name === 'telemetry_readings');
  if (!found) throw new Error('no telemetry_readings contract');
  telemetry = found;
  await ensureRawTables(target, [telemetry.contract]);
  // Landed earlier: keys 1..5, each with its cursor (ingested_at) two seconds after its reading.
  await rows(`insert into ${DATASET}.telemetry_readings (reading_id, device_id, ts, metrics, ingested_at, _batch_id, _extracted_at, _contract_hash) values
    (1, 'd', timestamp '2026-01-01 10:00:00+00', json '{}', timestamp '2026-01-01 10:00:02+00', 'old', timestamp '2026-01-01 11:00:00+00', 'h'),
    (2, 'd', timestamp '2026-01-01 10:01:00+00', json '{}', timestamp '2026-01-01 10:01:02+00', 'old', timestamp '2026-01-01 11:00:00+00', 'h'),
    (3, 'd', timestamp '2026-01-01 10:02:00+00', json '{}', timestamp '2026-01-01 10:02:02+00', 'old', timestamp '2026-01-01 11:00:00+00', 'h'),
    (4, 'd', timestamp '2026-01-01 10:03:00+00', json '{}', timestamp '2026-01-01 10:03:02+00', 'old', timestamp '2026-01-01 11:00:00+00', 'h'),
    (5, 'd', timestamp '2026-01-01 10:04:00+00', json '{}', timestamp '2026-01-01 10:04:02+00', 'old', timestamp '2026-01-01 11:00:00+00', 'h')`);
}, 60_000);

afterAll(async () => {
  await bq?.stop();
});

describe('publish anti-join over the batch partitions and cursor range', () => {
  test('skips exactly the staged rows already landed with the same key and cursor, counts them in the script, and a re-run changes nothing', async () => {
    const { contract, hash } = telemetry;
    const batchId = 'prunebatch01';
    const staging = stagingTableName(contract.name, batchId);
    await createStagingTable(target, staging, stagingTableOptions(contract));
    // Staged: 2 and 5 exactly as landed (the smallest and the largest staged cursor: the range's
    // bounds are inclusive), 3 again with a later cursor (a new version), 4 as landed (inside the
    // range), 9 new. Key 1's landed cursor is outside the staged range and nothing stages it.
    await rows(`insert into ${DATASET}.${staging} (reading_id, device_id, ts, metrics, ingested_at) values
      (2, 'd', timestamp '2026-01-01 10:01:00+00', json '{}', timestamp '2026-01-01 10:01:02+00'),
      (3, 'd', timestamp '2026-01-01 10:02:00+00', json '{"v": 2}', timestamp '2026-01-01 10:03:30+00'),
      (4, 'd', timestamp '2026-01-01 10:03:00+00', json '{}', timestamp '2026-01-01 10:03:02+00'),
      (5, 'd', timestamp '2026-01-01 10:04:00+00', json '{}', timestamp '2026-01-01 10:04:02+00'),
      (9, 'd', timestamp '2026-01-01 10:02:30+00', json '{}', timestamp '2026-01-01 10:02:40+00')`);
    const record = { ...startBatchRecord({ batchId, table: contract.name, contractVersion: contract.version, contractHash: hash, startedAt: new Date('2026-01-01T11:05:00Z'), stageUri: 'file:///m.json' }), rowsExtracted: 5 };
    record.watermarkFrom = '2026-01-01T10:04:02.000000Z';
    record.watermarkTo = '2026-01-01T10:04:02.000000Z';
    record.watermarkToKey = '{"reading_id":"5"}';
    const input = { contract, contractHash: hash, record, stagingTable: staging, quarantineStagingTable: null, extractedAt: '2026-01-01T11:05:00.000000Z' };

    const sql = publishScript(target, input);
    expect(sql).toContain('`ingested_at` between _landform_cursor_lo and _landform_cursor_hi');
    expect(sql).toContain('`ts` between _landform_partition_lo and _landform_partition_hi');

    const first = await publishBatch(target, input);
    expect(first).toMatchObject({ rowsLoaded: 2, rowsSkippedDuplicate: 3 });
    const landed = () =>
      rows<{ id: number; cursor: string; batch: string }>(
        `select reading_id as id, format_timestamp('%H:%M:%S', ingested_at) as cursor, _batch_id as batch from ${DATASET}.telemetry_readings where ts >= timestamp '1970-01-01' order by id, cursor`,
      );
    const expected = [
      { id: 1, cursor: '10:00:02', batch: 'old' },
      { id: 2, cursor: '10:01:02', batch: 'old' },
      { id: 3, cursor: '10:02:02', batch: 'old' },
      { id: 3, cursor: '10:03:30', batch: batchId },
      { id: 4, cursor: '10:03:02', batch: 'old' },
      { id: 5, cursor: '10:04:02', batch: 'old' },
      { id: 9, cursor: '10:02:40', batch: batchId },
    ];
    expect(await landed()).toEqual(expected);

    // The same publish again, as after a response lost on the way back: nothing new lands, and the
    // counts returned are the committed ones, not those of the second (empty) INSERT.
    const again = await publishBatch(target, input);
    expect(again).toMatchObject({ rowsLoaded: 2, rowsSkippedDuplicate: 3 });
    expect(await landed()).toEqual(expected);
    const lineage = await rows<{ n: number; loaded: number; skipped: number }>(
      `select count(*) as n, max(rows_loaded) as loaded, max(rows_skipped_duplicate) as skipped from ${DATASET}.export_batches where batch_id = '${batchId}'`,
    );
    expect(lineage).toEqual([{ n: 1, loaded: 2, skipped: 3 }]);
  }, 60_000);
});
