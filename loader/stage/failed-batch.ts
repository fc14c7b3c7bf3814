/**
 * A failed batch's staged objects (parts, quarantine file, manifest) move from
 * `{env}/{dataset}/{table}/...` to `{env}/_failed/{dataset}/{table}/...`, where the stage bucket's
 * lifecycle rule deletes them after `stage_failed_delete_after_days` (infra/bucket.tf; the runbook's
 * "Re-run a failed batch"). The FAILURE marker is written there too. Only a GCS stage moves: a local
 * stage keeps a failed batch where it was written. A move that fails leaves the objects in place
 * (logged): the batch has failed already, and its error is what the operator needs.
 */
import type { Logger } from '../../common/logger.js';
import type { BatchPaths } from './layout.js';
import type { Stage } from './stage.js';

export const FAILED_PREFIX = '_failed';

/** `{env}/rest` → `{env}/_failed/rest`. */
export function failedName(env: string, name: string): string {
  if (!name.startsWith(`${env}/`)) throw new Error(`staged object ${name} is not under the environment prefix ${env}/`);
  return `${env}/${FAILED_PREFIX}/${name.slice(env.length + 1)}`;
}

/** A stage that can move objects (GCS: copy, then delete). */
export interface MovableStage extends Stage {
  /** Moves every object whose name starts with `prefix` to `rename(name)`; returns the new names. */
  moveAll(prefix: string, rename: (name: string) => string): Promise<string[]>;
}

function movable(stage: Stage): stage is MovableStage {
  return typeof (stage as Partial<MovableStage>).moveAll === 'function';
}

/** Where the batch's manifest and FAILURE marker are after the move (unchanged when nothing moved). */
export async function moveFailedBatch(stage: Stage, paths: BatchPaths, env: string, log: Logger): Promise<{ manifest: string; failure: string; moved: string[] }> {
  const inPlace = { manifest: paths.manifest, failure: paths.failure, moved: [] };
  if (!movable(stage)) return inPlace;
  try {
    // the stem ends with the batch id, so the prefix names this batch's objects only
    const moved = await stage.moveAll(paths.stem, (name) => failedName(env, name));
    log.info({ objects: moved.length, to: stage.uri(failedName(env, paths.dir)) }, 'moved the failed batch to the _failed prefix');
    return { manifest: failedName(env, paths.manifest), failure: failedName(env, paths.failure), moved };
  } catch (error) {
    log.warn({ err: (error as Error).message }, 'could not move the failed batch to the _failed prefix; its objects stay where they were staged');
    return inPlace;
  }
}
