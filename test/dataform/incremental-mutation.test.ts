/**
 * The incremental tests catch a wrong model: three models of a copy of the project are broken the
 * way incremental models break (a checkpoint without its lookback, a partition checkpoint without
 * its late-arrival margin, a merge key that is not the grain), and the runner must report each as a
 * difference, naming the rows, while the full refreshes (which take neither path) still pass.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runModelTests, type CaseResult } from '../../dataform-testing/index.js';
import type { ProjectCopy } from './embedded-project.js';
import { mutableProject, mutate } from './incremental-project.js';

describe('incremental model tests on a mutated project', () => {
  let copy: ProjectCopy;
  const byModel = new Map<string, CaseResult[]>();

  beforeAll(async () => {
    copy = await mutableProject();
    await mutate(copy, 'includes/curated.js', 'interval ${lookbackSeconds(contract)} second', 'interval 0 second');
    await mutate(copy, 'includes/curated.js', 'interval ${late} day', 'interval 0 day');
    await mutate(copy, 'definitions/curated/knowledge_platform/cur_ingestion_runs.sqlx', 'uniqueKey: contracts.table("ingestion_runs").primary_key,', 'uniqueKey: ["run_id", "updated_at"],');
    const run = await runModelTests({ projectDir: copy.projectDir, models: ['cur_devices', 'cur_ingestion_runs', 'cur_telemetry_readings'] });
    for (const r of run.results) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r]);
  }, 600_000);
  afterAll(async () => {
    await copy?.cleanup();
  });

  const phases = (model: string) => Object.fromEntries((byModel.get(model) ?? []).map((r) => [r.phase, r.passed]));
  const messages = (model: string) => (byModel.get(model) ?? []).find((r) => r.phase === 'incremental')?.messages ?? [];

  test('a cursor checkpoint without the lookback drops the late device', () => {
    expect(phases('cur_devices')).toEqual({ incremental: false, full_refresh: true });
    expect(messages('cur_devices')).toContain('  missing    {device_id: d5, site: south, updated_at: 2026-11-20T11:30:00.000000Z, _batch_id: b2}');
  });

  test('a partition checkpoint without late_arrival_days drops the late reading and the correction', () => {
    expect(phases('cur_telemetry_readings')).toEqual({ incremental: false, full_refresh: true });
    expect(messages('cur_telemetry_readings')).toEqual(expect.arrayContaining([
      '  changed reading_id=2: battery_v expected 12.9, got 12.2; engine_rpm expected 900, got null; _batch_id expected b2, got b1',
      '  missing    {reading_id: 5, ts: 2026-11-18T12:00:00.000000Z, battery_v: 12.5, engine_rpm: null, _batch_id: b2}',
    ]));
  });

  test('a merge key that is not the grain keeps the superseded version of the run', () => {
    expect(phases('cur_ingestion_runs')).toEqual({ incremental: false, full_refresh: true });
    expect(messages('cur_ingestion_runs')).toContain('  unexpected {run_id: r1, status: running, docs_processed: 100, updated_at: 2026-11-20T10:00:00.000000Z, _batch_id: b1}');
  });
});
