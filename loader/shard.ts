/**
 * Cloud Run job task sharding: the tables of a run are split over the job's tasks so that each
 * table is loaded by exactly one task. The owner of a table is a hash of its name modulo the task
 * count: stable (adding a table never moves another) and needing no coordination between tasks.
 */
import { createHash } from 'node:crypto';
import { LoaderConfigError } from './config.js';

export interface TaskShard {
  index: number;
  count: number;
}

/** The task's shard from Cloud Run's CLOUD_RUN_TASK_INDEX / CLOUD_RUN_TASK_COUNT; one task owning everything when unset. */
export function taskShardFromEnv(env: NodeJS.ProcessEnv): TaskShard {
  const rawCount = env.CLOUD_RUN_TASK_COUNT;
  const rawIndex = env.CLOUD_RUN_TASK_INDEX;
  if (rawCount === undefined && rawIndex === undefined) return { index: 0, count: 1 };
  const count = Number(rawCount ?? '1');
  const index = Number(rawIndex ?? '0');
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new LoaderConfigError('CLOUD_RUN_TASK_INDEX', `(${String(rawIndex)}) and CLOUD_RUN_TASK_COUNT (${String(rawCount)}) name no task: the index must be a whole number from 0 to the count minus 1`);
  }
  return { index, count };
}

/** The task (0-based) that owns `table` among `count` tasks. */
export function ownerTask(table: string, count: number): number {
  return createHash('sha256').update(table).digest().readUInt32BE(0) % count;
}

/** The tables of `tables` that `shard` owns, in their order. */
export function tablesOfTask<T>(tables: T[], nameOf: (table: T) => string, shard: TaskShard): T[] {
  if (shard.count === 1) return tables;
  return tables.filter((t) => ownerTask(nameOf(t), shard.count) === shard.index);
}
