/**
 * Cross-cloud copies: an export with S3 and Azure destinations lands in GCS, then its files,
 * manifest and SUCCESS marker are copied to a real s3rver and a real Azurite through the real
 * SDKs. Every copy is downloaded here and its sha256 (node:crypto) compared with the manifest's.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { runExtracts, type ExportOutcome } from '../../extracts/index.js';
import { S3Target } from '../../extracts/s3-target.js';
import { AzureTarget } from '../../extracts/azure-target.js';
import { startTestBigQuery, TEST_PROJECT_ID, type TestBigQuery } from '../support/embedded-bigquery.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';
import { startTestAzurite, startTestS3, type TestAzure, type TestS3 } from './copy-servers.js';

const YAML = `name: daily_dr
description: Disaster-recovery copy of a daily table
source:
  table: marts.daily
format: parquet
compression: zstd
destinations:
  - kind: gcs
    bucket: exports-main
  - kind: s3
    bucket: dr-bucket
    prefix: disaster-recovery
  - kind: azure
    container: backup
    prefix: landform
`;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('copies to S3 and Azure', () => {
  let gcs: TestGcs;
  let bq: TestBigQuery;
  let s3: TestS3;
  let azure: TestAzure;
  let dir: string;
  let outcome: ExportOutcome;

  beforeAll(async () => {
    [gcs, s3, azure] = await Promise.all([startTestGcs(), startTestS3(['dr-bucket']), startTestAzurite()]);
    bq = await startTestBigQuery({ gcs: { url: gcs.server.url } });
    await gcs.storage.createBucket('exports-main');
    await azure.service.getContainerClient('backup').create();
    await bq.bigquery.createDataset('landform_raw');
    const [marts] = await bq.bigquery.createDataset('marts');
    const [table] = await marts.createTable('daily', { schema: { fields: [{ name: 'day', type: 'DATE' }, { name: 'n', type: 'INTEGER' }] } });
    await table.insert(Array.from({ length: 50 }, (_, i) => ({ day: '2025-09-16', n: i })));
    dir = await mkdtemp(join(tmpdir(), 'landform-copy-exports-'));
    await writeFile(join(dir, 'daily_dr.yaml'), YAML);
    [outcome] = (await runExtracts({
      bigquery: bq.bigquery,
      storage: gcs.storage,
      projectId: TEST_PROJECT_ID,
      rawDataset: 'landform_raw',
      env: 'prod',
      exportsDir: dir,
      now: new Date('2025-09-16T14:30:22Z'),
      copyTargets: async (d) => (d.kind === 's3' ? new S3Target(s3.client, d.bucket) : new AzureTarget(azure.service.getContainerClient(d.container))),
    })) as [ExportOutcome];
  });
  afterAll(async () => {
    await bq?.stop();
    await Promise.all([gcs?.stop(), s3?.stop(), azure?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the export succeeds and reports one verified copy per destination', () => {
    expect(outcome.status).toBe('SUCCESS');
    expect(outcome.copies?.map((c) => [c.kind, c.objects.length])).toEqual([
      ['s3', 3],
      ['azure', 3],
    ]);
  });

  test('S3 and Azure hold the files, manifest and marker, byte for byte as GCS and the manifest say', async () => {
    const folder = 'prod/marts/daily/2025/09/16';
    const [gcsFiles] = await gcs.storage.bucket('exports-main').getFiles({ prefix: `${folder}/` });
    const names = gcsFiles.map((f) => f.name).sort();
    expect(names.map((n) => n.slice(folder.length + 1).replace(/_143022_[0-9a-f]{8}/, '_143022_ID'))).toEqual(['SUCCESS', 'daily_20250916_143022_ID_000000000000.parquet.zst', 'manifest_20250916_143022_ID.json']);
    const manifestName = names.find((n) => n.includes('/manifest_'))!;
    const manifest = JSON.parse((await gcs.storage.bucket('exports-main').file(manifestName).download())[0].toString('utf8')) as { files: { name: string; checksum: string }[] };

    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: 'dr-bucket', Prefix: 'disaster-recovery/' }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(names.map((n) => `disaster-recovery/${n}`));
    const blobs: string[] = [];
    for await (const blob of azure.service.getContainerClient('backup').listBlobsFlat({ prefix: 'landform/' })) blobs.push(blob.name);
    expect(blobs.sort()).toEqual(names.map((n) => `landform/${n}`));

    for (const name of names) {
      const original = (await gcs.storage.bucket('exports-main').file(name).download())[0];
      const fromS3 = await bytesOf((await s3.client.send(new GetObjectCommand({ Bucket: 'dr-bucket', Key: `disaster-recovery/${name}` }))).Body as Readable);
      const fromAzure = await bytesOf((await azure.service.getContainerClient('backup').getBlobClient(`landform/${name}`).download()).readableStreamBody as Readable);
      expect(sha256(fromS3)).toBe(sha256(original));
      expect(sha256(fromAzure)).toBe(sha256(original));
      const listedInManifest = manifest.files.find((f) => `${folder}/${f.name}` === name);
      if (listedInManifest) expect(listedInManifest.checksum).toBe(`sha256:${sha256(fromS3)}`);
    }
    expect(manifest.files).toHaveLength(1);
  });
});
