import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One server per data directory: two would each hold their own index of it and sweep each other's
 * uploads as leftovers. The lock file holds the owner's pid; a lock left by a process that is gone
 * (a crash) is taken over.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'embedded-gcs.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new Error(`data directory ${dir} is in use by another embedded GCS (pid ${owner})`, { cause: error });
      }
      if (owner === process.pid) throw new Error(`data directory ${dir} is already served by this process`, { cause: error });
      await rm(path, { force: true });
    }
  }
  throw new Error(`cannot lock data directory ${dir}`);
}
