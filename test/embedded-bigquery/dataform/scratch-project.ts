/**
 * A throwaway Dataform project for tests that drive the unmodified CLI against an embedded BigQuery:
 * workflow settings, a real copy of @dataform/core (the compile sandbox refuses a symlinked
 * node_modules) and a key-less credentials file.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const DATAFORM_CLI = join(REPO, 'node_modules/@dataform/cli/bundle.js');

export interface ScratchProject {
  /** Holds the project and the credentials file, and is the CLI's HOME; remove it when done. */
  root: string;
  projectDir: string;
  credentials: string;
}

export async function createScratchProject(prefix: string, defaultDataset: string): Promise<ScratchProject> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const projectDir = join(root, 'project');
  await mkdir(join(projectDir, 'definitions'), { recursive: true });
  await writeFile(join(projectDir, 'workflow_settings.yaml'), `defaultProject: landform-local\ndefaultLocation: US\ndefaultDataset: ${defaultDataset}\ndefaultAssertionDataset: ${defaultDataset}_assertions\n`);
  await writeFile(join(projectDir, 'package.json'), JSON.stringify({ name: `${defaultDataset}-fixture`, private: true, dependencies: { '@dataform/core': '3.0.62' } }));
  await mkdir(join(projectDir, 'node_modules/@dataform'), { recursive: true });
  await cp(join(REPO, 'node_modules/@dataform/core'), join(projectDir, 'node_modules/@dataform/core'), { recursive: true });
  const credentials = join(root, '.df-credentials.json');
  await writeFile(credentials, JSON.stringify({ projectId: 'landform-local', location: 'US' }));
  return { root, projectDir, credentials };
}

/** `dataform run` on the project with the server's env (nothing else of this process's environment). */
export function runDataform(project: ScratchProject, serverEnv: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [DATAFORM_CLI, 'run', project.projectDir, '--credentials', project.credentials], {
      cwd: project.projectDir,
      env: { PATH: process.env.PATH, HOME: project.root, ...serverEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
