/** The stage layout, staged files (size and sha256 of the bytes on disk), manifests and markers. */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { batchPaths } from '../../../loader/stage/layout.js';
import { LocalStage } from '../../../loader/stage/local-stage.js';
import { buildManifest, failureMarker, schemaHash, successMarker } from '../../../loader/stage/manifest.js';
import { openStagedFile } from '../../../loader/stage/staged-file.js';
import { GcsStage } from '../../../loader/stage/gcs-stage.js';
import { PartWriter } from '../../../loader/stage/part-writer.js';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
    expect([paths.part(0), paths.part(11)]).toEqual([
      'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f_001.jsonl.gz',
      'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f_012.jsonl.gz',
    ]);
    // Parquet compresses inside the file (no suffix); CSV like NDJSON.
    expect([paths.parquetPart(0), paths.csvPart(1)]).toEqual([
      'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f_001.parquet',
      'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f_002.csv.gz',
    ]);
    expect(paths).toEqual({
      dir: 'prod/landform_raw/telemetry_readings/2026/09/06',
      stem: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f',
      part: expect.any(Function),
      parquetPart: expect.any(Function),
      csvPart: expect.any(Function),
      quarantine: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.quarantine.jsonl.gz',
      manifest: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.manifest.json',
      success: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.SUCCESS',
      failure: 'prod/landform_raw/telemetry_readings/2026/09/06/telemetry_readings_20260906_040302_0a1b2c3d4e5f.FAILURE',
    });
  });
});

test('an uncompressed stage drops the compression suffix', () => {
  const paths = batchPaths({ env: 'local', dataset: 'landform_raw', table: 't', batchId: 'b', at: new Date('2026-01-02T03:04:05Z'), compression: 'none' });
  expect([paths.part(0), paths.quarantine]).toEqual(['local/landform_raw/t/2026/01/02/t_20260102_030405_b_001.jsonl', 'local/landform_raw/t/2026/01/02/t_20260102_030405_b.quarantine.jsonl']);
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

describe('part files', () => {
  test('rows are cut into parts of at most partBytes (a longer row alone), never inside a row, in order', async () => {
    const stage = new LocalStage(dir);
    const rows = ['{"a":1}', '{"a":22}', `{"long":"${'x'.repeat(40)}"}`, '{"a":3}', '{"a":4}', '{"a":5}'].map((r) => `${r}\n`);
    const reported: number[] = [];
    const writer = new PartWriter(stage, (i) => `parts/p_${i}.jsonl.gz`, 'gzip', 20, (part) => reported.push(part.index));
    // Chunks as the splitter emits them: whole rows, several per chunk.
    await pipeline(Readable.from([Buffer.from(rows.slice(0, 4).join('')), Buffer.from(rows.slice(4).join(''))]), writer);
    const parts = await writer.parts();
    const contents = await Promise.all(parts.map(async (p) => gunzipSync(await readFile(path.join(dir, p.path))).toString()));
    expect(contents).toEqual(['{"a":1}\n{"a":22}\n', `{"long":"${'x'.repeat(40)}"}\n`, '{"a":3}\n{"a":4}\n', '{"a":5}\n']);
    expect(parts.map((p) => p.rows)).toEqual([2, 1, 2, 1]);
    expect(reported.sort()).toEqual([0, 1, 2, 3]);
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
      source: { database: 'fleet', schema: 'public', table: 'telemetry_readings' },
      createdAt: '2026-01-01T00:00:00.000Z',
      contract: { version: 1, hash: 'c'.repeat(64), file: 'contracts/tables/telemetry_readings.yaml' },
      schema,
      loadMode: 'append',
      rows: 10,
      rowsQuarantined: 1,
      watermark: { from: null, to: '2026-01-01T00:00:00.000000Z', toKey: '{"reading_id":"10"}' },
      parts: [
        { index: 0, rows: 6, path: 'x/t_b1_001.jsonl.gz', uri: 'file:///s/x/t_b1_001.jsonl.gz', bytes: 100, sha256: 'a'.repeat(64) },
        { index: 1, rows: 4, path: 'x/t_b1_002.jsonl.gz', uri: 'file:///s/x/t_b1_002.jsonl.gz', bytes: 23, sha256: 'd'.repeat(64) },
      ],
      quarantine: { path: 'x/t_b1.quarantine.jsonl.gz', uri: 'file:///s/x/t_b1.quarantine.jsonl.gz', bytes: 45, sha256: 'b'.repeat(64) },
      compression: 'gzip',
    });
    expect(manifest).toMatchObject({
      batch_id: 'b1',
      source: { database: 'fleet', schema: 'public', table: 'telemetry_readings' },
      contract: { version: 1, hash: 'c'.repeat(64) },
      statistics: { row_count: 10, rows_quarantined: 1, byte_size: 123, column_count: 2 },
      watermark: { from: null, to: '2026-01-01T00:00:00.000000Z', to_key: '{"reading_id":"10"}' },
      files: [
        { name: 't_b1_001.jsonl.gz', rows: 6, bytes: 100, sha256: `sha256:${'a'.repeat(64)}` },
        { name: 't_b1_002.jsonl.gz', rows: 4, bytes: 23, sha256: `sha256:${'d'.repeat(64)}` },
      ],
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
