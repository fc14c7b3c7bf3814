import { PassThrough } from 'node:stream';
import { describe, expect, test } from '@jest/globals';
import { createLogger } from '../../common/logger.js';
import { dataformProgress } from '../../demo/dataform-progress.js';
import { progressReporter } from '../../demo/progress.js';

function terminal(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return { out, text: () => text };
}

describe('progress on a terminal', () => {
  test('each step ends with "done in", keeps its counts and drops what it was doing last', () => {
    const { out, text } = terminal();
    const progress = progressReporter(createLogger('test', 'silent'), true, out);
    progress('seeding demo data');
    progress.detail('3/10 tables, 1,204 rows (last: devices)');
    progress('landing 10 tables', { live: false });
    progress.end(true);
    const finished = text().split(/\r|\n/).map((l) => l.replace('\u001b[K', '')).filter((l) => /^[✓✗›]/.test(l));
    expect(finished).toEqual([
      expect.stringMatching(/^✓ seeding demo data · 3\/10 tables, 1,204 rows · done in \d+\.\d s$/),
      '› landing 10 tables',
      expect.stringMatching(/^✗ landing 10 tables · failed after \d+\.\d s$/),
    ]);
  });
});

describe('Dataform output as it streams', () => {
  test('counts finished actions and failures of a run, and unit tests of a test', () => {
    const shown: string[] = [];
    const run = dataformProgress('run', (t) => shown.push(t));
    for (const line of [
      'Compiling...', 'Running...', 'Table created:  landform_curated.cur_devices [incremental] ', ' \t jobId: dataform-1,',
      'Assertion failed:  landform_assertions.cur_devices_unique_key ', 'Assertion passed:  landform_assertions.x ',
    ]) run.line(line);
    expect(run.counts).toEqual({ done: 3, failed: 1 });
    expect(shown[shown.length - 1]).toBe('3 actions done, 1 failed (last: landform_assertions.x)');
    const tests = dataformProgress('test', () => undefined);
    for (const line of ['mart_a_test: passed', 'mart_b_test: failed', 'Table created: x: passed']) tests.line(line);
    expect(tests.counts).toEqual({ done: 2, failed: 1 });
  });
});
