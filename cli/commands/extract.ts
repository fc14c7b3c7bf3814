import { CommanderError, InvalidArgumentError, type Command } from 'commander';

// The extracts module and the Google clients load inside the action, so `landform --help` stays fast.

/** Exit codes: 0 every export succeeded or was already done, 1 an export failed its retries, 2 usage or configuration error. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

interface ExtractCliOptions {
  exports?: string[];
  partition?: string;
  dryRun?: boolean;
  json?: boolean;
  progress: boolean;
  project?: string;
  bucket?: string;
  location: string;
  rawDataset: string;
  env: string;
  exportsDir: string;
}

function nameList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expects a comma-separated list of export names');
  return names;
}

function partitionDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new InvalidArgumentError('expects a date YYYY-MM-DD, e.g. 2025-09-16');
  }
  return value;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

function bucketName(value: string): string {
  if (!BUCKET_NAME.test(value)) throw new InvalidArgumentError('expects a GCS bucket name (3-222 lowercase letters, digits, dots, dashes, underscores)');
  return value;
}

class UsageError extends Error {}

interface Warehouse {
  bigquery: import('@google-cloud/bigquery').BigQuery;
  storage: import('@google-cloud/storage').Storage;
  projectId: string;
  location: string;
  stop(): Promise<void>;
}

/**
 * No project and no BIGQUERY_EMULATOR_HOST: the demo's state, as `landform serve --demo` reads it. Its
 * embedded BigQuery and embedded GCS start on the state dir (held with the state lock, so a running
 * `npm start` is named, never disturbed) and stop when the exports are done.
 */
async function openDemoWarehouse(): Promise<Warehouse> {
  const [{ existsSync }, { stateDir, statePaths }, { openLockedDemoWarehouse }, { createLogger }] = await Promise.all([
    import('node:fs'),
    import('../../demo/paths.js'),
    import('../../demo/locked-warehouse.js'),
    import('../../common/logger.js'),
  ]);
  const paths = statePaths(stateDir(process.env));
  if (!existsSync(paths.bigquery)) {
    throw new UsageError(`no project given and no demo state in ${paths.root}: run \`npm start\` first, or pass --project (or set GOOGLE_CLOUD_PROJECT)`);
  }
  const warehouse = await openLockedDemoWarehouse({
    command: 'extract', withGcs: true, env: process.env, logger: createLogger('extract', 'warn'),
    prepare: async (target) => {
      if (target.gcs === null) throw new Error('the demo warehouse started without its embedded GCS');
    },
  });
  const { target } = warehouse;
  const gcs = target.gcs as NonNullable<typeof target.gcs>;
  return { bigquery: target.bigquery, storage: gcs.storage, projectId: target.projectId, location: target.location, stop: () => warehouse.stop() };
}

/** Exit once stdout is flushed (open sockets of the Google clients must not keep a scheduled job alive). */
function finish(code: number): Promise<never> {
  return new Promise(() => {
    process.stdout.write('', () => process.exit(code));
  });
}

async function openWarehouse(options: ExtractCliOptions): Promise<Warehouse> {
  const projectId = options.project ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT;
  if (!projectId && (process.env.BIGQUERY_EMULATOR_HOST ?? '') === '') return openDemoWarehouse();
  if (!projectId) throw new UsageError('no project: pass --project or set GOOGLE_CLOUD_PROJECT');
  const [{ BigQuery }, { Storage }] = await Promise.all([import('@google-cloud/bigquery'), import('@google-cloud/storage')]);
  return {
    // Both honour BIGQUERY_EMULATOR_HOST / STORAGE_EMULATOR_HOST; credentials come from application default credentials.
    bigquery: new BigQuery({ projectId, location: options.location }),
    storage: new Storage({ projectId }),
    projectId,
    location: options.location,
    stop: async () => undefined,
  };
}

async function extract(options: ExtractCliOptions): Promise<number> {
  const [{ runExtracts }, { createLogger }] = await Promise.all([import('../../extracts/index.js'), import('../../common/logger.js')]);
  const warehouse = await openWarehouse(options);
  try {
    return await runAll(options, warehouse, runExtracts, createLogger('extract'));
  } finally {
    await warehouse.stop();
  }
}

