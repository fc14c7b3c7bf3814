import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunAs } from './postgres-access.js';

/** Why Postgres did not start, so the caller can say what to do. */
export type PostgresFailure = 'port-in-use' | 'data-dir-locked' | 'permission' | 'spawn' | 'exited';

export class PostgresStartError extends Error {
  constructor(message: string, readonly failure: PostgresFailure, readonly details: { pid?: number; port?: number; log: string }) {
    super(message);
  }
}

export interface RunningPostgres {
  pid: number;
  stop(): Promise<void>;
}

const LOG_TAIL = 4000;

function tail(text: string): string {
  return text.length > LOG_TAIL ? text.slice(-LOG_TAIL) : text;
}

function spawnAs(file: string, args: string[], runAs: RunAs | null): ChildProcess {
  return spawn(file, args, {
    ...(runAs !== null ? { uid: runAs.uid, gid: runAs.gid } : {}),
    // Messages in English so the classification below holds whatever the person's locale is.
    env: { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Classifies a failed start from Postgres' own log, which says why better than any exit code. */
export function classifyStartFailure(log: string): { failure: PostgresFailure; pid?: number } {
  if (/could not bind .*Address already in use|Address already in use/i.test(log)) return { failure: 'port-in-use' };
  const locked = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/i.exec(log);
  if (locked) return { failure: 'data-dir-locked', pid: Number(locked[1]) };
  if (/Permission denied|must be owned by|insufficient permissions/i.test(log)) return { failure: 'permission' };
  return { failure: 'exited' };
}

/** Creates a cluster in `dataDir` (initdb) owned by the account Postgres runs as. */
export async function initCluster(options: { binDir: string; dataDir: string; runAs: RunAs | null; user: string; password: string; onLog: (line: string) => void }): Promise<void> {
  const { binDir, dataDir, runAs } = options;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  // The password travels in a file only its reader can open, next to the data, never in argv.
  const pwFile = path.join(path.dirname(dataDir), `.pg-password-${randomBytes(6).toString('hex')}`);
  await writeFile(pwFile, `${options.password}\n`, { mode: 0o600 });
  if (runAs !== null) {
    await chown(dataDir, runAs.uid, runAs.gid);
    await chown(pwFile, runAs.uid, runAs.gid);
  }
  try {
    const child = spawnAs(path.join(binDir, 'initdb'), [
      `--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${options.user}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C',
    ], runAs);
    let log = '';
    child.stdout?.on('data', (c: Buffer) => options.onLog(c.toString()));
    child.stderr?.on('data', (c: Buffer) => {
      log = tail(log + c.toString());
      options.onLog(c.toString());
    });
    await new Promise<void>((resolve, reject) => {
      child.on('error', (error) => reject(new PostgresStartError(`cannot run ${path.join(binDir, 'initdb')}: ${error.message}`, 'spawn', { log })));
      child.on('close', (code) => {
        if (code === 0) resolve();
        else reject(new PostgresStartError(`initdb failed (exit ${code}): ${log.trim().split('\n').slice(-2).join(' ')}`, classifyStartFailure(log).failure, { log }));
      });
    });
  } finally {
    await rm(pwFile, { force: true });
  }
}

/** Starts `postgres -D dataDir` on `port`; resolves once it accepts connections, rejects with the reason it did not. */
export async function startCluster(options: { binDir: string; dataDir: string; runAs: RunAs | null; port: number; flags: string[]; onLog: (line: string) => void }): Promise<RunningPostgres> {
  const child = spawnAs(path.join(options.binDir, 'postgres'), ['-D', options.dataDir, '-p', String(options.port), ...options.flags], options.runAs);
  let log = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('close', () => {
    exited = true;
    resolve();
  }));
  child.stdout?.on('data', (c: Buffer) => options.onLog(c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (c: Buffer) => {
      const text = c.toString();
      log = tail(log + text);
      options.onLog(text);
      if (log.includes('database system is ready to accept connections')) resolve();
    });
    child.on('error', (error) => reject(new PostgresStartError(`cannot run ${path.join(options.binDir, 'postgres')}: ${error.message}`, 'spawn', { log })));
    void exit.then(() => {
      const { failure, pid } = classifyStartFailure(log);
      reject(new PostgresStartError(`Postgres exited while starting: ${log.trim().split('\n').slice(-2).join(' ')}`, failure, { log, port: options.port, ...(pid !== undefined ? { pid } : {}) }));
    });
  });
  return {
    pid: child.pid ?? 0,
    stop: async () => {
      if (exited) return;
      child.kill('SIGINT'); // Postgres' "fast shutdown": running queries are cancelled, data is flushed.
      const slow = setTimeout(() => child.kill('SIGQUIT'), 30_000);
      await exit;
      clearTimeout(slow);
    },
  };
}
