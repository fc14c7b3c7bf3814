import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { dataformCliEntry, parseRunOutput, parseTestOutput } from '../../demo/dataform.js';

// Output captured from the real Dataform CLI 3.0.69 (`dataform run` with a failing assertion, `dataform test`), SQL trimmed.
const fixture = (name: string): string => readFileSync(path.join('test/demo/fixtures', name), 'utf8');

describe('Dataform CLI output', () => {
  test('run: one action per finished line, with kind, status, job ids and the error of a failed one', () => {
    const actions = parseRunOutput(fixture('dataform-run-output.txt'));
    expect(actions.map((a) => [a.target, a.kind, a.status])).toEqual([
      ['landform_marts.mart_ingestion_reliability_daily', 'table', 'succeeded'],
      ['landform_marts.mart_vendor_kpis_daily', 'table', 'succeeded'],
      ['landform_assertions.landform_marts_mart_ingestion_reliability_daily_assertions_uniqueKey_0', 'assertion', 'succeeded'],
      ['landform_assertions.marketplace_kpis_reconcile', 'assertion', 'succeeded'],
      ['landform_assertions.landform_marts_mart_vendor_kpis_daily_assertions_uniqueKey_0', 'assertion', 'succeeded'],
      ['landform_assertions.landform_marts_mart_vendor_kpis_daily_assertions_rowConditions', 'assertion', 'succeeded'],
      ['landform_assertions.landform_marts_mart_ingestion_reliability_daily_assertions_rowConditions', 'assertion', 'failed'],
    ]);
    expect(actions[0]?.jobIds).toEqual(['dataform-e3e87c91-a06f-48e2-9e0e-841705446340']);
    expect(actions[2]?.jobIds).toHaveLength(2);
    expect(actions[6]?.error).toBe('bigquery error: Assertion failed: query returned 6 row(s).');
  });

  test('run: skipped actions, views, incremental tables and operations, with or without colours', () => {
    const text = [
      '\u001b[32mTable created: \u001b[39m \u001b[36mlandform_curated.cur_devices\u001b[39m [incremental]',
      'Table created:  landform_curated.v_latest [view]',
      'Operation completed successfully:  landform_raw.grant_access',
      'Skipping dataset creation:  landform_marts.mart_device_health_daily [table] (Dependency failed)',
      'Skipping assertion execution:  landform_assertions.cur_devices_unique_key',
    ].join('\n');
    expect(parseRunOutput(text).map((a) => [a.target, a.kind, a.status])).toEqual([
      ['landform_curated.cur_devices', 'incremental', 'succeeded'],
      ['landform_curated.v_latest', 'view', 'succeeded'],
      ['landform_raw.grant_access', 'operation', 'succeeded'],
      ['landform_marts.mart_device_health_daily', 'table', 'skipped'],
      ['landform_assertions.cur_devices_unique_key', 'assertion', 'skipped'],
    ]);
  });

  test('test: one result per unit test, message lines ignored', () => {
    const tests = parseTestOutput(fixture('dataform-test-output.txt'));
    expect(tests).toHaveLength(11);
    expect(tests.filter((t) => !t.passed).map((t) => t.name)).toEqual(['mart_ingestion_reliability_daily_test']);
    expect(tests[0]).toEqual({ name: 'mart_eval_quality_daily_test', passed: true });
  });

  test('the CLI entry is the package\'s own bin', () => {
    expect(dataformCliEntry(process.cwd())).toBe(path.resolve('node_modules/@dataform/cli/bundle.js'));
  });
});
