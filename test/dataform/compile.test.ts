import { beforeAll, describe, expect, test } from '@jest/globals';
import { loadContracts, type ContractSet, type TableContract } from '../../contracts/schema/index.js';
import { compileProject, describedColumns, type CompiledGraph, type CompiledTable } from './compile-graph.js';

// Independent of includes/: how a contract's partition spec reads as a BigQuery partition expression.
function expectedPartitionBy(contract: TableContract): string {
  const { column, granularity } = contract.partition;
  const type = contract.columns.find((c) => c.name === column)?.type;
  if (type === 'DATE') return granularity === 'day' ? column : `date_trunc(${column}, ${granularity})`;
  return `timestamp_trunc(${column}, ${granularity})`;
}
const CAST_TYPE: Record<string, string> = { FLOAT64: 'float64', INT64: 'int64' };
const DOMAINS = ['telemetry', 'knowledge_platform', 'marketplace', 'time_series', 'lineage'];

let graph: CompiledGraph;
let contracts: ContractSet;
const tableNamed = (name: string): CompiledTable => {
  const table = graph.tables.find((t) => t.target.name === name);
  if (!table) throw new Error(`no compiled table ${name}`);
  return table;
};
const inDataset = (schema: string) => graph.tables.filter((t) => t.target.schema === schema);

beforeAll(async () => {
  [graph, contracts] = await Promise.all([compileProject(), loadContracts()]);
});

