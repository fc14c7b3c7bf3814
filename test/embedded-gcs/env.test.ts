/**
 * `env` is all a child process needs: a script that constructs `new Storage()` with no options
 * (so STORAGE_EMULATOR_HOST decides the endpoint: JSON requests at `/b/...`, uploads at
 * `/upload/storage/v1/...`) creates a bucket, makes a resumable and a multipart upload and reads them
 * back, without Google credentials or network.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmbeddedGcs, type EmbeddedGcs } from '@landform/embedded-gcs';
import { crc32cBase64, md5Base64 } from './hashes.js';
import { storageClientFor } from '../support/embedded-gcs.js';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));

let server: EmbeddedGcs;
beforeAll(async () => {
  server = await startEmbeddedGcs({ port: 0 });
});
afterAll(async () => {
  await server.stop();
});

const SCRIPT = `
import { Storage } from '@google-cloud/storage';
const storage = new Storage();
const [bucket] = await storage.createBucket('from-child');
await bucket.file('child/resumable.txt').save('written by a child process');
await bucket.file('child/multipart.txt').save('and a multipart one', { resumable: false });
const [files] = await bucket.getFiles({ prefix: 'child/' });
const [text] = await bucket.file('child/resumable.txt').download();
process.stdout.write(JSON.stringify({ names: files.map((f) => f.name), text: text.toString() }));
`;

test('a child process given only env uses the embedded GCS', async () => {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(GOOGLE_|GCLOUD_|GCE_|STORAGE_EMULATOR|CLOUDSDK_)/.test(key)));
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: REPO, env: { ...inherited, ...server.env } });
  expect(JSON.parse(stdout)).toEqual({ names: ['child/multipart.txt', 'child/resumable.txt'], text: 'written by a child process' });
  const [metadata] = await storageClientFor(server.url).bucket('from-child').file('child/resumable.txt').getMetadata();
  const bytes = Buffer.from('written by a child process');
  expect(metadata).toMatchObject({ size: String(bytes.length), md5Hash: md5Base64(bytes), crc32c: crc32cBase64(bytes) });
});
