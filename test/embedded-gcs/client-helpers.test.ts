/**
 * The client's convenience calls that combine the API: bucket.upload from a file, download to a
 * file, move (copy + delete), bucket.deleteFiles with a prefix, file.exists, and the transfer
 * manager's chunked download (parallel ranged reads).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransferManager, type Bucket } from '@google-cloud/storage';
import { md5Base64, pseudoRandomBytes } from './hashes.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
let bucket: Bucket;
let dir: string;
beforeAll(async () => {
  gcs = await startTestGcs();
  [bucket] = await gcs.storage.createBucket('helpers');
  dir = await mkdtemp(join(tmpdir(), 'landform-gcs-helpers-'));
});
afterAll(async () => {
  await gcs.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('client helpers', () => {
  test('upload a local file, download it to another', async () => {
    const data = pseudoRandomBytes(700_000, 51);
    const source = join(dir, 'local.ndjson');
    await writeFile(source, data);
    const [file] = await bucket.upload(source, { destination: 'staged/local.ndjson' });
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({ name: 'staged/local.ndjson', size: String(data.length), md5Hash: md5Base64(data) });
    const target = join(dir, 'downloaded.ndjson');
    await file.download({ destination: target });
    expect((await readFile(target)).equals(data)).toBe(true);
  });

  test('move is a copy then a delete', async () => {
    await bucket.file('failed/attempt.csv').save('a,b\n', { resumable: false });
    await bucket.file('failed/attempt.csv').move('archive/_failed/attempt.csv');
    const [[gone], [moved]] = await Promise.all([bucket.file('failed/attempt.csv').exists(), bucket.file('archive/_failed/attempt.csv').exists()]);
    expect({ gone: !gone, moved }).toEqual({ gone: true, moved: true });
  });

  test('deleteFiles with a prefix removes exactly those objects', async () => {
    for (const name of ['tmp/1', 'tmp/2', 'tmp/3/deep', 'tmpx', 'keep/1']) await bucket.file(name).save(name, { resumable: false });
    await bucket.deleteFiles({ prefix: 'tmp/' });
    const [files] = await bucket.getFiles({ prefix: 't' });
    expect(files.map((f) => f.name)).toEqual(['tmpx']);
  });

  test('the transfer manager downloads a file in parallel chunks', async () => {
    const data = pseudoRandomBytes(5 * 1024 * 1024 + 3, 52);
    await bucket.file('chunked/download.bin').save(data, { resumable: false });
    const manager = new TransferManager(bucket);
    const target = join(dir, 'chunked.bin');
    await manager.downloadFileInChunks('chunked/download.bin', { destination: target, chunkSizeBytes: 1024 * 1024, concurrencyLimit: 3 });
    expect((await readFile(target)).equals(data)).toBe(true);
  });
});
