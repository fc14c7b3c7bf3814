import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DemoError } from './errors.js';

/** Who holds a state dir: written into its `lock` file. */
export interface LockOwner {
  pid: number;
  command: string;
  startedAt: string;
}

export class StateInUseError extends DemoError {
  constructor(readonly root: string, readonly owner: LockOwner) {
    super(`${root} is in use by landform ${owner.command} (pid ${owner.pid}) since ${clock(owner.startedAt)}; wait for it or stop it`, 2);
  }
}

export interface StateLock {
  owner: LockOwner;
  /** The owner a stale lock named, when this lock took it over. */
  tookOverFrom: LockOwner | null;
  release(): Promise<void>;
}

export const LOCK_FILE = 'lock';

function clock(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}

/** Alive, and (where /proc says) still a Node process: a recycled pid running something else is stale. */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    return /node|landform|jest/.test(readFileSync(cmdline, 'utf8'));
  } catch {
    return true;
  }
}

async function readOwner(file: string): Promise<LockOwner | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' ? { pid: parsed.pid, command: String(parsed.command ?? 'demo'), startedAt: String(parsed.startedAt ?? '') } : null;
  } catch {
    return null; // Half-written by an owner that died between open and write: stale.
  }
}

/**
 * Takes the state dir for this process: one run, simulate or reset at a time, so nobody stops
 * another run's servers. A lock whose owner is gone is taken over (and reported in `tookOverFrom`).
 * The lock file goes when `release()` is called or the process exits; only SIGKILL leaves it, stale.
 */
export async function acquireStateLock(root: string, command: string): Promise<StateLock> {
  await mkdir(root, { recursive: true });
  const file = path.join(root, LOCK_FILE);
  const owner: LockOwner = { pid: process.pid, command, startedAt: new Date().toISOString() };
  let tookOverFrom: LockOwner | null = null;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      await writeFile(file, `${JSON.stringify(owner)}\n`, { flag: 'wx' });
      const onExit = (): void => {
        try {
          if (readFileSync(file, 'utf8').includes(`"pid":${process.pid},`)) unlinkSync(file);
        } catch {
          // Already gone (reset removed the whole directory).
        }
      };
      process.once('exit', onExit);
      return {
        owner, tookOverFrom,
        release: async () => {
          process.removeListener('exit', onExit);
          onExit();
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await readOwner(file);
    if (current !== null && current.pid !== process.pid && processAlive(current.pid)) throw new StateInUseError(root, current);
    tookOverFrom = current ?? tookOverFrom;
    await rm(file, { force: true });
  }
  throw new DemoError(`could not take the lock ${file}: other runs keep taking it; try again`, 2);
}
