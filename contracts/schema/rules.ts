/** Rules that relate one field of a parsed contract to another. Each returns every issue it finds. */
import type { IssuePath } from './errors.js';
import type { ColumnContract, TableContract, TelemetryContract } from './schema.js';
import { CLUSTERABLE_TYPES, NUMERIC_TYPES } from './types.js';

export interface RuleIssue {
  path: IssuePath;
  rule: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,127}$/;
const PARTITION_TYPES = new Set(['TIMESTAMP', 'DATE']);
const KEY_UNSAFE_PRIVACY = new Set(['mask_except_last_4', 'truncate_ip']);

export function checkTableRules(table: TableContract, fileStem: string): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const byName = new Map<string, ColumnContract>();
  table.columns.forEach((column, i) => {
    if (byName.has(column.name)) issues.push({ path: ['columns', i, 'name'], rule: `duplicate column name ${column.name}` });
    else byName.set(column.name, column);
    if (column.name.startsWith('_')) {
      issues.push({ path: ['columns', i, 'name'], rule: 'names starting with _ are reserved for loader metadata columns' });
    }
    if (column.privacy && column.privacy !== 'drop' && column.type !== 'STRING') {
      issues.push({ path: ['columns', i, 'privacy'], rule: `privacy ${column.privacy} applies only to STRING columns (column is ${column.type})` });
    }
  });

  if (table.name !== fileStem) issues.push({ path: ['name'], rule: `must equal the file name (${fileStem})` });

  // A referenced column must exist and must survive export (not privacy: drop).
  const requireColumn = (path: IssuePath, name: string, role: string): ColumnContract | undefined => {
    const column = byName.get(name);
    if (!column) issues.push({ path, rule: `${role} ${name} is not a column of the table` });
    else if (column.privacy === 'drop') issues.push({ path, rule: `${role} ${name} has privacy: drop, so it never reaches BigQuery` });
    return column;
  };

  const { mode, cursor } = table.load;
  if (mode === 'full_refresh') {
    if (cursor !== undefined) issues.push({ path: ['load', 'cursor'], rule: 'full_refresh tables are replaced whole and take no cursor' });
  } else if (cursor === undefined) {
    issues.push({ path: ['load', 'cursor'], rule: `required for load mode ${mode}` });
  } else {
    const column = requireColumn(['load', 'cursor'], cursor, 'cursor');
    if (column && column.type !== 'TIMESTAMP') issues.push({ path: ['load', 'cursor'], rule: `cursor ${cursor} must be a TIMESTAMP column (is ${column.type})` });
    if (column && column.mode !== 'REQUIRED') issues.push({ path: ['load', 'cursor'], rule: `cursor ${cursor} must be REQUIRED` });
  }

  const seenKeys = new Set<string>();
  table.primary_key.forEach((name, i) => {
    const path = ['primary_key', i];
    if (seenKeys.has(name)) issues.push({ path, rule: `duplicate primary key column ${name}` });
    seenKeys.add(name);
    const column = requireColumn(path, name, 'primary key column');
    if (!column) return;
    if (column.mode !== 'REQUIRED') issues.push({ path, rule: `primary key column ${name} must be REQUIRED` });
    if (column.type === 'JSON' || column.type === 'FLOAT64') issues.push({ path, rule: `primary key column ${name} cannot be ${column.type}` });
    if (column.privacy && KEY_UNSAFE_PRIVACY.has(column.privacy)) {
      issues.push({ path, rule: `primary key column ${name} cannot use privacy ${column.privacy} (distinct keys would collide)` });
    }
  });

  const partition = requireColumn(['partition', 'column'], table.partition.column, 'partition column');
  if (partition && !PARTITION_TYPES.has(partition.type)) {
    issues.push({ path: ['partition', 'column'], rule: `partition column ${partition.name} must be TIMESTAMP or DATE (is ${partition.type})` });
  }
  if (partition?.type === 'DATE' && table.partition.granularity === 'hour') {
    issues.push({ path: ['partition', 'granularity'], rule: 'a DATE column cannot be partitioned by hour' });
  }

  const seenCluster = new Set<string>();
  table.cluster_by.forEach((name, i) => {
    const path = ['cluster_by', i];
    if (seenCluster.has(name)) issues.push({ path, rule: `duplicate cluster column ${name}` });
    seenCluster.add(name);
    const column = requireColumn(path, name, 'cluster column');
    if (column && !CLUSTERABLE_TYPES.has(column.type)) issues.push({ path, rule: `BigQuery cannot cluster on ${column.type} column ${name}` });
  });

  if (table.metrics_contract !== undefined) {
    const metrics = byName.get('metrics');
    if (!metrics || metrics.type !== 'JSON') {
      issues.push({ path: ['metrics_contract'], rule: 'a table with a metrics contract needs a JSON column named metrics' });
    }
  }
  return issues;
}

export function checkTelemetryRules(telemetry: TelemetryContract): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const keys = Object.keys(telemetry.metrics);
  if (keys.length === 0) issues.push({ path: ['metrics'], rule: 'must list at least one metric' });
  for (const key of keys) {
    const metric = telemetry.metrics[key];
    if (!metric) continue;
    if (!IDENTIFIER.test(key)) issues.push({ path: ['metrics', key], rule: 'metric keys must be lower snake_case identifiers (they become column names)' });
    const numeric = NUMERIC_TYPES.has(metric.type);
    if (!numeric && metric.type !== 'BOOL' && metric.type !== 'STRING') {
      issues.push({ path: ['metrics', key, 'type'], rule: `metric type must be INT64, FLOAT64, NUMERIC, BIGNUMERIC, BOOL or STRING (is ${metric.type})` });
    }
    for (const bound of ['min', 'max'] as const) {
      const value = metric[bound];
      if (value === undefined) continue;
      if (!numeric) issues.push({ path: ['metrics', key, bound], rule: `a range applies only to numeric metrics (type is ${metric.type})` });
      else if (metric.type === 'INT64' && !Number.isInteger(value)) issues.push({ path: ['metrics', key, bound], rule: 'must be an integer for an INT64 metric' });
    }
    if (metric.min !== undefined && metric.max !== undefined && metric.min > metric.max) {
      issues.push({ path: ['metrics', key, 'min'], rule: `min ${metric.min} is greater than max ${metric.max}` });
    }
  }
  return issues;
}
