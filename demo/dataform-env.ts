import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LOCAL_LOCATION, LOCAL_PROJECT_ID } from './bigquery-target.js';

/** Everything a person (or a child process) needs to run the Dataform CLI against an embedded BigQuery. */
export interface DataformSetup {
  /** Dataform's `--credentials` file: project and location only, no key (the token comes from the metadata endpoint). */
  credentialsFile: string;
  /** The variables to set, in the order they are printed. */
  env: Record<string, string>;
  /** `export ...` lines and the commands to paste into another shell. */
  shellLines: string[];
}

// Values that a POSIX shell would split or expand are single-quoted; an empty value is ''.
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes the credentials file under `stateRoot` (and the empty gcloud config dir the environment
 * names) and says how to use them. `serverEnv` is the embedded server's own `env`, so whatever it
 * needs (metadata host, token, ...) is passed on unchanged.
 */
export async function prepareDataformSetup(options: { serverEnv: Record<string, string>; stateRoot: string; projectDir: string }): Promise<DataformSetup> {
  const credentialsFile = path.join(options.stateRoot, 'df-credentials.json');
  await mkdir(options.stateRoot, { recursive: true });
  await writeFile(credentialsFile, `${JSON.stringify({ projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION })}\n`);
  const env = { ...options.serverEnv };
  if (env.CLOUDSDK_CONFIG !== undefined && env.CLOUDSDK_CONFIG !== '') await mkdir(env.CLOUDSDK_CONFIG, { recursive: true });
  const exports = Object.entries(env).map(([name, value]) => `${name}=${shellQuote(value)}`);
  const relativeCredentials = path.relative(options.projectDir, credentialsFile);
  const credentialsArg = shellQuote(relativeCredentials.startsWith('..') ? credentialsFile : relativeCredentials);
  return {
    credentialsFile,
    env,
    shellLines: [
      `# in another shell, from ${options.projectDir}:`,
      ...exports.map((assignment) => `export ${assignment}`),
      `npx dataform run --credentials ${credentialsArg}`,
      `npx dataform test --credentials ${credentialsArg}`,
    ],
  };
}
