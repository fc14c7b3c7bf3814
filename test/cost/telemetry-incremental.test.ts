/**
 * `landform cost` on the telemetry model, through the real Dataform CLI's plan and the embedded
 * BigQuery's dry runs: the incremental run reads only the partitions from its checkpoint on (the
 * checkpoint prunes), and the same model without its partition filter reads the whole raw table.
 * Expected bytes are computed here by hand from BigQuery's documented sizes and DML rule (q + t),
 * for rows whose every value has a known size.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { loadContracts } from '../../contracts/schema/index.js';
import { rawTableCatalog, createTable, ensureDatasets, loadRows } from '../../dataform-testing/tables.js';
import { startScratchWarehouse, type ScratchWarehouse } from '../../dataform-testing/scratch.js';
import { runDataform } from '../../demo/dataform.js';
import { dryRunActions, planNextRun, type ActionBytes, type PlannedAction } from '../../cost-estimate/index.js';
import { mutableProject } from '../dataform/incremental-project.js';
import type { ProjectCopy } from '../dataform/embedded-project.js';

const DAY = 86_400_000;
const DAYS = 120;
const PER_DAY = 5;
const RAW = { database: 'landform-local', schema: 'landform_raw', name: 'telemetry_readings' };
const MODEL = 'cur_telemetry_readings';
const HASH = 'a'.repeat(64);
const METRICS = '{"battery_v":12.5}';

/*
 * Bytes of one row, by hand (INT64/TIMESTAMP 8, STRING 2 + its bytes, JSON its text's bytes, NULL 0):
 * raw:     reading_id 8, device_id 'dev-01' 8, ts 8, metrics 18, ingested_at 8, _batch_id 'batch-01' 10,
 *          _extracted_at 8, _contract_hash 66                                             = 134
 * curated: the same columns (134) + battery_v 8 (the other five typed metrics are NULL)   = 142
 */
const RAW_ROW = 8 + 8 + 8 + METRICS.length + 8 + 10 + 8 + 66;
const CURATED_ROW = RAW_ROW + 8;
const CURATED_COLUMNS = ['reading_id', 'device_id', 'ts', 'water_pressure_psi', 'oil_pressure_psi', 'battery_v', 'coolant_temp_c', 'engine_rpm', 'fuel_level_pct', 'metrics', 'ingested_at', '_batch_id', '_extracted_at', '_contract_hash'];

let warehouse: ScratchWarehouse;
let project: ProjectCopy;

/** The model's next run as the Dataform CLI plans it. */
async function plan(fullRefresh: boolean): Promise<PlannedAction[]> {
  const planned = await planNextRun({ projectDir: project.projectDir, credentialsFile: warehouse.credentialsFile, env: warehouse.env, actions: [MODEL], fullRefresh });
  if (planned.map((a) => a.target).join() !== `landform_curated.${MODEL}`) throw new Error(`the plan holds ${planned.map((a) => a.target).join(', ')}`);
  return planned;
}

async function dryRun(planned: PlannedAction[]): Promise<ActionBytes> {
  const [bytes] = await dryRunActions(warehouse.bigquery, planned, 'US');
  if (!bytes || bytes.error !== undefined) throw new Error(`the dry run failed: ${bytes?.error ?? 'no result'}`);
  return bytes;
}

/** The same run with the model's partition filter on raw taken out of its SQL (it must be there once). */
function withoutPartitionFilter(planned: PlannedAction[]): PlannedAction[] {
  const filter = '  where ts >= checkpoint\n';
  return planned.map((a) => ({
    ...a,
    statements: a.statements.map((sql) => {
      if (sql.split(filter).length !== 2) throw new Error(`expected "${filter.trim()}" once in the planned SQL (the model changed: update the test)`);
      return sql.replace(filter, '');
    }),
  }));
}

// measured once, in beforeAll, so that no request outlives the tests under a slow machine
let incremental: ActionBytes;
let withoutFilter: ActionBytes;
let fullRefresh: ActionBytes;