describe('dataform compile --json', () => {
  test('compiles without graph errors', () => {
    expect(graph.graphErrors?.compilationErrors ?? []).toEqual([]);
    expect(graph.tables.every((t) => t.target.database === 'landform-local')).toBe(true);
  });

  test('declares every raw table with the contract descriptions, plus export_batches and quarantine', () => {
    const raw = graph.declarations.filter((d) => d.target.schema === 'landform_raw').map((d) => d.target.name).sort();
    expect(raw).toEqual([...contracts.tables.map((t) => t.contract.name), 'export_batches', 'quarantine'].sort());
    for (const { contract } of contracts.tables) {
      const declaration = graph.declarations.find((d) => d.target.name === contract.name);
      const columns = describedColumns(declaration ?? { actionDescriptor: {} });
      const exported = contract.columns.filter((c) => c.privacy !== 'drop');
      expect([...columns.keys()]).toEqual([...exported.map((c) => c.name), '_batch_id', '_extracted_at', '_contract_hash', ...(contract.deletes ? ['_deleted_at'] : [])]);
      for (const c of exported) expect(columns.get(c.name)).toContain(c.description);
    }
  });

  test('every curated and mart table states its grain and describes its columns', () => {
    const modelled = [...inDataset('landform_curated'), ...inDataset('landform_marts')];
    expect(modelled.length).toBeGreaterThanOrEqual(contracts.tables.length + 11);
    for (const t of modelled) {
      expect({ name: t.target.name, grain: /one row per/i.test(t.actionDescriptor?.description ?? '') }).toEqual({ name: t.target.name, grain: true });
      const columns = describedColumns(t);
      expect(columns.size).toBeGreaterThan(2);
      for (const [column, description] of columns) expect({ column, described: description.trim().length > 0 }).toEqual({ column, described: true });
    }
  });

  test('the curated telemetry readings have exactly one typed column per contract metric', () => {
    const query = tableNamed('cur_telemetry_readings').query;
    const typed = [...query.matchAll(/safe_cast\(json_value\(metrics, '\$\.(\w+)'\) as (\w+)\) as (\w+)/g)].map((m) => [m[1], m[2], m[3]]);
    const metrics = Object.entries(contracts.telemetry.contract.metrics);
    expect(typed).toEqual(metrics.map(([key, m]) => [key, CAST_TYPE[m.type], key]));
    // The raw map is kept, so keys outside the contract are not lost.
    expect(query).toMatch(/^\s+metrics,$/m);
    const columns = describedColumns(tableNamed('cur_telemetry_readings'));
    for (const [key] of metrics) expect(columns.has(key)).toBe(true);
  });

  test('curated tables are partitioned, clustered and incremental as their contracts say', () => {
    for (const { contract } of contracts.tables) {
      const t = tableNamed(`cur_${contract.name}`);
      expect({ name: t.target.name, partitionBy: t.bigquery?.partitionBy, clusterBy: t.bigquery?.clusterBy ?? [] }).toEqual({
        name: t.target.name,
        partitionBy: expectedPartitionBy(contract),
        clusterBy: contract.cluster_by,
      });
      expect(t.bigquery?.partitionExpirationDays).toBe(contract.partition.expiration_days);
      expect(t.bigquery?.requirePartitionFilter ?? false).toBe(contract.require_partition_filter);
      if (contract.load.mode === 'full_refresh') {
        expect(t.type).toBe('table');
        continue;
      }
      expect(t.type).toBe('incremental');
      expect(t.uniqueKey).toEqual(contract.primary_key);
      const checkpointColumn = contract.require_partition_filter ? contract.partition.column : contract.load.cursor;
      // Both branches filter the raw read on a script variable, which BigQuery can prune on.
      // A table whose deletes are scanned also reads tombstones found since the checkpoint.
      const filter = contract.deletes ? `where (${checkpointColumn} >= checkpoint or _deleted_at >= checkpoint)` : `where ${checkpointColumn} >= checkpoint`;
      for (const q of [t.query, t.incrementalQuery ?? '']) expect(q).toContain(filter);
      expect(t.preOps?.join('\n')).toMatch(/declare checkpoint timestamp default \(select timestamp '\d{4}-\d\d-\d\d 00:00:00\+00'\)/);
      expect(t.incrementalPreOps?.join('\n')).toContain(`from \`landform-local.landform_curated.cur_${contract.name}\``);
      if (contract.require_partition_filter) expect(t.bigquery?.updatePartitionFilter).toBe(`${contract.partition.column} >= checkpoint`);
    }
  });

  test('every curated and mart table has assertions: unique keys and non-null keys at least', () => {
    const assertedTables = new Set(graph.assertions.flatMap((a) => [...(a.dependencyTargets ?? []), ...(a.parentAction ? [a.parentAction] : [])]).map((t) => t.name));
    const names = new Set(graph.assertions.map((a) => a.target.name));
    for (const t of inDataset('landform_curated')) {
      expect(assertedTables.has(t.target.name)).toBe(true);
      expect(names.has(`${t.target.name}_unique_key`)).toBe(true);
      expect(names.has(`${t.target.name}_non_null`)).toBe(true);
    }
    for (const t of inDataset('landform_marts')) {
      expect(assertedTables.has(t.target.name)).toBe(true);
      const prefix = `landform_marts_${t.target.name}_assertions_`;
      expect([t.target.name, names.has(`${prefix}uniqueKey_0`)]).toEqual([t.target.name, true]);
      // Dataform folds nonNull into the rowConditions assertion as `<column> IS NOT NULL`.
      const rowConditions = graph.assertions.find((a) => a.target.name === `${prefix}rowConditions`)?.query ?? '';
      expect([t.target.name, rowConditions.includes(' IS NOT NULL')]).toEqual([t.target.name, true]);
    }
    expect(names.has('cur_telemetry_readings_metric_ranges')).toBe(true);
    for (const { contract } of contracts.tables.filter((t) => t.contract.load.mode !== 'full_refresh')) expect(names.has(`cur_${contract.name}_freshness`)).toBe(true);
    for (const name of ['exports_fresh', 'export_batches_valid', 'marketplace_kpis_reconcile']) expect(names.has(name)).toBe(true);
  });

  test('the range assertion checks every contract metric range', () => {
    const query = graph.assertions.find((a) => a.target.name === 'cur_telemetry_readings_metric_ranges')?.query ?? '';
    for (const [key, m] of Object.entries(contracts.telemetry.contract.metrics)) expect(query).toContain(`countif(${key} < ${m.min} or ${key} > ${m.max}) as out_of_range_count`);
    expect(query).toContain('where out_of_range_count > 0.01 * reported_count');
  });

  test('curated business invariants are checked over the recent window', () => {
    const query = graph.assertions.find((a) => a.target.name === 'cur_marketplace_events_invariants')?.query ?? '';
    expect(query).toContain(`select 'event_type in ("order_created", "cash_collected", "order_paid", "payout_completed")' as failing_row_condition, *`);
    expect(query).toContain("where occurred_at >= timestamp_sub(current_timestamp(), interval 7 day)\n  and not (event_type in ('order_created', 'cash_collected', 'order_paid', 'payout_completed'))");
  });

  test('every mart has a unit test, and the marts cover all five domains', () => {
    const marts = inDataset('landform_marts');
    const tests = new Set(graph.tests.map((t) => t.name));
    for (const t of marts) expect([t.target.name, tests.has(`${t.target.name}_test`)]).toEqual([t.target.name, true]);
    for (const t of graph.tests) {
      expect(t.testQuery.length).toBeGreaterThan(0);
      expect(t.expectedOutputQuery).toMatch(/select/i);
      // Inputs replace every ref: the test query reads no real table.
      expect(t.testQuery).not.toMatch(/`landform-local\./);
    }
    const domains = new Set(marts.flatMap((t) => t.tags ?? []));
    for (const domain of DOMAINS) expect(domains.has(domain)).toBe(true);
  });

  test('large marts are partitioned and clustered', () => {
    for (const name of ['mart_device_health_daily', 'mart_out_of_range_readings', 'mart_query_usage_daily', 'mart_vendor_kpis_daily', 'mart_export_success_daily']) {
      const t = tableNamed(name);
      expect([name, Boolean(t.bigquery?.partitionBy), (t.bigquery?.clusterBy ?? []).length > 0]).toEqual([name, true, true]);
    }
  });
});
