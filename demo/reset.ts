import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { DemoError } from './errors.js';
import { statePaths } from './paths.js';
import { linkedDataDir } from './postgres-placement.js';
import { LOCK_FILE } from './state-lock.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process, or null where /proc cannot tell. */
async function commandLine(pid: number): Promise<string | null> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ').trim();
  } catch {
    return null;
  }
}

/**
 * Stops a Postgres left running from the state dir by a run that died (its postmaster.pid names it).
 * The caller holds the state lock, so no live run owns that server; a process that is not a Postgres
 * on this data dir (a recycled pid) is never signalled.
 */
export async function stopLeftoverPostgres(dataDir: string): Promise<boolean> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return false;
  const cmdline = await commandLine(pid);
  if (cmdline !== null && !/postgres/.test(cmdline)) return false;
  if (cmdline !== null && !cmdline.includes(path.resolve(dataDir)) && !cmdline.includes(dataDir)) {
    throw new DemoError(`the Postgres data in ${dataDir} is in use by another process (pid ${pid}: ${cmdline.slice(0, 120)}); stop it, or set LANDFORM_HOME to another directory`, 2);
  }
  process.kill(pid, 'SIGINT'); // Postgres' "fast shutdown"
  for (let i = 0; i < 100 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`Postgres (pid ${pid}) from ${dataDir} did not stop; stop it and run reset again`);
  return true;
}

const KNOWN_ENTRIES = new Set(['postgres', 'postgres.json', 'bigquery', 'gcs', 'stage', 'report', 'demo-state.json', 'df-credentials.json', 'last-run.json']);

export interface ResetResult {
  removed: string[];
  /** Entries other tools keep in the same directory (benchmarks, ...): left alone. */
  kept: string[];
  stoppedPostgres: boolean;
}

/** Wipes the demo's state (after stopping a Postgres left running from it); other entries in the directory are kept. */
export async function resetState(root: string, options: { sharedRoot?: string } = {}): Promise<ResetResult> {
  if (!existsSync(root)) return { removed: [], kept: [], stoppedPostgres: false };
  if (path.resolve(root) === path.parse(path.resolve(root)).root) throw new Error(`refusing to reset the filesystem root (${root})`);
  // The lock belongs to whoever called reset (it holds it); it is neither removed nor "kept".
  const entries = (await readdir(root)).filter((e) => e !== LOCK_FILE).sort();
  const pgDir = statePaths(root).postgres;
  const shared = await linkedDataDir(pgDir, options.sharedRoot);
  const stoppedPostgres = await stopLeftoverPostgres(shared ?? pgDir);
  if (shared !== null) await rm(shared, { recursive: true, force: true });
  const removed = entries.filter((e) => KNOWN_ENTRIES.has(e));
  const kept = entries.filter((e) => !KNOWN_ENTRIES.has(e));
  for (const entry of removed) await rm(path.join(root, entry), { recursive: true, force: true });
  if (kept.length === 0) await rm(root, { recursive: true, force: true });
  return { removed, kept, stoppedPostgres };
}
