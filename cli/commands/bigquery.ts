import path from 'node:path';
import type { Command } from 'commander';

interface BigQueryOptions {
  port: string;
  data: string;
  /** A string from --token, false from --no-token, undefined when neither was given. */
  token?: string | false;
  allowOrigin: string[];
  maxUploadBytes?: string;
  jobTimeoutMs?: string;
}

/** A positive whole number from a flag, or a message naming the flag. */
function positive(flag: string, value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : `${flag} ${JSON.stringify(value)} must be a positive whole number`;
}

/** Past this after a stop signal the process exits anyway (stop() interrupts running jobs well before). */
const STOP_DEADLINE_MS = 10_000;

/**
 * `landform bigquery`: the embedded BigQuery in the foreground. Prints `ready http://127.0.0.1:<p>`
 * on stdout once it accepts requests, then how clients authenticate: every request needs a bearer
 * token (random unless --token, LANDFORM_BIGQUERY_TOKEN or --no-token), which Google's clients get
 * from the server's metadata endpoint. SIGINT/SIGTERM stop it within a few seconds (running jobs
 * get a short grace, then are interrupted; DuckDB closes) and exit 0.
 * The server module (and DuckDB with it) is imported only when the command runs.
 */
export function registerBigQueryCommand(program: Command): void {
  program
    .command('bigquery')
    .description('Run the embedded BigQuery (BigQuery REST API and a metadata token endpoint on DuckDB) on 127.0.0.1.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '9050')
    .option('--data <dir>', "DuckDB data directory, or ':memory:'", '.landform/bigquery')
    .option('--token <token>', 'bearer token every request must send (default: $LANDFORM_BIGQUERY_TOKEN, else a random one, printed)')
    .option('--no-token', 'serve any local client without a token')
    .option('--allow-origin <origin>', 'a browser origin allowed to call the server (repeatable)', (value: string, all: string[]) => [...all, value], [] as string[])
    .option('--max-upload-bytes <n>', 'largest load-job upload, as sent and after gunzip (default 5 GiB)')
    .option('--job-timeout-ms <n>', 'timeout of jobs that set no jobTimeoutMs (default 6 h)')
    .action(async (options: BigQueryOptions) => {
      const port = Number(options.port);
      const maxUploadBytes = positive('--max-upload-bytes', options.maxUploadBytes);
      const defaultJobTimeoutMs = positive('--job-timeout-ms', options.jobTimeoutMs);
      const problem = !Number.isInteger(port) || port < 0 || port > 65535 ? `--port ${JSON.stringify(options.port)} must be an integer from 0 to 65535` : [maxUploadBytes, defaultJobTimeoutMs].find((v) => typeof v === 'string');
      if (problem !== undefined) {
        process.stderr.write(`landform bigquery: ${problem}\n`);
        process.exitCode = 2;
        return;
      }
      const { chooseToken, startEmbeddedBigQuery, tokenUsage, waitForStopSignal } = await import('@landform/embedded-bigquery');
      const { createLogger } = await import('../../common/logger.js');
      const { mkdir } = await import('node:fs/promises');
      // commander sets `token: true` for a bare --no-token default; only a string is a token.
      const choice = chooseToken(options.token === false ? false : typeof options.token === 'string' ? options.token : undefined);
      if (options.data !== ':memory:') await mkdir(options.data, { recursive: true });
      let bigquery: Awaited<ReturnType<typeof startEmbeddedBigQuery>>;
      try {
        bigquery = await startEmbeddedBigQuery({
          port,
          dataPath: options.data,
          logger: createLogger('embedded-bigquery'),
          ...(choice.token !== undefined ? { token: choice.token } : {}),
          ...(options.allowOrigin.length > 0 ? { allowedOrigins: options.allowOrigin } : {}),
          ...(typeof maxUploadBytes === 'number' ? { maxUploadBytes } : {}),
          ...(typeof defaultJobTimeoutMs === 'number' ? { defaultJobTimeoutMs } : {}),
        });
      } catch (error) {
        // Port taken, data directory locked by another server, a malformed token, ...: one line, no stack.
        process.stderr.write(`landform bigquery: cannot start on 127.0.0.1:${port} with data ${options.data}: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      // Listen before saying ready: a client may stop the server the moment it reads that line.
      const stopping = waitForStopSignal();
      process.stdout.write(`ready ${bigquery.url}\n${tokenUsage(bigquery.url, 'landform-local', choice)}`);
      // The data architect's next step: the exact variables and credentials file for `dataform run`.
      const { prepareDataformSetup } = await import('../../demo/dataform-env.js');
      const { REPO_ROOT } = await import('../../demo/paths.js');
      const stateRoot = options.data === ':memory:' ? path.join(REPO_ROOT, '.landform') : path.dirname(path.resolve(options.data));
      const setup = await prepareDataformSetup({ serverEnv: bigquery.env, stateRoot, projectDir: REPO_ROOT });
      process.stdout.write(`to run Dataform against it (credentials file ${setup.credentialsFile}):\n${setup.shellLines.map((line) => `  ${line}`).join('\n')}\n`);
      const signal = await stopping;
      process.stderr.write(`landform bigquery: ${signal}, stopping\n`);
      const deadline = setTimeout(() => {
        process.stderr.write(`landform bigquery: did not stop within ${STOP_DEADLINE_MS / 1000} s, exiting\n`);
        process.exit(1);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      await bigquery.stop();
    });
}