beforeAll(async () => {
  project = await mutableProject();
  warehouse = await startScratchWarehouse(project.projectDir);
  const contracts = await loadContracts();
  await ensureDatasets(warehouse.bigquery, ['landform_raw']);
  // as the loader creates it, except require_partition_filter: BigQuery would refuse the unfiltered
  // model outright (which is what the option is for); here its cost is to be measured
  await createTable(warehouse.bigquery, RAW, { ...rawTableCatalog(contracts).get('telemetry_readings')!, requirePartitionFilter: false });
  // DAYS days of PER_DAY readings at noon UTC, ending yesterday
  const today = Math.floor(Date.now() / DAY) * DAY;
  const rows = [];
  for (let d = DAYS; d >= 1; d--) {
    for (let i = 0; i < PER_DAY; i++) {
      const ts = new Date(today - d * DAY + 12 * 3600_000 + i * 1000).toISOString();
      rows.push({ reading_id: d * 100 + i, device_id: 'dev-01', ts, metrics: JSON.parse(METRICS) as unknown, ingested_at: ts, _batch_id: 'batch-01', _extracted_at: ts, _contract_hash: HASH });
    }
  }
  await loadRows(warehouse.bigquery, RAW, rows, warehouse.dir);
  // the first run builds the target from all of raw; the next one takes the incremental path
  const first = await runDataform({ command: 'run', projectDir: project.projectDir, credentialsFile: warehouse.credentialsFile, env: warehouse.env, extraArgs: ['--actions', MODEL] });
  if (first.exitCode !== 0) throw new Error(`dataform run failed:\n${first.output}`);
  const next = await plan(false);
  incremental = await dryRun(next);
  // the model without its partition filter on raw: every raw partition is read on every run
  withoutFilter = await dryRun(withoutPartitionFilter(next));
  fullRefresh = await dryRun(await plan(true));
}, 900_000);

afterAll(async () => {
  await warehouse?.stop();
  await project?.cleanup();
});

describe('landform cost on the telemetry model', () => {
  test('the target holds every reading, in the columns the hand count assumes', async () => {
    const [meta] = await warehouse.bigquery.dataset('landform_curated').table('cur_telemetry_readings').getMetadata();
    expect((meta.schema.fields as { name: string }[]).map((f) => f.name)).toEqual(CURATED_COLUMNS);
    expect(Number(meta.numBytes)).toBe(CURATED_ROW * DAYS * PER_DAY);
  });

  test('the incremental run reads raw only from its checkpoint on; without the partition filter it reads all of raw', () => {
    const rows = (days: number) => days * PER_DAY;
    // the checkpoint is max(ts) - late_arrival_days (3): the partitions of the last 4 days
    const kept = rows(4);
    // DECLARE checkpoint reads the target's ts over checkpoint_horizon_days (35) of partitions
    // (34 when the clock passes midnight between loading and planning: today's partition holds nothing)
    const declare = [8 * rows(35), 8 * rows(34)];
    // MERGE: the source (every raw column over the kept partitions), and the target: its referenced
    // columns plus all of its columns over the partitions the ON condition keeps (q + t)
    const merge = (rawRows: number) => RAW_ROW * rawRows + 2 * CURATED_ROW * kept;
    expect(declare.map((d) => d + merge(kept))).toContain(incremental.bytesProcessed);
    expect(declare.map((d) => d + merge(rows(DAYS)))).toContain(withoutFilter.bytesProcessed);
    // by hand: (280 + 134 * 120 + 2 * 142 * 4) / (280 + 134 * 4 + 2 * 142 * 4) = 17496 / 1952, about 9
    expect(withoutFilter.bytesProcessed / incremental.bytesProcessed).toBeGreaterThan(8.5);
  });

  test('a full refresh reads all of raw once: the incremental run is a small fraction of it', () => {
    expect(fullRefresh.bytesProcessed).toBe(RAW_ROW * DAYS * PER_DAY);
    // by hand: 1952 / 16080, about 0.12
    expect(incremental.bytesProcessed / fullRefresh.bytesProcessed).toBeLessThan(0.13);
  });
});
