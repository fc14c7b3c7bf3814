import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { readFailedAssertions, readQuarantine } from '../../demo/report-details.js';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';

let bq: TestBigQuery;

beforeAll(async () => {
  bq = await startTestBigQuery();
  const client = bq.bigquery;
  await client.createDataset('landform_raw');
  await client.dataset('landform_raw').table('quarantine').create({
    schema: 'batch_id:STRING,table_name:STRING,reason:STRING,row_json:STRING,quarantined_at:TIMESTAMP',
    timePartitioning: { type: 'DAY', field: 'quarantined_at' },
  });
  // Hand-written: devices has 4 rows for one reason (3 of them in batch b2, this run) and 1 for another.
  await client.query(`insert into landform_raw.quarantine (batch_id, table_name, reason, row_json, quarantined_at) values
    ('b1', 'devices', 'device_id is null', '{"n":1}', timestamp_sub(current_timestamp(), interval 3 hour)),
    ('b2', 'devices', 'device_id is null', '{"n":2}', timestamp_sub(current_timestamp(), interval 2 hour)),
    ('b2', 'devices', 'device_id is null', '{"n":3}', timestamp_sub(current_timestamp(), interval 90 minute)),
    ('b2', 'devices', 'device_id is null', '{"n":4}', timestamp_sub(current_timestamp(), interval 1 hour)),
    ('b1', 'devices', 'metrics is not an object', '{"n":5}', timestamp_sub(current_timestamp(), interval 1 hour))`);
  await client.createDataset('landform_assertions');
  await client.query(`create or replace view landform_assertions.devices_unique as
    select 'd1' as device_id, 2 as copies union all select 'd2', 3`);
});

afterAll(async () => {
  await bq?.stop();
});

describe('report details read from the warehouse', () => {
  test('quarantine: count per table and reason, this run\'s share, the newest three rows as samples', async () => {
    const reasons = await readQuarantine(bq.bigquery, 'landform-local', 'landform_raw', 'US', ['b2']);
    expect(reasons).toEqual([
      { table: 'devices', reason: 'device_id is null', count: 4, thisRun: 3, samples: ['{"n":4}', '{"n":3}', '{"n":2}'] },
      { table: 'devices', reason: 'metrics is not an object', count: 1, thisRun: 0, samples: ['{"n":5}'] },
    ]);
  });

  test('a failed assertion comes with the rows its view returns and its SQL; the table it checks comes from the graph', async () => {
    const [detail] = await readFailedAssertions(bq.bigquery, 'landform-local', 'US', [
      { target: 'landform_assertions.devices_unique', kind: 'assertion', status: 'failed', jobIds: [] },
      { target: 'landform_assertions.other', kind: 'assertion', status: 'succeeded', jobIds: [] },
    ], [{ id: 'landform_curated.cur_devices', kind: 'incremental', dependsOn: [], assertions: ['landform_assertions.devices_unique'] }]);
    expect(detail?.table).toBe('landform_curated.cur_devices');
    expect([...(detail?.rows ?? [])].sort((a, b) => String(a.device_id).localeCompare(String(b.device_id)))).toEqual([
      { device_id: 'd1', copies: '2' }, { device_id: 'd2', copies: '3' },
    ]);
    expect(detail?.sql).toMatch(/select 'd1' as device_id/i);
  });
});
