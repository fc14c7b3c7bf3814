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
  stdout: () => string;
  stderr: () => string;
}

/** Starts `landform bigquery --port 0 --data <dir>` and waits for its `ready <url>` line. */
async function startCli(dataDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, [join(REPO, 'bin/landform.js'), 'bigquery', '--port', '0', '--data', dataDir, ...args], {
    cwd: REPO,
    env: { ...process.env, LANDFORM_LOG_LEVEL: 'warn', LANDFORM_BIGQUERY_TOKEN: '', ...env },
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
      // Wait for the lines after `ready` too (how to authenticate), which end with this one.
      if (match?.[1] && /export BIGQUERY_EMULATOR_HOST=.*\n/.test(stdout)) resolveUrl(match[1]);
    });
    void exited.then((code) => reject(new Error(`landform bigquery exited (${code}) before ready:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited, stdout: () => stdout, stderr: () => stderr };
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

  test('generates a token by default and prints how to use it; without it requests are refused; --token, the env variable and --no-token choose', async () => {
    const listDatasets = (url: string, token?: string) =>
      fetch(`${url}/bigquery/v2/projects/landform-local/datasets`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } }).then((r) => r.status);

    const generated = await startCli(':memory:');
    running.push(generated);
    const printed = /LANDFORM_BIGQUERY_TOKEN=([A-Za-z0-9_-]{43})\b/.exec(generated.stdout())?.[1];
    expect(printed).toBeDefined();
    expect(await listDatasets(generated.url)).toBe(401);
    expect(await listDatasets(generated.url, printed)).toBe(200);
    expect(generated.stderr()).not.toContain(printed ?? 'no token printed');
    generated.child.kill('SIGTERM');
    expect(await generated.exited).toBe(0);

    const chosen = 'chosen-token-0123456789abcdef';
    for (const [args, env] of [[['--token', chosen], {}], [[], { LANDFORM_BIGQUERY_TOKEN: chosen }]] as const) {
      const server = await startCli(':memory:', [...args], env);
      running.push(server);
      // A token the user chose is not echoed back.
      expect(server.stdout()).not.toContain(chosen);
      expect(await listDatasets(server.url, 'not-the-token-0123456789')).toBe(401);
      expect(await listDatasets(server.url, chosen)).toBe(200);
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }

    const open = await startCli(':memory:', ['--no-token']);
    running.push(open);
    expect(open.stdout()).toMatch(/no token/);
    expect(await listDatasets(open.url)).toBe(200);
    open.child.kill('SIGTERM');
    expect(await open.exited).toBe(0);
  }, 60_000);
});
