/**
 * `landform test` as a person runs it (`node bin/landform.js test ...`) on a copy of the project:
 * a broken test file is one line and exit 2, a model that breaks its test is printed as
 * `dataform test` prints a failure and exits 1.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectCopy } from './embedded-project.js';
import { mutableProject, mutate } from './incremental-project.js';
import { REPO_ROOT } from './load-includes.js';

function landformTest(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/landform.js', 'test', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('landform test', () => {
  let copy: ProjectCopy;
  beforeEach(async () => {
    copy = await mutableProject();
  });
  afterEach(async () => {
    await copy?.cleanup();
  });

  test('a broken test file: one line naming file, field and rule, exit 2', async () => {
    const file = 'definitions/curated/telemetry/cur_devices.test.yaml';
    await writeFile(path.join(copy.projectDir, file), 'model: cur_devices\ncases:\n  - name: x\n    expect: {incremntal: {rows: []}}\n');
    const { code, stderr } = await landformTest(['--project-dir', copy.projectDir]);
    expect({ code, stderr }).toEqual({ code: 2, stderr: `landform test: ${file}: cases[0].expect.incremntal: unknown field\n` });
  }, 120_000);

  test('an incremental expectation on a table model is refused after the compile, exit 2', async () => {
    const file = 'definitions/curated/time_series/cur_economic_indicators.test.yaml';
    await writeFile(path.join(copy.projectDir, file), 'model: cur_economic_indicators\ncases:\n  - name: x\n    expect: {incremental: {rows: []}}\n');
    const { code, stderr } = await landformTest(['--only', 'incremental', '--project-dir', copy.projectDir]);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: `landform test: ${file}: cases[0].expect.incremental: cur_economic_indicators is a table, rebuilt whole on every run (no incremental path): give its rows under full_refresh\n`,
    });
  }, 120_000);

  test('a checkpoint without its lookback: the failed case, the missing row, exit 1', async () => {
    await mutate(copy, 'includes/curated.js', 'interval ${lookbackSeconds(contract)} second', 'interval 0 second');
    const { code, stdout } = await landformTest(['--only', 'incremental', '--models', 'cur_devices', '--project-dir', copy.projectDir]);
    const lines = stdout.split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'cur_devices: new, updated, late, too-late and twice-delivered devices (incremental): failed',
      '    definitions/curated/telemetry/cur_devices.test.yaml: cases[0].expect.incremental:',
      '      missing    {device_id: d5, site: south, updated_at: 2026-11-20T11:30:00.000000Z, _batch_id: b2}',
      'cur_devices: new, updated, late, too-late and twice-delivered devices (full refresh): passed',
    ]));
    expect(lines.find((l) => l.startsWith('incremental model tests:'))).toMatch(/^incremental model tests: 1 passed, 1 failed in /);
    expect(code).toBe(1);
  }, 600_000);
});
