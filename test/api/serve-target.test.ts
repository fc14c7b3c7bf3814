/**
 * `landform serve --demo`'s export trigger (api/serve-target.ts): on embedded defaults the demo's
 * embedded GCS runs beside the embedded BigQuery, as under `npm start`, so the loader behind the
 * trigger stages to gs://landform-stage and its load job reads `gs://` URIs. A real Postgres holds
 * the source rows (written here), the real loader lands them, and the landed rows, the load job's
 * source URIs and the staged objects (read back through @google-cloud/storage) are checked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmbeddedGcs } from '@landform/embedded-gcs';
import { openServeTarget, type ServeTarget } from '../../api/serve-target.js';
import { createSourceTables } from '../../demo/seed.js';
import { readSourceTables } from '../../demo/source-contracts.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { storageClientFor } from '../support/embedded-gcs.js';
import { silentLogger } from './support/api-server.js';

let home = '';
let pg: TestPostgres;
let target: ServeTarget | undefined;

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'landform-serve-target-'));
  pg = await startTestPostgres();
  await createSourceTables(pg.client, await readSourceTables(), { replace: false });
  await pg.client.query(`insert into public.devices (device_id, serial_number, model, site, owner_email, installed_at, updated_at) values
    ('dev-1', 'SN-0001', 'm1', 'north', 'a@example.com', '2026-01-05T10:00:00Z', '2026-02-01T00:00:00Z'),
    ('dev-2', 'SN-0002', 'm1', 'south', null, '2026-01-06T10:00:00Z', '2026-02-01T00:00:01Z'),
    ('dev-3', 'SN-0003', 'm2', 'north', 'c@example.com', '2026-03-07T10:00:00Z', '2026-02-01T00:00:02Z')`);
}, 120_000);

afterAll(async () => {
  await target?.stop();
  await pg?.stop();
  if (home !== '') await rm(home, { recursive: true, force: true });
});

describe('serve --demo export runner', () => {
  test('stages to gs://landform-stage on the embedded GCS and loads from gs:// URIs', async () => {
    target = await openServeTarget({
      demo: true,
      env: { ...process.env, LANDFORM_HOME: home, LANDFORM_EXPORT_ENABLED: 'true', DATABASE_URL: pg.url, GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '', LANDFORM_BUCKET: '' },
      logger: silentLogger,
    });
    expect(target.describe).toMatch(/embedded GCS http:\/\/127\.0\.0\.1:\d+ \(data in .*gcs\)/);
    expect(target.loadRunner).not.toBeNull();
    const results = await target.loadRunner!(['devices']);
    expect(results.map((r) => [r.table, r.status, r.rowsLoaded])).toEqual([['devices', 'succeeded', 3]]);

    const [rows] = await target.bigquery.query({ query: 'select device_id, site from landform_raw.devices order by device_id' });
    expect(rows).toEqual([{ device_id: 'dev-1', site: 'north' }, { device_id: 'dev-2', site: 'south' }, { device_id: 'dev-3', site: 'north' }]);
    const [job] = await target.bigquery.job(results[0]!.loadJobId!).getMetadata();
    const uris = (job as { configuration: { load: { sourceUris: string[] } } }).configuration.load.sourceUris;
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) expect(uri).toMatch(/^gs:\/\/landform-stage\/local\/.*devices/);
    await target.stop();
    target = undefined;

    // the embedded GCS kept its data in the demo's state directory: both buckets, and the staged batch
    const gcs = await startEmbeddedGcs({ port: 0, dataPath: path.join(home, 'gcs') });
    try {
      const storage = storageClientFor(gcs.url);
      const [buckets] = await storage.getBuckets();
      expect(buckets.map((b) => b.name).sort()).toEqual(['landform-exports', 'landform-stage']);
      const [files] = await storage.bucket('landform-stage').getFiles({ prefix: 'local/' });
      expect(files.some((f) => f.name.includes('devices'))).toBe(true);
    } finally {
      await gcs.stop();
    }
  }, 180_000);
});
