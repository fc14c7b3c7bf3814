/** Cloud Run task sharding: every table of a run is owned by exactly one task, whatever the task count. */
import { describe, expect, test } from '@jest/globals';
import { LoaderConfigError } from '../../loader/config.js';
import { tablesOfTask, taskShardFromEnv } from '../../loader/shard.js';

const TABLES = ['ad_events', 'devices', 'economic_indicators', 'entity_mentions', 'eval_runs', 'ingestion_runs', 'marketplace_events', 'news_events', 'query_logs', 'telemetry_readings', 'un_comtrade', 'world_bank'];
const id = (t: string) => t;

describe('tablesOfTask', () => {
  test.each([1, 2, 3, 4, 7, 12, 20])('%i tasks: each table in exactly one task, order kept', (count) => {
    const owned = Array.from({ length: count }, (_, index) => tablesOfTask(TABLES, id, { index, count }));
    expect(owned.flat().sort()).toEqual([...TABLES].sort());
    for (const tables of owned) expect(tables).toEqual(TABLES.filter((t) => tables.includes(t)));
  });

  test('stable: adding a table moves no other table to another task', () => {
    const before = Array.from({ length: 3 }, (_, index) => tablesOfTask(TABLES, id, { index, count: 3 }));
    const after = Array.from({ length: 3 }, (_, index) => tablesOfTask([...TABLES, 'brand_new_table'], id, { index, count: 3 }));
    before.forEach((tables, index) => expect(after[index]?.filter((t) => t !== 'brand_new_table')).toEqual(tables));
  });

  test('two tasks share out the twelve tables (neither gets none)', () => {
    const [a, b] = [0, 1].map((index) => tablesOfTask(TABLES, id, { index, count: 2 }).length);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
  });
});

describe('taskShardFromEnv', () => {
  test('unset: one task owning everything', () => {
    expect(taskShardFromEnv({})).toEqual({ index: 0, count: 1 });
  });
  test("Cloud Run's variables", () => {
    expect(taskShardFromEnv({ CLOUD_RUN_TASK_INDEX: '2', CLOUD_RUN_TASK_COUNT: '3' })).toEqual({ index: 2, count: 3 });
  });
  test('an index past the count is refused with a sentence naming both', () => {
    expect(() => taskShardFromEnv({ CLOUD_RUN_TASK_INDEX: '3', CLOUD_RUN_TASK_COUNT: '3' })).toThrow(LoaderConfigError);
    expect(() => taskShardFromEnv({ CLOUD_RUN_TASK_INDEX: '3', CLOUD_RUN_TASK_COUNT: '3' })).toThrow('CLOUD_RUN_TASK_INDEX (3) and CLOUD_RUN_TASK_COUNT (3) name no task');
    expect(() => taskShardFromEnv({ CLOUD_RUN_TASK_INDEX: 'x', CLOUD_RUN_TASK_COUNT: '2' })).toThrow(LoaderConfigError);
  });
});
