/**
 * The embedded GCS's in-process handoff (EmbeddedGcs.putFile) and the embedded BigQuery's extract
 * jobs using it when the host passes it as `gcs.putFile`: objects read back through
 * @google-cloud/storage (which checks md5/crc32c as it downloads), hashes computed here with
 * node:crypto and the storage client's own CRC32C, Parquet read back by parquet-wasm + apache-arrow.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CRC32C } from '@google-cloud/storage';
import { tableFromIPC } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { startEmbeddedGcs, type EmbeddedGcs } from '@landform/embedded-gcs';
import { startTestBigQuery, type TestBigQuery } from '../support/embedded-bigquery.js';
import { storageClientFor } from '../support/embedded-gcs.js';
import { pseudoRandomBytes } from './hashes.js';

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
  test('a file becomes an object with GCS hashes, and the source file may go afterwards', async () => {
    const data = pseudoRandomBytes(3 * 1024 * 1024 + 7, 61);
    const file = join(dir, 'local.bin');
    await writeFile(file, data);
    const put = await gcs.putFile('handoff', 'in/local.bin', file);
    const crc = new CRC32C();
    crc.update(data);
    expect(put).toMatchObject({ size: data.length, md5Hash: createHash('md5').update(data).digest('base64'), crc32c: crc.toString() });
    await rm(file);
    const [downloaded] = await storageClientFor(gcs.url).bucket('handoff').file('in/local.bin').download();
    expect(downloaded.equals(data)).toBe(true);
  });

  test('streamed bytes that are not the whole file are refused, and nothing is written', async () => {
    const file = join(dir, 'short.bin');
    await writeFile(file, 'abcdef');
    async function* part(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('abc');
    }
    await expect(gcs.putFile('handoff', 'in/short.bin', file, { bytes: part() })).rejects.toThrow('3 bytes were hashed but the file holds 6');
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
