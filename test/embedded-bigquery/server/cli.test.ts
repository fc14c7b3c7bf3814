import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Starts `landform bigquery --port 0 --data <dir>` and waits for its `ready <url>` line. */
async function startCli(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [join(REPO, 'bin/landform.js'), 'bigquery', '--port', '0', '--data', dataDir], {
    cwd: REPO,
    env: { ...process.env, LANDFORM_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^ready (http:\/\/127\.0\.0\.1:\d+)\n/m.exec(stdout);
      if (match?.[1]) resolveUrl(match[1]);
    });
    void exited.then((code) => reject(new Error(`landform bigquery exited (${code}) before ready:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited, stderr: () => stderr };
}

describe('landform bigquery (CLI)', () => {
  let dataDir: string;
  const running: Running[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'landform-bq-cli-'));
  });
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('prints ready, serves queries, stops on SIGTERM with code 0, and keeps tables across restarts', async () => {
    const first = await startCli(dataDir);
    running.push(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const client = bigQueryClientFor(first.url);
    await client.createDataset('cli_ds');
    await client.query('create table cli_ds.kept as select 1 as id, "persisted" as note');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startCli(dataDir);
    running.push(second);
    const [rows] = await bigQueryClientFor(second.url).query('select id, note from cli_ds.kept');
    expect(rows).toEqual([{ id: 1, note: 'persisted' }]);

    // A separate process configured only by the environment variables the server documents:
    // BIGQUERY_EMULATOR_HOST for the API, the metadata server for the token.
    const { embeddedBigQueryEnv } = await import('@landform/embedded-bigquery');
    const port = Number(new URL(second.url).port);
    // --input-type=module -e resolves bare imports from the cwd (the repo), so the real client is found.
    const script = `import { BigQuery } from '@google-cloud/bigquery';
const [rows] = await new BigQuery().query('select note from cli_ds.kept');
process.stdout.write(JSON.stringify(rows));`;
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: dataDir, ...embeddedBigQueryEnv('127.0.0.1', port, 'landform-local') };
    const output = await new Promise<{ code: number | null; out: string; err: string }>((resolveRun) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('exit', (code) => resolveRun({ code, out, err }));
    });
    expect(output.err).toBe('');
    expect(output.code).toBe(0);
    expect(JSON.parse(output.out)).toEqual([{ note: 'persisted' }]);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
