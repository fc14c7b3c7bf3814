/** The load intake directory: files are linked in and removed, and directories of dead engines are swept. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FileIntake } from '../../../packages/embedded-bigquery/src/engine/file-intake.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

describe('FileIntake', () => {
  test('admits a file under its own directory with the same content and extension, and releases it', async () => {
    const src = mkdtempSync(path.join(tmpdir(), 'intake-src-'));
    cleanup.push(src);
    const file = path.join(src, 'upload.json');
    writeFileSync(file, '{"a": 1}\n');
    const intake = await FileIntake.create();
    const admitted = await intake.admit(file);
    expect(path.dirname(admitted.path)).toBe(intake.dir);
    expect(path.extname(admitted.path)).toBe('.json');
    expect(readFileSync(admitted.path, 'utf8')).toBe('{"a": 1}\n');
    await admitted.release();
    expect(existsSync(admitted.path)).toBe(false);
    expect(existsSync(file)).toBe(true);
    intake.close();
    expect(existsSync(intake.dir)).toBe(false);
  });

  test('sweeps intake directories whose process is gone and keeps those of live processes', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const deadDir = path.join(tmpdir(), `landform-bq-intake-${dead}-test`);
      const liveDir = path.join(tmpdir(), `landform-bq-intake-${alive.pid}-test`);
      cleanup.push(deadDir, liveDir);
      for (const d of [deadDir, liveDir]) {
        mkdirSync(d, { recursive: true });
        writeFileSync(path.join(d, 'left.data'), 'x');
      }
      const intake = await FileIntake.create();
      expect(existsSync(deadDir)).toBe(false);
      expect(statSync(liveDir).isDirectory()).toBe(true);
      intake.close();
    } finally {
      alive.kill();
    }
  });
});
