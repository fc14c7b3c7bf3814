import { describe, expect, test } from '@jest/globals';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { loadIncludes, REPO_ROOT } from './load-includes.js';

const { fn, include } = loadIncludes();
const call = (file: string, member: string, ...args: unknown[]) => fn(file, member)(...args);

describe('includes/metrics.js on contracts/telemetry/v1.yaml', () => {
  test('one typed, safely cast column per metric, in contract order', () => {
    expect(call('metrics', 'typedColumns', 'metrics')).toBe(
      [
        "safe_cast(json_value(metrics, '$.water_pressure_psi') as float64) as water_pressure_psi",
        "safe_cast(json_value(metrics, '$.oil_pressure_psi') as float64) as oil_pressure_psi",
        "safe_cast(json_value(metrics, '$.battery_v') as float64) as battery_v",
        "safe_cast(json_value(metrics, '$.coolant_temp_c') as float64) as coolant_temp_c",
        "safe_cast(json_value(metrics, '$.engine_rpm') as int64) as engine_rpm",
        "safe_cast(json_value(metrics, '$.fuel_level_pct') as float64) as fuel_level_pct",
      ].join(',\n    '),
    );
  });

  test('out-of-range counts per metric, for the rate check', () => {
    expect(call('metrics', 'outOfRangeCounts', 'r', { metrics: { a: { type: 'INT64', unit: 'u', min: 1, max: 2, description: 'd' } } })).toEqual([
      "select 'a' as metric_key, countif(a is not null) as reported_count, countif(a < 1 or a > 2) as out_of_range_count from r",
    ]);
  });

  test('one range row condition per metric', () => {
    expect(call('metrics', 'rangeConditions')).toEqual([
      'water_pressure_psi is null or water_pressure_psi between 0 and 150',
      'oil_pressure_psi is null or oil_pressure_psi between 0 and 100',
      'battery_v is null or battery_v between 0 and 30',
      'coolant_temp_c is null or coolant_temp_c between -40 and 130',
      'engine_rpm is null or engine_rpm between 0 and 8000',
      'fuel_level_pct is null or fuel_level_pct between 0 and 100',
    ]);
  });

  test('column descriptions carry unit and range', () => {
    const descriptions = call('metrics', 'columnDescriptions') as Record<string, string>;
    expect(Object.keys(descriptions)).toEqual(['water_pressure_psi', 'oil_pressure_psi', 'battery_v', 'coolant_temp_c', 'engine_rpm', 'fuel_level_pct']);
    expect(descriptions.battery_v).toBe('Starter battery voltage. Unit: V; valid range 0 to 30. Typed from metrics.battery_v; null when absent or not a FLOAT64.');
  });
});

describe('includes/metrics.js on other contracts', () => {
  const contract = {
    metrics: {
      pump_starts: { type: 'INT64', unit: 'count', min: 1, description: 'Starts.' },
      door_open: { type: 'BOOL', unit: 'flag', description: 'Door open.' },
      flow_lpm: { type: 'NUMERIC', unit: 'l/min', max: 5, description: 'Flow.' },
    },
  };

  test('types, one-sided ranges and metrics without a range', () => {
    expect(call('metrics', 'typedColumns', 'payload', contract)).toBe(
      "safe_cast(json_value(payload, '$.pump_starts') as int64) as pump_starts,\n" +
        "    safe_cast(json_value(payload, '$.door_open') as bool) as door_open,\n" +
        "    safe_cast(json_value(payload, '$.flow_lpm') as numeric) as flow_lpm",
    );
    expect(call('metrics', 'rangeConditions', contract)).toEqual(['pump_starts is null or pump_starts >= 1', 'flow_lpm is null or flow_lpm <= 5']);
    expect(call('metrics', 'anyOutOfRange', contract)).toBe('coalesce(pump_starts < 1, false)\n      or coalesce(flow_lpm > 5, false)');
    expect(call('metrics', 'outOfRangeRows', 'r', ['id'], contract)).toBe(
      [
        "select id, 'pump_starts' as metric_key, cast(pump_starts as float64) as metric_value,",
        '    cast(1 as float64) as min_value,',
        '    cast(null as float64) as max_value',
        '  from r',
        '  where pump_starts < 1',
        '  union all',
        "  select id, 'flow_lpm' as metric_key, cast(flow_lpm as float64) as metric_value,",
        '    cast(null as float64) as min_value,',
        '    cast(5 as float64) as max_value',
        '  from r',
        '  where flow_lpm > 5',
      ].join('\n'),
    );
    expect(call('metrics', 'dailyAverages', contract)).toBe('avg(pump_starts) as avg_pump_starts,\n    avg(flow_lpm) as avg_flow_lpm');
  });

  test('a metric key that cannot be a column name is refused, never quoted into SQL', () => {
    expect(() => call('metrics', 'typedColumns', 'metrics', { metrics: { "x') as int64) --": { type: 'INT64', unit: 'u', description: 'd' } } })).toThrow(
      /not a lower snake_case identifier/,
    );
  });
});

