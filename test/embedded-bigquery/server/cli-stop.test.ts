/**
 * `landform bigquery` as a real process during a long query: SIGTERM ends it within a bounded time
 * (exit 0), SIGKILL ends it outright; either way, after a restart on the same data directory the
 * job reads back DONE with a retryable backendError, and the killed server's upload directory is
 * swept. Clients get the (generated) token from the metadata endpoint.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { bigQueryClientFor } from '../../support/embedded-bigquery.js';
import { eventually, LONG_QUERY, within } from './long-query.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startCli(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [join(REPO, 'bin/landform.js'), 'bigquery', '--port', '0', '--data', dataDir], {
    cwd: REPO,
    env: { ...process.env, LANDFORM_LOG_LEVEL: 'warn', LANDFORM_BIGQUERY_TOKEN: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
  const url = await new Promise<string>((resolveUrl, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^ready (http:\/\/127\.0\.0\.1:\d+)\n/m.exec(stdout);
      if (match?.[1]) resolveUrl(match[1]);
    });
    void exited.then(({ code }) => reject(new Error(`landform bigquery exited (${code}) before ready:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited };
}

async function startLongJob(url: string, jobId: string): Promise<void> {
  const client = bigQueryClientFor(url);
  const [job] = await client.createQueryJob({ query: LONG_QUERY, jobId, jobTimeoutMs: 60_000 });
  await eventually(async () => ((await job.getMetadata())[0].status as { state?: string }).state === 'RUNNING', `${jobId} runs`);
}

async function statusAfterRestart(url: string, jobId: string): Promise<{ state?: string; errorResult?: { reason?: string; message?: string } }> {
  const [metadata] = await bigQueryClientFor(url).job(jobId).getMetadata();
  return metadata.status as { state?: string; errorResult?: { reason?: string; message?: string } };
}

/** The upload directories in the temp dir owned by `pid`. */
async function uploadDirsOf(pid: number): Promise<string[]> {
  const owned: string[] = [];
  for (const name of await readdir(tmpdir())) {
    if (!name.startsWith('landform-bq-upload-')) continue;
    const owner = await readFile(join(tmpdir(), name, 'owner.pid'), 'utf8').catch(() => '');
    if (Number(owner.trim()) === pid) owned.push(name);
  }
  return owned;
}

describe('landform bigquery stopped during a long query', () => {
  let dataDir: string;
  const running: Running[] = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'landform-bq-cli-stop-'));
  });
  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('SIGTERM exits 0 within 10 s; after a restart the job is DONE with a retryable backendError', async () => {
    const server = await startCli(dataDir);
    running.push(server);
    await startLongJob(server.url, 'cli_sigterm');
    server.child.kill('SIGTERM');
    expect(await within(10_000, 'exit after SIGTERM', server.exited)).toEqual({ code: 0, signal: null });

    const restarted = await startCli(dataDir);
    running.push(restarted);
    const status = await statusAfterRestart(restarted.url, 'cli_sigterm');
    expect(status.state).toBe('DONE');
    expect(status.errorResult?.reason).toBe('backendError');
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
  }, 90_000);

  test('after SIGKILL mid-query, a restart reports the job DONE with backendError and sweeps the dead server\'s upload dir', async () => {
    const server = await startCli(dataDir);
    running.push(server);
    const pid = server.child.pid ?? 0;
    expect(await uploadDirsOf(pid)).toHaveLength(1);
    await startLongJob(server.url, 'cli_sigkill');
    server.child.kill('SIGKILL');
    expect((await server.exited).signal).toBe('SIGKILL');
    expect(await uploadDirsOf(pid)).toHaveLength(1); // nobody removed it

    const restarted = await startCli(dataDir);
    running.push(restarted);
    const status = await statusAfterRestart(restarted.url, 'cli_sigkill');
    expect(status.state).toBe('DONE');
    expect(status.errorResult?.reason).toBe('backendError');
    expect(status.errorResult?.message).toMatch(/stopped \(killed or crashed\) while this job was RUNNING/);
    expect(await uploadDirsOf(pid)).toHaveLength(0);
    // The engine works after the unclean stop.
    const [rows] = await bigQueryClientFor(restarted.url).query('select 6 * 7 as answer');
    expect(rows).toEqual([{ answer: 42 }]);
    restarted.child.kill('SIGTERM');
    expect((await restarted.exited).code).toBe(0);
  }, 90_000);
});
