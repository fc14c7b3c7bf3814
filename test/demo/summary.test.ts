import { describe, expect, test } from '@jest/globals';
import { formatSummary, type DemoRunResult } from '../../demo/summary.js';

function result(overrides: Partial<DemoRunResult> = {}): DemoRunResult {
  return {
    ok: true, exitCode: 0, path: 'incremental', source: 'embedded Postgres', warehouse: 'embedded BigQuery', seeded: null, seconds: 12.34,
    batches: [
      { table: 'devices', batchId: 'b1', status: 'succeeded', rowsExtracted: 3, rowsLoaded: 1, rowsSkippedDuplicate: 2, rowsQuarantined: 0, contractHash: 'h' },
      { table: 'telemetry_readings', batchId: 'b2', status: 'succeeded', rowsExtracted: 1200, rowsLoaded: 1190, rowsSkippedDuplicate: 8, rowsQuarantined: 2, contractHash: 'h' },
    ],
    run: {
      command: 'run', exitCode: 0, seconds: 5, output: '', compileErrors: [], tests: [],
      actions: [
        { target: 'landform_curated.cur_devices', kind: 'incremental', status: 'succeeded', jobIds: [], seconds: 0.5 },
        { target: 'landform_assertions.a1', kind: 'assertion', status: 'succeeded', jobIds: [] },
        { target: 'landform_assertions.a2', kind: 'assertion', status: 'failed', jobIds: [], error: 'query returned 2 row(s)' },
      ],
    },
    test: { command: 'test', exitCode: 0, seconds: 2, output: '', compileErrors: [], actions: [], tests: [{ name: 't1', passed: true }] },
    figures: { headlines: ['fleet health 2026-01-01: 3 devices reporting'], charts: [], missing: [] },
    reportFile: '/tmp/x/report/index.html',
    problems: [],
    ...overrides,
  };
}

describe('run summary', () => {
  test('names the path, totals the batches, counts assertions, and ends with the report URL', () => {
    const text = formatSummary(result());
    const lines = text.split('\n');
    expect(lines[0]).toBe('landform demo: OK in 12.3s — incremental (each table read from its last watermark, curated tables merged)');
    expect(text).toMatch(/^total\s+1,203\s+1,191\s+10\s+2$/m);
    expect(text).toMatch(/^telemetry_readings\s+1,200\s+1,190\s+8\s+2\s+succeeded$/m);
    expect(text).toContain('dataform run: 1/1 actions succeeded in 5.0s');
    expect(text).toContain('assertions: 1 passed, 1 failed');
    expect(text).toContain('  failed landform_assertions.a2: query returned 2 row(s)');
    expect(text).toContain('dataform test: 1 passed, 0 failed');
    expect(lines[lines.length - 1]).toBe('report: file:///tmp/x/report/index.html');
  });

  test('a failed run says so, lists each problem and the seeding of a first load', () => {
    const text = formatSummary(result({ ok: false, path: 'first-load', seeded: { devices: 24, telemetry_readings: 1000 }, problems: ['load of devices failed: boom'] }));
    expect(text.split('\n')[0]).toMatch(/^landform demo: FAILED in 12\.3s — first load/);
    expect(text).toContain('seeded:    1,024 rows in 2 source tables');
    expect(text).toContain('problem: load of devices failed: boom');
  });
});
