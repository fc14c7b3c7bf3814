/**
 * The directory uploads are saved in: one per server, `landform-bq-upload-*` in the temp dir,
 * holding an `owner.pid` file. A killed server cannot remove its directory, so each server sweeps
 * at start the directories whose owner is no longer running.
 */
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../process-alive.js';

export const UPLOAD_DIR_PREFIX = 'landform-bq-upload-';
const OWNER_FILE = 'owner.pid';
/** A directory with no owner file (made by an older version) is swept once it is this old. */
const UNOWNED_MAX_AGE_MS = 24 * 3600 * 1000;

async function isStale(dir: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(join(dir, OWNER_FILE), 'utf8');
  } catch {
    const info = await stat(dir).catch(() => undefined);
    return info !== undefined && Date.now() - info.mtimeMs > UNOWNED_MAX_AGE_MS;
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  return pid !== process.pid && !processAlive(pid);
}

/** Removes the upload directories of servers that died; returns how many were removed. */
export async function sweepStaleUploadDirs(parent = tmpdir()): Promise<number> {
  const names = await readdir(parent).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    if (!name.startsWith(UPLOAD_DIR_PREFIX)) continue;
    const dir = join(parent, name);
    if (!(await isStale(dir))) continue;
    await rm(dir, { recursive: true, force: true });
    removed += 1;
  }
  return removed;
}

/** A fresh upload directory owned by this process. */
export async function createUploadDir(parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, UPLOAD_DIR_PREFIX));
  await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`);
  return dir;
}
