/**
 * Size limits and upload temp files: a JSON body or an upload over its limit is refused with a
 * BigQuery-shaped 413 and leaves nothing behind; gzip data that expands past the limit fails its
 * job; an upload cut off by the client leaves no file; directories left by killed servers are
 * swept at start, and only those.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { authHeaders, startTestBigQuery, type TestBigQuery } from '../../support/embedded-bigquery.js';

const KiB = 1024;

async function eventually(check: () => Promise<boolean>, what: string, withinMs = 10_000): Promise<void> {
  const until = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Files in the server's upload directory other than its owner file. */
async function uploads(bq: TestBigQuery): Promise<string[]> {
  return (await readdir(bq.server.server.uploadDir)).filter((name) => name !== 'owner.pid');
}

function ndjson(rows: number, width: number): string {
  let out = '';
  for (let i = 0; i < rows; i++) out += `${JSON.stringify({ id: i, note: 'x'.repeat(width) })}\n`;
  return out;
}

describe('body and upload limits', () => {
  let bq: TestBigQuery;
  let dir: string;
  const schema = { fields: [{ name: 'id', type: 'INT64' }, { name: 'note', type: 'STRING' }] };

  beforeAll(async () => {
    bq = await startTestBigQuery({ maxJsonBodyBytes: 16 * KiB, maxUploadBytes: 64 * KiB });
    dir = await mkdtemp(join(tmpdir(), 'landform-limits-'));
    await bq.bigquery.createDataset('limits_ds');
    await bq.bigquery.dataset('limits_ds').createTable('t', { schema });
  });
  afterAll(async () => {
    await bq?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('an insertAll body over maxJsonBodyBytes is refused with a BigQuery-shaped 413 and inserts nothing', async () => {
    const rows = Array.from({ length: 100 }, (_, id) => ({ id, note: 'y'.repeat(400) })); // ~45 KiB of JSON
    const error = (await bq.bigquery.dataset('limits_ds').table('t').insert(rows).catch((e: unknown) => e)) as { code?: number; errors?: { reason?: string; message?: string }[] };
    expect(error.code).toBe(413);
    expect(error.errors?.[0]?.reason).toBe('invalid');
    expect(error.errors?.[0]?.message).toMatch(/16384 bytes/);
    const [[count]] = (await bq.bigquery.query('select count(*) as n from limits_ds.t')) as [{ n: number }[]];
    expect(count?.n).toBe(0);
  });

  test('a chunked JSON body (no Content-Length) is cut off at the limit too', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: bq.server.port, method: 'POST', path: '/bigquery/v2/projects/landform-local/jobs', headers: { 'Content-Type': 'application/json', ...authHeaders(bq) }, agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const filler = JSON.stringify({ configuration: { query: { query: `select '${'z'.repeat(40 * KiB)}' as big` } } });
      for (let i = 0; i < filler.length; i += 4 * KiB) req.write(filler.slice(i, i + 4 * KiB));
      req.end();
    });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { error: { code: number; status: string } }).error).toMatchObject({ code: 413, status: 'INVALID_ARGUMENT' });
  });

  test('an upload over maxUploadBytes is refused with 413, creates no job and leaves no file', async () => {
    const path = join(dir, 'big.ndjson');
    await writeFile(path, ndjson(400, 300)); // ~128 KiB
    const error = (await bq.bigquery
      .dataset('limits_ds')
      .table('t')
      .load(path, { sourceFormat: 'NEWLINE_DELIMITED_JSON', jobId: 'too_big_upload' })
      .catch((e: unknown) => e)) as { code?: number; message?: string };
    expect(error.code).toBe(413);
    expect(error.message).toMatch(/65536 bytes/);
    const [exists] = await bq.bigquery.job('too_big_upload').exists();
    expect(exists).toBe(false);
    await eventually(async () => (await uploads(bq)).length === 0, 'upload dir empty');
  });

  test('an upload under the limit still loads, and its file is removed once the job is done', async () => {
    const path = join(dir, 'small.ndjson');
    await writeFile(path, ndjson(20, 10));
    const [job] = await bq.bigquery.dataset('limits_ds').table('t').load(path, { sourceFormat: 'NEWLINE_DELIMITED_JSON' });
    expect(job.status?.errorResult).toBeUndefined();
    await eventually(async () => (await uploads(bq)).length === 0, 'upload dir empty');
    await bq.bigquery.query('truncate table limits_ds.t');
  });

  test('gzip data that decompresses past maxUploadBytes fails its job as invalid and leaves no file', async () => {
    const path = join(dir, 'bomb.ndjson.gz');
    const plain = ndjson(2000, 300); // ~620 KiB, compresses to a few KiB
    await writeFile(path, gzipSync(plain));
    expect((await stat(path)).size).toBeLessThan(64 * KiB);
    const error = (await bq.bigquery
      .dataset('limits_ds')
      .table('t')
      .load(path, { sourceFormat: 'NEWLINE_DELIMITED_JSON' })
      .catch((e: unknown) => e)) as { errors?: { reason?: string; message?: string }[] };
    expect(error.errors?.[0]?.reason).toBe('invalid');
    expect(error.errors?.[0]?.message).toMatch(/decompresses to more than .* 65536 bytes/);
    await eventually(async () => (await uploads(bq)).length === 0, 'upload dir empty');
  });

  test('an upload the client cuts off halfway leaves no file behind', async () => {
    const boundary = 'cut-off-boundary';
    const req = http.request({
      host: '127.0.0.1',
      port: bq.server.port,
      method: 'POST',
      path: '/upload/bigquery/v2/projects/landform-local/jobs?uploadType=multipart',
      headers: { 'Content-Type': `multipart/related; boundary=${boundary}`, 'Content-Length': String(60 * KiB), ...authHeaders(bq) },
      agent: false,
    });
    req.on('error', () => undefined); // the reset is the point
    const metadata = JSON.stringify({ configuration: { load: { destinationTable: { projectId: 'landform-local', datasetId: 'limits_ds', tableId: 't' }, sourceFormat: 'NEWLINE_DELIMITED_JSON' } } });
    req.write(`--${boundary}\r\nContent-Type: application/json\r\n\r\n${metadata}\r\n--${boundary}\r\nContent-Type: application/octet-stream\r\n\r\n`);
    req.write(ndjson(50, 300));
    await eventually(async () => (await uploads(bq)).length === 1, 'the upload file appears');
    req.destroy();
    await eventually(async () => (await uploads(bq)).length === 0, 'upload dir empty after the cut');
  });
});

