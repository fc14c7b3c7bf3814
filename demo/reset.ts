import { existsSync } from 'node:fs';
import { readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { statePaths } from './paths.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a Postgres left running from the state dir (its postmaster.pid names the process we started). */
export async function stopLeftoverPostgres(dataDir: string): Promise<boolean> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1 || !alive(pid)) return false;
  process.kill(pid, 'SIGINT'); // Postgres' "fast shutdown"
  for (let i = 0; i < 100 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`Postgres (pid ${pid}) from ${dataDir} did not stop; stop it and run reset again`);
  return true;
}

const KNOWN_ENTRIES = new Set(['postgres', 'postgres.json', 'bigquery', 'stage', 'report', 'demo-state.json', 'df-credentials.json', 'last-run.json']);

export interface ResetResult {
  removed: string[];
  /** Entries other tools keep in the same directory (benchmarks, ...): left alone. */
  kept: string[];
  stoppedPostgres: boolean;
}

/** Wipes the demo's state (after stopping a Postgres left running from it); other entries in the directory are kept. */
export async function resetState(root: string): Promise<ResetResult> {
  if (!existsSync(root)) return { removed: [], kept: [], stoppedPostgres: false };
  if (path.resolve(root) === path.parse(path.resolve(root)).root) throw new Error(`refusing to reset the filesystem root (${root})`);
  const entries = (await readdir(root)).sort();
  const stoppedPostgres = await stopLeftoverPostgres(statePaths(root).postgres);
  const removed = entries.filter((e) => KNOWN_ENTRIES.has(e));
  const kept = entries.filter((e) => !KNOWN_ENTRIES.has(e));
  for (const entry of removed) await rm(path.join(root, entry), { recursive: true, force: true });
  if (kept.length === 0) await rm(root, { recursive: true, force: true });
  return { removed, kept, stoppedPostgres };
}
