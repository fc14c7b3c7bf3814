import type { Command } from 'commander';

/** Dataform commands that talk to BigQuery and so need `--credentials`. */
const NEEDS_CREDENTIALS = new Set(['run', 'test']);

function ends(code: number): Promise<never> {
  return new Promise(() => {
    process.stdout.write('', () => process.exit(code));
  });
}

/**
 * `landform dataform -- <args>`: the project's own Dataform CLI against the embedded BigQuery that
 * holds the demo's data (`.landform/bigquery`, or $LANDFORM_HOME), started for the command and
 * stopped after it, with the environment and credentials file set. When BIGQUERY_EMULATOR_HOST is
 * already set (your own `landform bigquery`), that server is used as it is.
 */
export function registerDataformCommand(program: Command): void {
  program
    .command('dataform')
    .description('Run the Dataform CLI (`run`, `test`, `compile`, ...) against the embedded BigQuery with the demo\'s data, everything set: landform dataform -- run --actions cur_devices')
    .argument('[args...]', 'arguments for the Dataform CLI (put them after --)')
    .allowUnknownOption()
    .action(async (args: string[]) => {
      const { spawn } = await import('node:child_process');
      const { REPO_ROOT, stateDir } = await import('../../demo/paths.js');
      const { dataformCliEntry } = await import('../../demo/dataform.js');
      const { DemoError } = await import('../../demo/errors.js');
      const root = stateDir();
      let code: number;
      let stop: () => Promise<void> = async () => undefined;
      try {
        let env: NodeJS.ProcessEnv = { ...process.env };
        let credentialsFile: string;
        const { prepareDataformSetup } = await import('../../demo/dataform-env.js');
        if ((process.env.BIGQUERY_EMULATOR_HOST ?? '') !== '') {
          // Someone runs their own server and pointed this shell at it: only the credentials file is ours.
          credentialsFile = (await prepareDataformSetup({ serverEnv: {}, stateRoot: root, projectDir: REPO_ROOT })).credentialsFile;
        } else {
          const { acquireStateLock } = await import('../../demo/state-lock.js');
          const { startEmbeddedBigQuery } = await import('@landform/embedded-bigquery');
          const { embeddedStartError, LOCAL_LOCATION, LOCAL_PROJECT_ID } = await import('../../demo/bigquery-target.js');
          const { createLogger } = await import('../../common/logger.js');
          const { mkdir } = await import('node:fs/promises');
          const path = await import('node:path');
          // The data is the demo's: one user of the state dir at a time (DuckDB would refuse a second anyway).
          const lock = await acquireStateLock(root, 'dataform');
          const dataDir = path.join(root, 'bigquery');
          await mkdir(dataDir, { recursive: true });
          const server = await startEmbeddedBigQuery({
            port: 0, dataPath: dataDir, projectId: LOCAL_PROJECT_ID, location: LOCAL_LOCATION,
            logger: createLogger('embedded-bigquery', process.env.LANDFORM_LOG_LEVEL || 'warn'),
          }).catch(async (error: unknown) => {
            await lock.release();
            throw embeddedStartError(error, dataDir);
          });
          stop = async () => {
            await server.stop();
            await lock.release();
          };
          const setup = await prepareDataformSetup({ serverEnv: server.env, stateRoot: root, projectDir: REPO_ROOT });
          env = { ...env, ...setup.env };
          credentialsFile = setup.credentialsFile;
          process.stderr.write(`landform dataform: embedded BigQuery ${server.url} with the data in ${dataDir}\n`);
        }
        const dataformArgs = [...args];
        if (NEEDS_CREDENTIALS.has(dataformArgs[0] ?? '') && !dataformArgs.some((a) => a === '--credentials' || a.startsWith('--credentials='))) {
          dataformArgs.push('--credentials', credentialsFile);
        }
        const child = spawn(process.execPath, [dataformCliEntry(REPO_ROOT), ...dataformArgs], { cwd: REPO_ROOT, env, stdio: 'inherit' });
        // Ctrl-C reaches the child through the terminal; the server is stopped once it has exited.
        process.on('SIGINT', () => undefined);
        code = await new Promise<number>((resolve, reject) => {
          child.on('error', reject);
          child.on('close', (exit) => resolve(exit ?? 1));
        });
      } catch (error) {
        process.stderr.write(`landform dataform: ${(error as Error).message}\n`);
        code = error instanceof DemoError ? error.exitCode : 1;
      } finally {
        await stop().catch(() => undefined);
      }
      await ends(code);
    });
}