describe('upload directories left by killed servers', () => {
  const made: string[] = [];
  afterAll(async () => {
    for (const path of made) await rm(path, { recursive: true, force: true });
  });

  async function uploadDir(name: string, owner: string | undefined): Promise<string> {
    const path = join(tmpdir(), `landform-bq-upload-${name}-${process.pid}`);
    await mkdir(path, { recursive: true });
    if (owner !== undefined) await writeFile(join(path, 'owner.pid'), owner);
    await writeFile(join(path, 'left-behind.data'), 'x');
    made.push(path);
    return path;
  }

  const exists = (path: string) => stat(path).then(() => true, () => false);

  test('are swept at start when their owner is dead (or they have no owner and are old); a live owner keeps its directory', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = await new Promise<number>((resolve) => dead.on('exit', () => resolve(dead.pid ?? 0)));
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const ofDead = await uploadDir('dead', `${deadPid}\n`);
      const ofLive = await uploadDir('live', `${alive.pid ?? 0}\n`);
      const oldUnowned = await uploadDir('old-unowned', undefined);
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
      await utimes(oldUnowned, twoDaysAgo, twoDaysAgo);
      const newUnowned = await uploadDir('new-unowned', undefined);

      const bq = await startTestBigQuery();
      try {
        expect(await exists(ofDead)).toBe(false);
        expect(await exists(oldUnowned)).toBe(false);
        expect(await exists(ofLive)).toBe(true);
        expect(await exists(newUnowned)).toBe(true);
        // The server's own directory records its owner.
        expect((await readdir(bq.server.server.uploadDir)).includes('owner.pid')).toBe(true);
      } finally {
        await bq.stop();
      }
      expect(await exists(bq.server.server.uploadDir)).toBe(false);
    } finally {
      alive.kill('SIGKILL');
    }
  });
});
