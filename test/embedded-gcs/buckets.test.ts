/** Bucket lifecycle through the real @google-cloud/storage client: create, get, list, delete, and GCS's errors. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { crc32cBase64 } from './hashes.js';
import { startTestGcs, type TestGcs } from '../support/embedded-gcs.js';

let gcs: TestGcs;
beforeAll(async () => {
  gcs = await startTestGcs();
});
afterAll(async () => {
  await gcs.stop();
});

interface ApiErrorLike {
  code?: number;
  errors?: { reason?: string }[];
}

async function failure(promise: Promise<unknown>): Promise<ApiErrorLike> {
  try {
    await promise;
  } catch (error) {
    return error as ApiErrorLike;
  }
  throw new Error('expected the request to fail');
}

describe('buckets', () => {
  test('the CRC-32C used by these tests gives the published check value for "123456789"', () => {
    // RFC 3720 B.4 / the CRC catalogue: CRC-32C("123456789") = 0xE3069283.
    expect(Buffer.from(crc32cBase64(Buffer.from('123456789')), 'base64').toString('hex')).toBe('e3069283');
  });

  test('create, get, exists, list, delete', async () => {
    const [bucket, response] = await gcs.storage.createBucket('lifecycle-one', { location: 'EU', labels: { team: 'data' } });
    const created = response as Record<string, unknown>;
    expect(created).toMatchObject({ kind: 'storage#bucket', name: 'lifecycle-one', id: 'lifecycle-one', location: 'EU', storageClass: 'STANDARD', labels: { team: 'data' } });
    expect(new Date(String(created.timeCreated)).toISOString()).toBe(created.timeCreated);
    await gcs.storage.createBucket('lifecycle-two');

    const [exists] = await bucket.exists();
    expect(exists).toBe(true);
    const [metadata] = await bucket.getMetadata();
    expect(metadata.name).toBe('lifecycle-one');

    const [buckets] = await gcs.storage.getBuckets({ prefix: 'lifecycle-' });
    expect(buckets.map((b) => b.name).sort()).toEqual(['lifecycle-one', 'lifecycle-two']);

    await bucket.delete();
    const [after] = await bucket.exists();
    expect(after).toBe(false);
    const [remaining] = await gcs.storage.getBuckets({ prefix: 'lifecycle-' });
    expect(remaining.map((b) => b.name)).toEqual(['lifecycle-two']);
  });

  test('bucket names follow GCS rules', async () => {
    for (const name of ['ab', 'Upper-case', '-leading', 'trailing-', 'has space', '../escape', 'a..b', '192.168.0.1', 'goog-bucket', 'my-google-bucket', 'x'.repeat(64)]) {
      const error = await failure(gcs.storage.createBucket(name));
      expect({ name, code: error.code, reason: error.errors?.[0]?.reason }).toEqual({ name, code: 400, reason: 'invalid' });
    }
    // Dots allow longer names, up to 63 characters per component.
    await gcs.storage.createBucket(`${'a'.repeat(63)}.${'b'.repeat(63)}`);
  });

  test('a second create is 409, a missing bucket 404, deleting a non-empty bucket 409', async () => {
    const [bucket] = await gcs.storage.createBucket('conflicts');
    expect((await failure(gcs.storage.createBucket('conflicts'))).code).toBe(409);
    expect((await failure(gcs.storage.bucket('never-made').getMetadata())).code).toBe(404);
    await bucket.file('keep').save('x', { resumable: false });
    const nonEmpty = await failure(bucket.delete());
    expect(nonEmpty.code).toBe(409);
    await bucket.file('keep').delete();
    await bucket.delete();
    expect((await failure(bucket.getMetadata())).code).toBe(404);
  });

  test('paging over buckets', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `paged-${String(i).padStart(2, '0')}`);
    for (const name of names) await gcs.storage.createBucket(name);
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const [buckets, next] = await gcs.storage.getBuckets({ prefix: 'paged-', maxResults: 3, autoPaginate: false, ...(pageToken ? { pageToken } : {}) });
      seen.push(...buckets.map((b) => b.name));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
      pages += 1;
    } while (pageToken);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(names);
  });
});
