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
  test('demo exits 1 when the source cannot be reached, still writes the report, and never prints the password', async () => {
    const port = await freePort();
    const { code, stdout, stderr } = landform(['demo', '--no-tests'], { DATABASE_URL: `postgres://landform:s3cr3t-pw@127.0.0.1:${port}/nowhere` });
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^landform demo: FAILED/);
    expect(stdout).toContain(`Postgres postgres://landform:***@127.0.0.1:${port}/nowhere`);
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
});