describe('includes/curated.js', () => {
  test('checkpoint on the partition column for require_partition_filter tables', () => {
    expect(call('curated', 'declareCheckpoint', 'telemetry_readings', true, '`p.d.cur_telemetry_readings`')).toBe(
      [
        'declare checkpoint timestamp default (',
        "  select coalesce(timestamp_sub(max(ts), interval 3 day), timestamp '2000-01-01 00:00:00+00')",
        '  from `p.d.cur_telemetry_readings`',
        '  where ts >= timestamp_sub(current_timestamp(), interval 35 day)',
        ')',
      ].join('\n'),
    );
    expect(call('curated', 'declareCheckpoint', 'telemetry_readings', false, '`p.d.t`')).toBe(
      "declare checkpoint timestamp default (select timestamp '2000-01-01 00:00:00+00')",
    );
    expect(call('curated', 'checkpointFilter', 'telemetry_readings')).toBe('ts >= checkpoint');
  });

  test('checkpoint on the cursor minus the contract lookback for updated-in-place tables', () => {
    expect(call('curated', 'declareCheckpoint', 'devices', true, '`p.d.cur_devices`')).toBe(
      [
        'declare checkpoint timestamp default (',
        "  select coalesce(timestamp_sub(max(updated_at), interval 3600 second), timestamp '2000-01-01 00:00:00+00')",
        '  from `p.d.cur_devices`',
        ')',
      ].join('\n'),
    );
    expect(call('curated', 'checkpointFilter', 'devices')).toBe('updated_at >= checkpoint');
  });

  test('latest version per primary key', () => {
    expect(call('curated', 'latestVersion', 'devices')).toBe('qualify row_number() over (partition by device_id order by updated_at desc, _extracted_at desc) = 1');
    expect(call('curated', 'latestVersion', 'economic_indicators')).toBe(
      'qualify row_number() over (partition by series_id, observation_date order by _extracted_at desc) = 1',
    );
  });

  test('table options from the contract', () => {
    expect(call('curated', 'bigqueryOptions', 'telemetry_readings')).toEqual({
      partitionBy: 'timestamp_trunc(ts, day)',
      clusterBy: ['device_id'],
      partitionExpirationDays: 730,
      requirePartitionFilter: true,
      updatePartitionFilter: 'ts >= checkpoint',
      labels: { layer: 'curated', domain: 'telemetry', contract_version: '1' },
    });
    expect(call('curated', 'bigqueryOptions', 'economic_indicators')).toEqual({
      partitionBy: 'date_trunc(observation_date, month)',
      clusterBy: ['series_id'],
      labels: { layer: 'curated', domain: 'time_series', contract_version: '1' },
    });
    expect(call('curated', 'bigqueryOptions', 'devices')).toEqual({
      partitionBy: 'timestamp_trunc(installed_at, month)',
      clusterBy: ['site'],
      labels: { layer: 'curated', domain: 'telemetry', contract_version: '1' },
    });
  });
});

describe('includes/checks.js', () => {
  test('large tables are checked over recent partitions only', () => {
    expect(call('checks', 'uniqueKeyQuery', 'query_logs', 'T')).toBe(
      'select query_id, count(*) as row_count\nfrom T\nwhere created_at >= timestamp_sub(current_timestamp(), interval 7 day)\ngroup by query_id\nhaving count(*) > 1',
    );
    expect(call('checks', 'nonNullQuery', 'economic_indicators', 'T')).toBe(
      'select *\nfrom T\nwhere true\n  and (series_id is null\n    or observation_date is null\n    or series_name is null\n    or units is null\n    or _batch_id is null\n    or _extracted_at is null)',
    );
    expect(call('checks', 'rowConditionsQuery', 'ad_events', 'T', ["event_type in ('click')", 'cost_micros >= 0'])).toBe(
      [
        `select 'event_type in ("click")' as failing_row_condition, *`,
        'from T',
        'where occurred_at >= timestamp_sub(current_timestamp(), interval 7 day)',
        "  and not (event_type in ('click'))",
        'union all',
        "select 'cost_micros >= 0' as failing_row_condition, *",
        'from T',
        'where occurred_at >= timestamp_sub(current_timestamp(), interval 7 day)',
        '  and not (cost_micros >= 0)',
      ].join('\n'),
    );
    expect(call('checks', 'freshnessQuery', 'devices', 'T')).toBe(
      'select max(_extracted_at) as newest_extracted_at\nfrom T\nwhere true\nhaving max(_extracted_at) < timestamp_sub(current_timestamp(), interval 26 hour)',
    );
  });
});

describe('includes/contracts.js and settings.js', () => {
  test('TABLE_NAMES lists exactly the files in contracts/tables', () => {
    const files = readdirSync(path.join(REPO_ROOT, 'contracts/tables')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(include('contracts').TABLE_NAMES).toEqual(files);
  });

  test('privacy drop columns are never described or selected; loader columns always are', () => {
    const descriptions = call('contracts', 'columnDescriptions', 'query_logs') as Record<string, string>;
    expect(Object.keys(descriptions)).toEqual(['query_id', 'user_id', 'client_ip', 'collection', 'latency_ms', 'result_count', 'status', 'created_at', '_batch_id', '_extracted_at', '_contract_hash']);
    expect(descriptions.user_id).toBe('User who ran the query, hashed (sha256). [privacy: hash]');
    expect(call('contracts', 'selectList', 'query_logs')).not.toContain('query_text');
  });

  test('vars that reach SQL must have their expected shape', () => {
    const bad = loadIncludes(REPO_ROOT, { late_arrival_days: '3 day) or (1', backfill_start_date: '2000-01-01', checkpoint_horizon_days: '35' });
    expect(() => bad.fn('curated', 'declareCheckpoint')('telemetry_readings', true, 'T')).toThrow('late_arrival_days must be a whole number');
    const missing = loadIncludes(REPO_ROOT, {});
    expect(() => missing.fn('marts', 'recentWindow')('ts')).toThrow('mart_window_days is not set');
  });
});
