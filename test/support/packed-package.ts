/**
 * For the tests that prove a workspace package stands alone: pack it, install the tarball into an
 * empty project, and run commands there that print `ready <url>`.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const NPM_ENV = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

export interface PackedInstall {
  /** The scratch directory holding the tarball and the project; remove it when done. */
  work: string;
  /** The empty project the tarball was installed into. */
  project: string;
}

/**
 * `npm pack` (which runs the package's prepack build) and `npm install <tarball>` into a new project.
 * `offline`: the package has no dependencies, so nothing may be fetched; otherwise the npm cache
 * (filled by `npm ci`) is preferred.
 */
export async function packAndInstall(packageDir: string, prefix: string, options: { offline?: boolean } = {}): Promise<PackedInstall> {
  const work = await mkdtemp(join(tmpdir(), prefix));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir, env: NPM_ENV, maxBuffer: 16 * 1024 * 1024 });
  const packed = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string }[];
  const tarball = join(work, packed[0]!.filename);
  const project = join(work, 'consumer');
  await mkdir(project, { recursive: true });
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run('npm', ['install', options.offline ? '--offline' : '--prefer-offline', '--no-package-lock', tarball], { cwd: project, env: NPM_ENV, maxBuffer: 16 * 1024 * 1024 });
  return { work, project };
}

/** Resolves with the url a child prints as `ready http://127.0.0.1:<port>`; rejects if it exits first. */
export function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^ready (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${String(code)} before ready: ${stderr}`)));
  });
}

/** SIGTERM, then the exit code (null if a signal ended it). */
export async function stopChild(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}
