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
async function stopLeftoverPostgres(dataDir: string): Promise<boolean> {
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

/** Wipes the demo's state dir after stopping what runs from it; refuses a directory that is not one. */
export async function resetState(root: string): Promise<{ removed: boolean; stoppedPostgres: boolean }> {
  if (!existsSync(root)) return { removed: false, stoppedPostgres: false };
  const entries = await readdir(root);
  const foreign = entries.filter((e) => !KNOWN_ENTRIES.has(e));
  if (path.resolve(root) === path.parse(path.resolve(root)).root || foreign.length > 0) {
    throw new Error(`${root} does not look like a Landform state dir (unexpected: ${foreign.slice(0, 5).join(', ') || 'filesystem root'}); not removing it`);
  }
  const stoppedPostgres = await stopLeftoverPostgres(statePaths(root).postgres);
  await rm(root, { recursive: true, force: true });
  return { removed: true, stoppedPostgres };
}
