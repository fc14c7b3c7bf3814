/** `landform cost` as a person runs it: on a state directory with no demo data, and with a bad option, one sentence and an exit code. */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';

let home = '';

function landform(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, LANDFORM_HOME: home, GOOGLE_CLOUD_PROJECT: '', BIGQUERY_EMULATOR_HOST: '', LANDFORM_LOG_LEVEL: 'warn' };
  const result = spawnSync(process.execPath, ['bin/landform.js', 'cost', ...args], { encoding: 'utf8', timeout: 90_000, env });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'landform-cost-cli-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('landform cost', () => {
  test('without demo data it says what to run, exit 1, and prints no estimate', () => {
    const r = landform([]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`landform cost: no demo data in ${path.join(home, 'bigquery')}: run \`npm start\` first, or pass --project to estimate on a real BigQuery project`);
  }, 60_000);

  test('a price that is not a number is refused before anything starts', () => {
    const r = landform(['--price-per-tib', 'cheap']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("option '--price-per-tib <dollars>' argument 'cheap' is invalid. expects a number, 0 or more");
  }, 60_000);
});
