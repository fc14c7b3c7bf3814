import { describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadContracts } from '../../contracts/schema/index.js';
import { copyContracts, FIXTURES, REPO_ROOT } from './temp-contracts.js';

const run = async (...args: string[]) => {
  try {
    const { stdout, stderr } = await promisify(execFile)('node', ['bin/landform.js', 'contracts', ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

describe('landform contracts', () => {
  test('validate accepts the repository contracts', async () => {
    const { code, stdout } = await run('validate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ok: contracts\/telemetry\/v1\.yaml \(6 metrics\) and 12 table contracts/);
  });

  test('hash --json prints every contract hash as loadContracts computes it', async () => {
    const { code, stdout } = await run('hash', '--json');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as Record<string, { hash: string; file: string }>;
    const set = await loadContracts();
    expect(printed.telemetry).toEqual({ hash: set.telemetry.hash, file: 'contracts/telemetry/v1.yaml' });
    for (const t of set.tables) expect(printed[t.contract.name]).toEqual({ hash: t.hash, file: t.file });
  });

  test('validate reports each broken rule as file: path: rule and exits 1, without a stack trace', async () => {
    const { dir, cleanup } = await copyContracts();
    try {
      await copyFile(path.join(FIXTURES, 'broken-tables/privacy_on_int64.yaml'), path.join(dir, 'tables/privacy_on_int64.yaml'));
      await copyFile(path.join(FIXTURES, 'broken-telemetry/min_above_max.yaml'), path.join(dir, 'telemetry/v1.yaml'));
      const { code, stdout, stderr } = await run('validate', '--dir', dir);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toContain('contracts/tables/privacy_on_int64.yaml: columns[1].privacy: privacy hash applies only to STRING columns (column is INT64)\n');
      expect(stderr).toContain('contracts/telemetry/v1.yaml: metrics.battery_v.min: min 30 is greater than max 0\n');
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      await cleanup();
    }
  });
});