async function runAll(
  options: ExtractCliOptions, warehouse: Warehouse, runExtracts: typeof import('../../extracts/index.js').runExtracts, logger: import('../../common/logger.js').Logger,
): Promise<number> {
  const { bigquery, storage, projectId } = warehouse;
  const fromEnv = process.env.LANDFORM_EXPORT_BUCKET || undefined;
  if (options.bucket === undefined && fromEnv !== undefined && !BUCKET_NAME.test(fromEnv)) {
    throw new UsageError(`LANDFORM_EXPORT_BUCKET ${JSON.stringify(fromEnv)} is not a GCS bucket name (3-222 lowercase letters, digits, dots, dashes, underscores)`);
  }
  const bucket = options.bucket ?? fromEnv;
  const live = options.progress && !options.json && process.stderr.isTTY;
  const outcomes = await runExtracts({
    bigquery,
    storage,
    projectId,
    ...(bucket !== undefined ? { bucket } : {}),
    rawDataset: options.rawDataset,
    env: options.env,
    exportsDir: options.exportsDir,
    dryRun: options.dryRun ?? false,
    ...(options.exports ? { only: options.exports } : {}),
    ...(options.partition ? { partition: options.partition } : {}),
    ...(process.env.LANDFORM_HASH_SALT ? { hashSalt: process.env.LANDFORM_HASH_SALT } : {}),
    onProgress: (o) => {
      // one line per export: the log-based metrics and alerts (infra/monitoring.tf) count these
      const fields = { export: o.name, status: o.status, durationMs: o.durationMs, attempts: o.attempts, token: o.token, partition: o.partition, rows: o.rowCount, bytes: o.bytes, manifest: o.manifestUri, jobId: o.jobId, error: o.error, deadLetter: o.deadLetterUri };
      if (o.status === 'FAILURE') logger.error(fields, 'export finished');
      else logger.info(fields, 'export finished');
      if (live) process.stderr.write(`${o.status.padEnd(8)} ${o.name}${o.rowCount !== undefined ? ` (${o.rowCount} rows)` : ''}\n`);
    },
  });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ exports: outcomes }, null, 2)}\n`);
  } else {
    for (const o of outcomes) {
      const detail = o.status === 'SUCCESS' ? `${o.rowCount} rows, ${o.files?.length} file(s), ${o.bytes} bytes, manifest ${o.manifestUri}` : o.status === 'SKIPPED' ? `already exported (token ${o.token})` : o.status === 'PLANNED' ? `would write ${o.destination}` : `${o.error} (dead letter: ${o.deadLetterUri})`;
      process.stdout.write(`${o.status.padEnd(8)} ${o.name.padEnd(32)} ${detail}\n`);
    }
  }
  return outcomes.some((o) => o.status === 'FAILURE') ? EXIT_FAILED : EXIT_OK;
}

export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('Export BigQuery tables and partitions (per contracts/exports/*.yaml) to GCS with manifests, markers and idempotency tokens.')
    .option('--exports <a,b>', 'only these exports (default: all)', nameList)
    .option('--partition <date>', 'export this partition (YYYY-MM-DD) of each export that has a partition_column (default: the whole source, filed under today)', partitionDate)
    .option('--dry-run', 'print what each export would do (or that its token says it is done) and write nothing')
    .option('--json', 'print results as JSON')
    .option('--no-progress', 'no progress lines even on a terminal')
    .option('--project <id>', "GCP project (default: $GOOGLE_CLOUD_PROJECT; with neither it nor BIGQUERY_EMULATOR_HOST, the demo's state: its embedded BigQuery and GCS)")
    .option('--bucket <name>', "GCS bucket to write every export to instead of its configuration's (default: $LANDFORM_EXPORT_BUCKET)", bucketName)
    .option('--location <location>', 'BigQuery location (default: $LANDFORM_LOCATION, else US)', process.env.LANDFORM_LOCATION ?? 'US')
    .option('--raw-dataset <name>', 'dataset of the staging tables and extract_runs', 'landform_raw')
    .option('--env <name>', 'environment segment of the destination layout', process.env.LANDFORM_ENV ?? 'local')
    .option('--exports-dir <dir>', 'export configurations', 'contracts/exports')
    .addHelpText('after', '\nEnvironment: LANDFORM_EXPORT_BUCKET, LANDFORM_HASH_SALT (salt of anonymize: hash), BIGQUERY_EMULATOR_HOST, STORAGE_EMULATOR_HOST, LANDFORM_HOME (where the demo keeps its state).\nExit codes: 0 done or already done, 1 an export failed (see its dead-letter prefix), 2 usage or configuration error.')
    .exitOverride((error: CommanderError) => {
      const code = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? 0 : EXIT_USAGE;
      process.exit(code);
    })
    .action(async (options: ExtractCliOptions) => {
      let code: number;
      try {
        code = await extract(options);
      } catch (error) {
        const { ExtractConfigError } = await import('../../extracts/index.js');
        process.stderr.write(`landform extract: ${error instanceof Error ? error.message : String(error)}\n`);
        // A DemoError with exit code 2: the demo's state is in use (the lock's holder is named) or misconfigured.
        // By name, not class: the deployed image has no demo/ to import it from.
        const demoUsage = error instanceof Error && error.name === 'DemoError' && (error as { exitCode?: unknown }).exitCode === 2;
        code = error instanceof UsageError || error instanceof ExtractConfigError || demoUsage ? EXIT_USAGE : EXIT_FAILED;
      }
      await finish(code);
    });
}
