/**
 * The embedded GCS's in-process handoff (EmbeddedGcs.putFile) and the embedded BigQuery's extract
 * jobs using it when the host passes it as `gcs.putFile`: objects read back through
 * @google-cloud/storage (which checks md5/crc32c as it downloads), hashes (computed by the server on
 * the first request that reports them) checked against node:crypto, the storage client's own CRC32C,
 * a bit-by-bit CRC-32C and the CRC-32C check value; Parquet read back by parquet-wasm + apache-arrow.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRC32C } from '@google-cloud/storage';
import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { startEmbeddedGcs, type EmbeddedGcs } from '@landform/embedded-gcs';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { storageClientFor } from '../support/embedded-gcs.js';
import { crc32cBase64, md5Base64, pseudoRandomBytes } from './hashes.js';

let dir: string;
let gcs: EmbeddedGcs;
let bq: TestBigQuery;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'landform-put-file-'));
  gcs = await startEmbeddedGcs({ port: 0, dataPath: join(dir, 'gcs') });
  bq = await startTestBigQuery({ gcs: { url: gcs.url, putFile: (o, file, bytes) => gcs.putFile(o.bucket, o.name, file, bytes ? { bytes } : {}) } });
  await storageClientFor(gcs.url).createBucket('handoff');
  await bq.bigquery.createDataset('ds');
});

afterAll(async () => {
  await bq?.stop();
  await gcs?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('putFile', () => {
  test('a file becomes an object whose metadata carries the GCS hashes, and the source file may go afterwards', async () => {
    const data = pseudoRandomBytes(3 * 1024 * 1024 + 7, 61);
    const file = join(dir, 'local.bin');
    await writeFile(file, data);
    const put = await gcs.putFile('handoff', 'in/local.bin', file);
    expect(put).toEqual({ generation: expect.stringMatching(/^\d+$/), size: data.length });
    await rm(file);
    const crc = new CRC32C();
    crc.update(data);
    const [metadata] = await storageClientFor(gcs.url).bucket('handoff').file('in/local.bin').getMetadata();
    expect(metadata).toMatchObject({ size: String(data.length), md5Hash: createHash('md5').update(data).digest('base64'), crc32c: crc.toString(), metageneration: '1', generation: put.generation });
    const [downloaded] = await storageClientFor(gcs.url).bucket('handoff').file('in/local.bin').download();
    expect(downloaded.equals(data)).toBe(true);
  });

  test("CRC-32C's check value: crc32c('123456789') is 0xE3069283", async () => {
    const file = join(dir, 'check.txt');
    await writeFile(file, '123456789');
    await gcs.putFile('handoff', 'in/check.txt', file);
    const [metadata] = await storageClientFor(gcs.url).bucket('handoff').file('in/check.txt').getMetadata();
    expect(metadata.crc32c).toBe(Buffer.from([0xe3, 0x06, 0x92, 0x83]).toString('base64'));
    expect(metadata.md5Hash).toBe(Buffer.from('25f9e794323b453885f5181f1b624d0b', 'hex').toString('base64'));
  });

  test("a download as the first request sends x-goog-hash of the bytes, and the client's validation passes", async () => {
    const data = pseudoRandomBytes(2 * 1024 * 1024 + 3, 62);
    const file = join(dir, 'first-download.bin');
    await writeFile(file, data);
    await gcs.putFile('handoff', 'in/first-download.bin', file);
    const response = await fetch(`${gcs.url}/download/storage/v1/b/handoff/o/${encodeURIComponent('in/first-download.bin')}?alt=media`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-goog-hash')).toBe(`crc32c=${crc32cBase64(data)},md5=${md5Base64(data)}`);
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);

    const second = pseudoRandomBytes(1024 * 1024, 63);
    await writeFile(join(dir, 'second.bin'), second);
    await gcs.putFile('handoff', 'in/second.bin', join(dir, 'second.bin'));
    // the client checks crc32c and md5 of the bytes it receives against x-goog-hash
    const [downloaded] = await storageClientFor(gcs.url).bucket('handoff').file('in/second.bin').download({ validation: 'md5' });
    expect(downloaded.equals(second)).toBe(true);
    const [again] = await storageClientFor(gcs.url).bucket('handoff').file('in/second.bin').download({ validation: 'crc32c' });
    expect(again.equals(second)).toBe(true);
  });

  test('a listing, a patch and concurrent requests all report the same hashes', async () => {
    const files = [0, 1, 2].map((i) => pseudoRandomBytes(700_000 + i, 70 + i));
    for (const [i, data] of files.entries()) {
      await writeFile(join(dir, `l${i}.bin`), data);
      await gcs.putFile('handoff', `list/l${i}.bin`, join(dir, `l${i}.bin`));
    }
    const bucket = storageClientFor(gcs.url).bucket('handoff');
    const [listed, [meta0], [bytes0]] = await Promise.all([bucket.getFiles({ prefix: 'list/' }), bucket.file('list/l0.bin').getMetadata(), bucket.file('list/l0.bin').download()]);
    expect(listed[0].map((f) => [f.name, f.metadata.md5Hash, f.metadata.crc32c])).toEqual(files.map((data, i) => [`list/l${i}.bin`, md5Base64(data), crc32cBase64(data)]));
    expect([meta0.md5Hash, meta0.crc32c]).toEqual([md5Base64(files[0]!), crc32cBase64(files[0]!)]);
    expect(bytes0.equals(files[0]!)).toBe(true);

    await writeFile(join(dir, 'patched.bin'), files[1]!);
    await gcs.putFile('handoff', 'list/patched.bin', join(dir, 'patched.bin'));
    const [patched] = await bucket.file('list/patched.bin').setMetadata({ metadata: { k: 'v' } });
    expect(patched).toMatchObject({ metageneration: '2', metadata: { k: 'v' }, md5Hash: md5Base64(files[1]!), crc32c: crc32cBase64(files[1]!) });
  });

  test('the hashes computed on first request are kept in the object record, and an unhashed object is hashed after a restart', async () => {
    const dataPath = join(dir, 'restart');
    const first = await startEmbeddedGcs({ port: 0, dataPath });
    const hashedData = pseudoRandomBytes(300_000, 81);
    const laterData = pseudoRandomBytes(300_001, 82);
    try {
      await storageClientFor(first.url).createBucket('keep');
      await writeFile(join(dir, 'hashed.bin'), hashedData);
      await writeFile(join(dir, 'later.bin'), laterData);
      await first.putFile('keep', 'hashed.bin', join(dir, 'hashed.bin'));
      await first.putFile('keep', 'later.bin', join(dir, 'later.bin'));
      await storageClientFor(first.url).bucket('keep').file('hashed.bin').getMetadata();
    } finally {
      await first.stop();
    }
    // the layout the README documents: one JSON record per object, named by the sha256 of its name
    const record = (name: string): Promise<Record<string, unknown>> =>
      readFile(join(dataPath, 'buckets', 'keep', 'objects', `${createHash('sha256').update(name).digest('hex')}.json`), 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>);
    expect(await record('hashed.bin')).toMatchObject({ md5Hash: md5Base64(hashedData), crc32c: crc32cBase64(hashedData), metageneration: '1' });
    expect((await record('later.bin')).crc32c).toBeUndefined();

    const second = await startEmbeddedGcs({ port: 0, dataPath });
    try {
      const [later] = await storageClientFor(second.url).bucket('keep').file('later.bin').getMetadata();
      expect([later.md5Hash, later.crc32c]).toEqual([md5Base64(laterData), crc32cBase64(laterData)]);
    } finally {
      await second.stop();
    }
  });

  test('in memory too: the hashes come from the bytes the store holds', async () => {
    const memory = await startEmbeddedGcs({ port: 0 });
    try {
      const data = pseudoRandomBytes(123_457, 91);
      await writeFile(join(dir, 'memory.bin'), data);
      await storageClientFor(memory.url).createBucket('mem');
      await memory.putFile('mem', 'm.bin', join(dir, 'memory.bin'));
      const [downloaded] = await storageClientFor(memory.url).bucket('mem').file('m.bin').download();
      expect(downloaded.equals(data)).toBe(true);
      const [metadata] = await storageClientFor(memory.url).bucket('mem').file('m.bin').getMetadata();
      expect([metadata.md5Hash, metadata.crc32c]).toEqual([md5Base64(data), crc32cBase64(data)]);
    } finally {
      await memory.stop();
    }
  });

  test('streamed bytes that are not the whole file are refused, and nothing is written', async () => {
    const file = join(dir, 'short.bin');
    await writeFile(file, 'abcdef');
    async function* part(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('abc');
    }
    await expect(gcs.putFile('handoff', 'in/short.bin', file, { bytes: part() })).rejects.toThrow('3 bytes were streamed but the file holds 6');
    const [exists] = await storageClientFor(gcs.url).bucket('handoff').file('in/short.bin').exists();
    expect(exists).toBe(false);
    await expect(gcs.putFile('no-such-bucket', 'x', file)).rejects.toThrow('The specified bucket does not exist.');
  });

  test('extract jobs hand their files over in process: Parquet and gzip JSON read back whole', async () => {
    await bq.bigquery.query(`create table ds.t as select i as id, concat('n', cast(i as string)) as name from unnest(generate_array(1, 50000)) as i`);
    const [pq] = await bq.bigquery.dataset('ds').table('t').createExtractJob(storageClientFor(gcs.url).bucket('handoff').file('x/t-*.parquet'), { destinationFormat: 'PARQUET', compression: 'SNAPPY' } as never);
    await pq.promise();
    const [json] = await bq.bigquery.dataset('ds').table('t').createExtractJob(storageClientFor(gcs.url).bucket('handoff').file('x/t-*.jsonl.gz'), { destinationFormat: 'NEWLINE_DELIMITED_JSON', compression: 'GZIP' } as never);
    await json.promise();
    const bucket = storageClientFor(gcs.url).bucket('handoff');
    const [files] = await bucket.getFiles({ prefix: 'x/' });
    expect(files.map((f) => f.name).sort()).toEqual(['x/t-000000000000.jsonl.gz', 'x/t-000000000000.parquet']);
    const [bytes] = await bucket.file('x/t-000000000000.parquet').download();
    const table = tableFromIPC(parquet.readParquet(new Uint8Array(bytes)).intoIPCStream());
    const ids = Array.from(table.getChild('id')!.toArray() as ArrayLike<bigint>, Number);
    expect({ rows: table.numRows, sum: ids.reduce((a, b) => a + b, 0) }).toEqual({ rows: 50000, sum: (50000 * 50001) / 2 });
    const { gunzipSync } = await import('node:zlib');
    const lines = gunzipSync((await bucket.file('x/t-000000000000.jsonl.gz').download())[0]).toString('utf8').trim().split('\n');
    expect(lines.length).toBe(50000);
  });
});
