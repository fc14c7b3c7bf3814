import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ContractError, loadContracts, validateContracts } from '../../contracts/schema/index.js';
import { copyContracts, FIXTURES } from './temp-contracts.js';

describe('the repository contracts', () => {
  test('all pass, with the telemetry metrics and every table file', async () => {
    const set = await loadContracts();
    expect(set.telemetry.file).toBe('contracts/telemetry/v1.yaml');
    expect(Object.keys(set.telemetry.contract.metrics)).toEqual(
      expect.arrayContaining(['water_pressure_psi', 'oil_pressure_psi', 'battery_v', 'coolant_temp_c', 'engine_rpm', 'fuel_level_pct']),
    );
    const files = (await readdir(path.join(FIXTURES, '../../../contracts/tables'))).sort();
    expect(set.tables.map((t) => t.file)).toEqual(files.map((f) => `contracts/tables/${f}`));
    for (const { hash } of [set.telemetry, ...set.tables]) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('parsing applies defaults and normalizes spellings', async () => {
    const set = await loadContracts();
    const byName = new Map(set.tables.map((t) => [t.contract.name, t.contract]));
    expect(byName.get('devices')?.require_partition_filter).toBe(false);
    expect(byName.get('economic_indicators')?.load).toEqual({ mode: 'full_refresh', lookback: '0s' });
    expect(byName.get('telemetry_readings')?.partition).toEqual({ column: 'ts', granularity: 'day', expiration_days: 730 });
  });
});

// Each fixture is added to a copy of the real contracts; it must fail with this path and rule.
const TABLE_CASES: Array<[fixture: string, path: string, rule: string]> = [
  ['privacy_on_int64', 'columns[1].privacy', 'privacy hash applies only to STRING columns (column is INT64)'],
  ['cursor_not_timestamp', 'load.cursor', 'cursor seq must be a TIMESTAMP column (is INT64)'],
  ['cursor_missing', 'load.cursor', 'required for load mode append'],
  ['full_refresh_with_cursor', 'load.cursor', 'full_refresh tables are replaced whole and take no cursor'],
  ['cluster_unknown_column', 'cluster_by[1]', 'cluster column region is not a column of the table'],
  ['cluster_too_many', 'cluster_by', 'BigQuery clusters on at most 4 columns'],
  ['cluster_on_float', 'cluster_by[0]', 'BigQuery cannot cluster on FLOAT64 column score'],
  ['partition_dropped', 'partition.column', 'partition column happened_on has privacy: drop, so it never reaches BigQuery'],
  ['partition_not_time', 'partition.column', 'partition column id must be TIMESTAMP or DATE (is STRING)'],
  ['column_not_snake_case', 'columns[1].name', 'must be a lower snake_case identifier ([a-z_][a-z0-9_]*, at most 128 characters)'],
  ['duplicate_column', 'columns[2].name', 'duplicate column name id'],
  ['bad_lookback', 'load.lookback', 'must be a duration such as 15m, 1h or 1d (got "15 minutes")'],
  ['unknown_type', 'columns[1].type', 'unknown BigQuery type "VARCHAR"'],
  ['misspelled_field', 'primary_keys', 'unknown field'],
  ['misspelled_field', 'primary_key', 'required field is missing (expected array)'],
  ['unquoted_comma', 'columns[0]["never reused."]', 'unknown field (an unquoted comma inside a {...} mapping? quote the value)'],
  ['key_nullable', 'primary_key[0]', 'primary key column id must be REQUIRED'],
  ['key_masked', 'primary_key[0]', 'primary key column serial cannot use privacy mask_except_last_4 (distinct keys would collide)'],
  ['name_mismatch', 'name', 'must equal the file name (name_mismatch)'],
  ['missing_metrics_contract', 'metrics_contract', 'telemetry/v9.yaml does not exist under contracts/'],
  ['reserved_column', 'columns[1].name', 'names starting with _ are reserved for loader metadata columns'],
];

const TELEMETRY_CASES: Array<[fixture: string, path: string, rule: string]> = [
  ['min_above_max', 'metrics.battery_v.min', 'min 30 is greater than max 0'],
  ['key_not_identifier', 'metrics["battery-v"]', 'metric keys must be lower snake_case identifiers (they become column names)'],
  ['range_on_string', 'metrics.firmware.min', 'a range applies only to numeric metrics (type is STRING)'],
  ['missing_unit', 'metrics.battery_v.unit', 'required field is missing (expected string)'],
  ['fractional_int_bound', 'metrics.engine_rpm.max', 'must be an integer for an INT64 metric'],
];

describe('broken table contracts', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await copyContracts()));
  afterAll(async () => cleanup());

  test.each(TABLE_CASES)('%s fails at %s', async (fixture, errorPath, rule) => {
    const target = path.join(dir, 'tables', `${fixture}.yaml`);
    await copyFile(path.join(FIXTURES, 'broken-tables', `${fixture}.yaml`), target);
    try {
      const result = await validateContracts(dir);
      expect(result.ok).toBe(false);
      const errors = result.ok ? [] : result.errors;
      // Only the fixture is broken: the real contracts beside it stay valid.
      expect(errors.every((e) => e.file === `contracts/tables/${fixture}.yaml`)).toBe(true);
      expect(errors.map((e) => [e.path, e.rule])).toContainEqual([errorPath, rule]);
      await expect(loadContracts(dir)).rejects.toThrow(ContractError);
    } finally {
      await rm(target);
    }
  });

  test('invalid YAML names the line and column', async () => {
    const target = path.join(dir, 'tables', 'invalid_yaml.yaml');
    await copyFile(path.join(FIXTURES, 'broken-tables', 'invalid_yaml.yaml'), target);
    try {
      const error = await loadContracts(dir).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ContractError);
      const { file, path: where, rule, message } = error as ContractError;
      expect(file).toBe('contracts/tables/invalid_yaml.yaml');
      expect(where).toMatch(/^\(line \d+, column \d+\)$/);
      expect(rule).toMatch(/^invalid YAML: /);
      expect(message).toBe(`${file}: ${where}: ${rule}`);
    } finally {
      await rm(target);
    }
  });
});

describe('broken telemetry contracts', () => {
  test.each(TELEMETRY_CASES)('%s fails at %s', async (fixture, errorPath, rule) => {
    const { dir, cleanup } = await copyContracts();
    try {
      await copyFile(path.join(FIXTURES, 'broken-telemetry', `${fixture}.yaml`), path.join(dir, 'telemetry/v1.yaml'));
      const result = await validateContracts(dir);
      const errors = result.ok ? [] : result.errors;
      expect(errors.map((e) => [e.file, e.path, e.rule])).toContainEqual(['contracts/telemetry/v1.yaml', errorPath, rule]);
      const first = await loadContracts(dir).catch((e: unknown) => e);
      expect((first as ContractError).message).toMatch(/^contracts\/telemetry\/v1\.yaml: /);
    } finally {
      await cleanup();
    }
  });
});
