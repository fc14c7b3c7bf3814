/** The stage layout, staged files (size and sha256 of the bytes on disk), manifests and markers. */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { batchPaths } from '../../../src/loader/stage/layout.js';
import { LocalStage } from '../../../src/loader/stage/local-stage.js';
import { buildManifest, failureMarker, schemaHash, successMarker } from '../../../src/loader/stage/manifest.js';
import { openStagedFile } from '../../../src/loader/stage/staged-file.js';
import { GcsStage } from '../../../src/loader/stage/gcs-stage.js';
import type { Storage } from '@google-cloud/storage';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'landform-stage-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('layout', () => {
  test('{env}/{dataset}/{table}/{yyyy}/{MM}/{dd}/{table}_{yyyymmdd}_{HHMMSS}_{batch}.{format}.{compression}', () => {
    const paths = batchPaths({ env: 'prod', dataset: 'landform_raw', table: 'telemetry_readings', batchId: '0a1b2c3d4e5f', at: new Date('2026-09-06T04:03:02.999Z') });
    expect(paths).toEqual({
      dir: 'prod/landform_raw/telemetry_readings/2026/09/06',
      stem: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f',
      data: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.jsonl.gz',
      quarantine: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.quarantine.jsonl.gz',
      manifest: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.manifest.json',
      success: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.SUCCESS',
      failure: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.FAILURE',
    });
  });
});

test('an uncompressed stage drops the compression suffix', () => {
  const paths = batchPaths({ env: 'local', dataset: 'landform_raw', table: 't', batchId: 'b', at: new Date('2026-01-02T03:04:05Z'), compression: 'none' });
  expect([paths.data, paths.quarantine]).toEqual(['local/landform_raw/t/2026/01/02/t_20260102_030405_b.jsonl', 'local/landform_raw/t/2026/01/02/t_20260102_030405_b.quarantine.jsonl']);
});

describe('staged files', () => {
  test('size and sha256 describe the compressed bytes on disk; the content is the NDJSON written', async () => {
    const stage = new LocalStage(dir);
    const file = openStagedFile(stage, 'local/ds/t/2026/01/01/t_x.jsonl.gz');
    file.input.write('{"a":1}\n');
    file.input.end('{"a":2}\n');
    const info = await file.done;
    const bytes = await readFile(path.join(dir, 'local/ds/t/2026/01/01/t_x.jsonl.gz'));
    expect(info.bytes).toBe(bytes.length);
    expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(gunzipSync(bytes).toString()).toBe('{"a":1}\n{"a":2}\n');
    expect(info.uri).toBe(`file://${path.join(dir, 'local/ds/t/2026/01/01/t_x.jsonl.gz')}`);
  });

  test('a local stage refuses paths that leave its directory', () => {
    expect(() => new LocalStage(dir).uri('../elsewhere')).toThrow(/escapes the stage directory/);
  });

  test('a GCS stage addresses gs:// objects and loads them in place (construction only: no bucket offline)', () => {
    const stage = new GcsStage({} as Storage, 'landform-exports');
    expect(stage.uri('prod/landform_raw/t/2026/01/01/t.jsonl.gz')).toBe('gs://landform-exports/prod/landform_raw/t/2026/01/01/t.jsonl.gz');
    expect(stage.loadSource('a/b.jsonl.gz')).toEqual({ kind: 'gcs', bucket: 'landform-exports', name: 'a/b.jsonl.gz' });
  });
});

describe('manifest and markers', () => {
  test('the manifest records rows, bytes, checksums, schema and contract hashes and the watermark range', () => {
    const schema = [
      { name: 'reading_id', type: 'INT64', mode: 'REQUIRED' as const },
      { name: 'metrics', type: 'JSON', mode: 'REQUIRED' as const },
    ];
    const manifest = buildManifest({
      batchId: 'b1',
      table: 'telemetry_readings',
      env: 'local',
      dataset: 'landform_raw',
      source: { schema: 'public', table: 'telemetry_readings' },
      createdAt: '2026-01-01T00:00:00.000Z',
      contract: { version: 1, hash: 'c'.repeat(64), file: 'contracts/tables/telemetry_readings.yaml' },
      schema,
      loadMode: 'append',
      rows: 10,
      rowsQuarantined: 1,
      watermark: { from: null, to: '2026-01-01T00:00:00.000000Z', toKey: '{"reading_id":"10"}' },
      data: { path: 'x/t_b1.jsonl.gz', uri: 'file:///s/x/t_b1.jsonl.gz', bytes: 123, sha256: 'a'.repeat(64) },
      quarantine: { path: 'x/t_b1.quarantine.jsonl.gz', uri: 'file:///s/x/t_b1.quarantine.jsonl.gz', bytes: 45, sha256: 'b'.repeat(64) },
      compression: 'gzip',
    });
    expect(manifest).toMatchObject({
      batch_id: 'b1',
      contract: { version: 1, hash: 'c'.repeat(64) },
      statistics: { row_count: 10, rows_quarantined: 1, byte_size: 123, column_count: 2 },
      watermark: { from: null, to: '2026-01-01T00:00:00.000000Z', to_key: '{"reading_id":"10"}' },
      files: [{ name: 't_b1.jsonl.gz', rows: 10, bytes: 123, sha256: `sha256:${'a'.repeat(64)}` }],
      quarantine_files: [{ name: 't_b1.quarantine.jsonl.gz', rows: 1, bytes: 45 }],
      validation: { schema_hash: `sha256:${schemaHash(schema)}` },
    });
    // The schema hash changes with a type, not with a description.
    expect(schemaHash(schema)).not.toBe(schemaHash([schema[0]!, { ...schema[1]!, type: 'STRING' }]));
    expect(schemaHash(schema)).toBe(schemaHash(schema.map((f) => ({ ...f, description: 'ignored' }))));
  });

  test('markers follow the export spec', () => {
    expect(JSON.parse(successMarker('a/b/t_1.manifest.json', 7, '2026-01-01T00:00:00Z', 'job1'))).toEqual({
      status: 'SUCCESS',
      timestamp: '2026-01-01T00:00:00Z',
      manifest: 't_1.manifest.json',
      row_count: 7,
      bigquery_job_id: 'job1',
    });
    expect(JSON.parse(failureMarker('Quota exceeded', '2026-01-01T00:00:00Z', 3))).toMatchObject({ status: 'FAILURE', error: 'Quota exceeded', retry_count: 2 });
  });
});
