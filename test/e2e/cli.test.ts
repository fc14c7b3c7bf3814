/**
 * The demo commands as a user runs them (`node bin/landform.js ...` in a child process): exit codes,
 * the summary's last line, no secret in the output. The happy path runs in pipeline.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { freePort } from '../../demo/free-port.js';

let home = '';

function landform(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['bin/landform.js', ...args], {
    encoding: 'utf8',
    timeout: 90_000,
    env: { ...process.env, LANDFORM_HOME: home, DATABASE_URL: '', GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'landform-cli-'));
});

afterAll(async () => {
  if (home !== '') await rm(home, { recursive: true, force: true });
});

describe('landform demo commands', () => {
  // Exit 2 since issue 11: an unreachable source is a readiness failure the person fixes, not a failed run.
  test('demo exits 2 when the source cannot be reached, still writes the report, and never prints the password', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = landform(['demo', '--no-tests'], { DATABASE_URL: `postgres://landform:s3cr3t-pw@127.0.0.1:${port}/nowhere` });
    expect(code).toBe(2);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^landform demo: FAILED/);
    expect(stdout).toContain(`nothing accepts connections at 127.0.0.1:${port} (DATABASE_URL postgres://landform:***@127.0.0.1:${port}/nowhere)`);
    expect(lines[lines.length - 1]).toBe(`report: file://${path.join(home, 'report', 'index.html')}`);
    expect(existsSync(path.join(home, 'report', 'index.html'))).toBe(true);
    expect(`${stdout}${stderr}`).not.toContain('s3cr3t-pw');
  });

  test('report prints the last report; reset removes the state', () => {
    expect(landform(['report'])).toMatchObject({ code: 0, stdout: `report: file://${path.join(home, 'report', 'index.html')}\n` });
    const reset = landform(['reset']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toContain(`from ${home}`);
    expect(existsSync(home)).toBe(false);
    const none = landform(['report']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no report at');
  });

  test('bad flags fail with a message, not a stack trace', () => {
    const minutes = landform(['simulate', '--minutes', '-5']);
    expect(minutes.code).toBe(1);
    expect(minutes.stderr).toContain("option '--minutes <n>' argument '-5' is invalid. must be a positive number");
    const size = landform(['demo', '--size', 'huge']);
    expect(size.code).toBe(1);
    expect(size.stderr).toContain('Allowed choices are tiny, small, medium, large');
  });

  test('on a terminal, a malformed DATABASE_URL is one sentence: no JSON, no stack trace, exit 2', () => {
    // `script` gives the command a real terminal, which is what switches the JSON logs off.
    const result = spawnSync('script', ['-eqc', `${process.execPath} bin/landform.js demo --no-tests`, '/dev/null'], {
      encoding: 'utf8', timeout: 90_000,
      env: { ...process.env, LANDFORM_HOME: home, DATABASE_URL: 'notaurl', GOOGLE_CLOUD_PROJECT: '', LANDFORM_LOG_LEVEL: '' },
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('DATABASE_URL is not a URL (expected postgres://user:password@host:port/database)');
    expect(result.stdout).not.toMatch(/"level":|\n\s+at |getaddrinfo/);
  });
});

describe('one run at a time per state dir', () => {
  test('a state held by a live process is refused with exit 2 and its lock left alone; a dead owner\'s lock is taken over', async () => {
    const { spawn } = await import('node:child_process');
    const { readFile, writeFile, mkdir } = await import('node:fs/promises');
    const state = await mkdtemp(path.join(tmpdir(), 'landform-lock-'));
    await mkdir(state, { recursive: true });
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const lock = JSON.stringify({ pid: holder.pid, command: 'demo', startedAt: '2026-12-01T09:07:00.000Z' });
      await writeFile(path.join(state, 'lock'), lock);
      for (const command of [['demo', '--no-tests'], ['simulate'], ['reset'], ['dataform', '--', 'compile']]) {
        const refused = landform(command, { LANDFORM_HOME: state });
        expect({ command, code: refused.code }).toEqual({ command, code: 2 });
        expect(refused.stderr).toMatch(new RegExp(`in use by landform demo \\(pid ${holder.pid}\\) since \\d\\d:07; wait for it or stop it`));
      }
      await expect(readFile(path.join(state, 'lock'), 'utf8')).resolves.toBe(lock);
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    // The holder is gone: its lock is stale, so reset takes it over, says so, and finishes.
    const reset = landform(['reset'], { LANDFORM_HOME: state });
    expect(reset.code).toBe(0);
    expect(reset.stderr).toContain(`took over the lock of landform demo (pid ${holder.pid}), which is no longer running`);
    expect(existsSync(state)).toBe(false);
  });
});

describe('landform dataform', () => {
  test('runs the project\'s Dataform CLI against a fresh embedded BigQuery with credentials and variables set', async () => {
    const state = await mkdtemp(path.join(tmpdir(), 'landform-dataform-cli-'));
    try {
      // Unit tests need no landed data, only a reachable warehouse: the whole setup is what is tested.
      const result = landform(['dataform', '--', 'test'], { LANDFORM_HOME: state, FORCE_COLOR: '0', NO_COLOR: '1' });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('landform dataform: embedded BigQuery http://127.0.0.1:') });
      expect(result.stdout).toMatch(/^mart_device_health_daily_test: passed$/m);
      expect(result.stdout).not.toMatch(/: failed$/m);
      expect(existsSync(path.join(state, 'lock'))).toBe(false);
    } finally {
      await rm(state, { recursive: true, force: true });
    }
  });
});
