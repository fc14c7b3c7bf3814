import { CommanderError, InvalidArgumentError, Option, type Command } from 'commander';
import type { LoaderConfig } from '../../loader/index.js';
// Static: a small module without dependencies, so --help can print the defaults.
import { DEFAULT_TIMEOUTS } from '../../loader/timeouts.js';
import { durationSeconds } from '../../contracts/schema/duration.js';

// The loader, pg and the Google clients load inside the actions, so `landform --help` stays fast.

/** Exit codes: 0 every batch succeeded (or had nothing new), 1 a batch failed, 2 usage or configuration error. */
const EXIT_OK = 0;
const EXIT_BATCH_FAILED = 1;
const EXIT_USAGE = 2;

interface LoadOptions {
  tables?: string[];
  dryRun?: boolean;
  from?: string;
  to?: string;
  project?: string;
  rawDataset: string;
  location: string;
  stageDir: string;
  bucket?: string;
  env: string;
  contracts?: string;
  quarantineThreshold?: number;
  safetyLag?: number;
  backfillBatch?: number;
  compression: 'gzip' | 'none';
  progress: boolean;
  json?: boolean;
  connectTimeout?: number;
  statementTimeout?: number;
  idleTimeout?: number;
  requestTimeout?: number;
  jobTimeout?: number;
  readinessTimeout?: number;
}

/** Timeout flags, their environment variables and the LoaderTimeouts field each sets (all in seconds). */
const TIMEOUT_FLAGS = [
  { flag: '--connect-timeout', key: 'connectTimeout', env: 'LANDFORM_PG_CONNECT_TIMEOUT', field: 'connectMs', what: 'Postgres connect' },
  { flag: '--statement-timeout', key: 'statementTimeout', env: 'LANDFORM_PG_STATEMENT_TIMEOUT', field: 'statementMs', what: 'Postgres statement_timeout of the snapshot (one COPY)' },
  { flag: '--idle-timeout', key: 'idleTimeout', env: 'LANDFORM_PG_IDLE_TIMEOUT', field: 'idleInTransactionMs', what: 'Postgres idle_in_transaction_session_timeout of the snapshot' },
  { flag: '--request-timeout', key: 'requestTimeout', env: 'LANDFORM_BQ_REQUEST_TIMEOUT', field: 'requestMs', what: 'one BigQuery/GCS request or a stalled upload' },
  { flag: '--job-timeout', key: 'jobTimeout', env: 'LANDFORM_BQ_JOB_TIMEOUT', field: 'jobMs', what: 'one BigQuery job, then it is cancelled' },
  { flag: '--readiness-timeout', key: 'readinessTimeout', env: 'LANDFORM_READINESS_TIMEOUT', field: 'readinessMs', what: 'reaching Postgres and BigQuery before anything starts' },
] as const;

function tableList(value: string): string[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('expects a comma-separated list of table names');
  return names;
}

function timestamp(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expects an ISO 8601 timestamp, e.g. 2026-01-01T00:00:00Z');
  return new Date(value).toISOString();
}

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('expects a percentage between 0 and 100');
  return n / 100;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expects a number of seconds >= 0');
  return n;
}

/** `6h`, `1d`, `30m` (a contract duration) or plain seconds, at least one second. */
function batchDuration(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : (durationSeconds(value) ?? NaN);
  if (!Number.isFinite(n) || n < 1) throw new InvalidArgumentError('expects a duration such as 6h or 1d (or seconds, at least 1)');
  return n;
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expects a number of seconds > 0');
  return n;
}

/** Each timeout from its flag, else its environment variable; a bad variable is a usage error naming it. */
function timeoutsFrom(options: LoadOptions): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of TIMEOUT_FLAGS) {
    let value = options[t.key];
    const env = process.env[t.env];
    if (value === undefined && env !== undefined && env !== '') {
      value = Number(env);
      if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${t.env} must be a number of seconds > 0`);
    }
    if (value !== undefined) out[t.field] = Math.round(value * 1000);
  }
  return out;
}

class UsageError extends Error {}

/** Flags, then environment, then defaults. DATABASE_URL comes from the environment only (a flag would show the password in `ps`). */
async function buildConfig(options: LoadOptions, needs = { database: true }): Promise<LoaderConfig> {
  const databaseUrl = process.env.DATABASE_URL ?? '';
  if (needs.database && !databaseUrl) throw new UsageError('DATABASE_URL is not set (postgres://user:password@host:port/database)');
  const projectId = options.project ?? process.env.GOOGLE_CLOUD_PROJECT ?? process.env.GCLOUD_PROJECT;
  if (!projectId) throw new UsageError('no project: pass --project or set GOOGLE_CLOUD_PROJECT');
  if ((options.from === undefined) !== (options.to === undefined)) throw new UsageError('--from and --to go together (a backfill needs both ends)');
  if (options.backfillBatch !== undefined && options.from === undefined) throw new UsageError('--backfill-batch sizes the batches of a backfill: give --from and --to too');
  const bucket = options.bucket ?? process.env.LANDFORM_BUCKET;
  const timeouts = timeoutsFrom(options);
  const { BigQuery } = await import('@google-cloud/bigquery');
  const { createLogger } = await import('../../common/logger.js');
  return {
    databaseUrl,
    projectId,
    location: options.location,
    rawDataset: options.rawDataset,
    env: options.env,
    stage: bucket ? { kind: 'gcs', bucket } : { kind: 'local', dir: options.stageDir },
    // Honours BIGQUERY_EMULATOR_HOST; credentials come from application default credentials.
    // The loader gives it the request timeout; its own retries stay on, each attempt bounded by it.
    bigquery: new BigQuery({ projectId, location: options.location }),
    logger: createLogger('loader'),
    progress: options.progress,
    compression: options.compression,
    timeouts,
    ...(options.contracts ? { contractsDir: options.contracts } : {}),
    ...(options.tables ? { tables: options.tables } : {}),
    ...(options.quarantineThreshold !== undefined ? { quarantineThreshold: options.quarantineThreshold } : {}),
    ...(options.safetyLag !== undefined ? { safetyLagSeconds: options.safetyLag } : {}),
    ...(options.from && options.to ? { backfill: { from: options.from, to: options.to } } : {}),
    ...(options.backfillBatch !== undefined ? { backfillBatchSeconds: options.backfillBatch } : {}),
  };
}

async function isConfigError(error: unknown): Promise<boolean> {
  const { LoaderConfigError, ReadinessError } = await import('../../loader/index.js');
  const { ContractError } = await import('../../contracts/schema/index.js');
  const { InvalidIdentifierError } = await import('../../common/identifiers.js');
  return (
    error instanceof UsageError ||
    error instanceof LoaderConfigError ||
    error instanceof ReadinessError ||
    error instanceof ContractError ||
    error instanceof InvalidIdentifierError
  );
}

/** Exit once stdout is flushed (open sockets of the Google clients must not keep a scheduled job alive). */
function finish(code: number): Promise<never> {
  return new Promise(() => {
    process.stdout.write('', () => process.exit(code));
  });
}

function guarded<A extends unknown[]>(action: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    let code: number;
    try {
      code = await action(...args);
    } catch (error) {
      const { redactText, secretsOf } = await import('../../common/redact.js');
      const message = redactText(error instanceof Error ? error.message : String(error), process.env.DATABASE_URL ? secretsOf(process.env.DATABASE_URL) : []);
      process.stderr.write(`landform load: ${message}\n`);
      code = (await isConfigError(error)) ? EXIT_USAGE : EXIT_BATCH_FAILED;
    }
    await finish(code);
  };
}

function usageExit(command: Command): Command {
  // Commander exits 1 on usage errors; this CLI promises 2.
  return command.exitOverride((error: CommanderError) => {
    const code = error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version' ? 0 : EXIT_USAGE;
    process.exit(code);
  });
}

const pad = (value: unknown, width: number) => String(value ?? '-').padEnd(width);

export function registerLoadCommand(program: Command): void {
  const load = usageExit(
    program
      .command('load')
      .description('Land Postgres tables (per contracts/tables/*.yaml) into the BigQuery raw layer, incrementally and exactly once.')
      .option('--tables <a,b>', 'only these table contracts (default: all)', tableList)
      .option('--dry-run', 'print the plan (window start and estimated rows per table) and change nothing')
      .option('--from <timestamp>', 'backfill: re-land rows with cursor >= this (with --to); rows already present are skipped', timestamp)
      .option('--to <timestamp>', 'backfill: ... and cursor <= this', timestamp)
      .option('--backfill-batch <duration>', 'backfill: cursor range per committed batch, e.g. 6h (default 1d); a re-run skips the ranges already committed', batchDuration)
      .option('--project <id>', 'GCP project (default: $GOOGLE_CLOUD_PROJECT)')
      .option('--raw-dataset <name>', 'raw dataset', 'landform_raw')
      .option('--location <location>', 'BigQuery location (default: $LANDFORM_LOCATION, else US)', process.env.LANDFORM_LOCATION ?? 'US')
      .option('--stage-dir <dir>', 'local stage directory (when no bucket is given)', '.landform/stage')
      .option('--bucket <name>', 'GCS stage bucket (default: $LANDFORM_BUCKET; a local directory when unset)')
      .option('--env <name>', 'environment segment of the stage layout', process.env.LANDFORM_ENV ?? 'local')
      .option('--contracts <dir>', 'contracts directory (default: contracts/)')
      .option('--quarantine-threshold <percent>', 'fail a batch when more than this share of its rows is quarantined (default 1)', percent)
      .option('--safety-lag <seconds>', 'leave rows newer than now() minus this for the next run (default 0)', seconds)
      .addOption(new Option('--compression <kind>', 'compression of staged files').choices(['gzip', 'none']).default('gzip'))
      .option('--no-progress', 'no progress bars even on a terminal')
      .option('--json', 'print results as JSON')
      .addHelpText(
        'after',
        `
Timeouts (seconds; flag, else environment, else default):
${TIMEOUT_FLAGS.map((t) => `  ${t.flag.padEnd(20)} ${t.env.padEnd(30)} ${String(DEFAULT_TIMEOUTS[t.field] / 1000).padStart(5)}  ${t.what}`).join('\n')}
Environment: DATABASE_URL (required, except for \`status\`), GOOGLE_CLOUD_PROJECT, LANDFORM_BUCKET, LANDFORM_ENV,
LANDFORM_LOCATION, LANDFORM_HASH_SALT (salt of privacy: hash), BIGQUERY_EMULATOR_HOST (honoured by the BigQuery
client), LANDFORM_LOG_LEVEL. Credentials: Google application default credentials; never flags or files.
A table another run is loading is skipped with the holder named (one run per table at a time).
Exit codes: 0 ok (including skipped tables), 1 a batch failed, 2 usage or configuration error or not ready
(Postgres or BigQuery unreachable within --readiness-timeout).`,
      ),
  );
  for (const t of TIMEOUT_FLAGS) load.option(`${t.flag} <seconds>`, `${t.what} (default: $${t.env}, else ${DEFAULT_TIMEOUTS[t.field] / 1000})`, positiveSeconds);

  load.action(
    guarded(async (options: LoadOptions) => {
      const config = await buildConfig(options);
      const loader = await import('../../loader/index.js');
      if (options.dryRun) {
        const plans = await loader.planLoad(config);
        if (options.json) process.stdout.write(`${JSON.stringify(plans, null, 2)}\n`);
        else {
          process.stdout.write(`${pad('table', 22)} ${pad('mode', 13)} ${pad('window', 12)} ${pad('from', 28)} estimated rows\n`);
          for (const p of plans) process.stdout.write(`${pad(p.table, 22)} ${pad(p.mode, 13)} ${pad(p.window, 12)} ${pad(p.watermarkFrom, 28)} ${p.estimatedRows}\n`);
        }
        return EXIT_OK;
      }
      const { redactText, secretsOf } = await import('../../common/redact.js');
      const secrets = secretsOf(config.databaseUrl);
      const results = (await loader.runLoad(config)).map((r) => (r.error ? { ...r, error: redactText(r.error, secrets) } : r));
      if (options.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else {
        for (const r of results) {
          process.stdout.write(
            r.status === 'skipped'
              ? `${pad(r.table, 22)} ${pad(r.status, 9)} ${r.error ?? ''}\n`
              : `${pad(r.table, 22)} ${pad(r.status, 9)} batch ${r.batchId} extracted ${r.rowsExtracted} loaded ${r.rowsLoaded} duplicate ${r.rowsSkippedDuplicate} quarantined ${r.rowsQuarantined} watermark ${r.watermarkTo ?? '-'}${r.deletes ? ` deleted ${r.deletes.tombstones}` : ''}${r.backfill ? ` ranges ${r.backfill.batchIds.length} landed, ${r.backfill.alreadyCommitted} of ${r.backfill.ranges} already committed` : ''}${r.error ? `\n    error: ${r.error}` : ''}${(r.warnings ?? []).map((w) => `\n    warning: ${w}`).join('')}\n`,
          );
        }
      }
      return results.some((r) => r.status === 'failed') ? EXIT_BATCH_FAILED : EXIT_OK;
    }),
  );

  usageExit(
    load
      .command('status')
      .description('Show the newest batches per table from landform_raw.export_batches (watermark, rows, status, contract hash).')
      .option('--per-table <n>', 'batches per table', (v) => Number.parseInt(v, 10), 3)
      .option('--json', 'print JSON'),
  ).action(
    guarded(async (options: { perTable: number; json?: boolean }) => {
      const parent = load.opts<LoadOptions>();
      // Reads only BigQuery: no DATABASE_URL needed.
      const config = await buildConfig({ ...parent, progress: false }, { database: false });
      const loader = await import('../../loader/index.js');
      const rows = await loader.loadStatus(config, options.perTable);
      // `--json` after `status` is taken by the parent command (same flag name): honour either.
      if (options.json || parent.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        process.stdout.write(`${pad('table', 22)} ${pad('status', 10)} ${pad('batch', 13)} ${pad('started', 28)} ${pad('watermark', 28)} ${pad('loaded', 8)} ${pad('dup', 6)} ${pad('quar', 5)} contract\n`);
        for (const r of rows) {
          process.stdout.write(
            `${pad(r.table_name, 22)} ${pad(r.status, 10)} ${pad(r.batch_id, 13)} ${pad(r.started_at, 28)} ${pad(r.watermark_to, 28)} ${pad(r.rows_loaded, 8)} ${pad(r.rows_skipped_duplicate, 6)} ${pad(r.rows_quarantined, 5)} ${(r.contract_hash ?? '-').slice(0, 12)}${r.error ? `\n    error: ${r.error}` : ''}\n`,
          );
        }
      }
      return EXIT_OK;
    }),
  );
}
