import { InvalidArgumentError, type Command } from 'commander';

interface ServeOptions {
  demo?: boolean;
  port?: number;
  host?: string;
}

/** The signal that ends the server. Not the embedded BigQuery's helper: a deployed image has no embedded BigQuery. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expects an integer from 0 to 65535');
  return n;
}

/**
 * `landform serve`: the analytics API in the foreground. Prints `ready <url>` once it accepts
 * requests; SIGINT/SIGTERM stop it gracefully (in-flight requests and a running export finish).
 * Exit codes: 0 stopped by a signal, 1 could not start, 2 configuration or readiness error.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Serve the marts over HTTP: vendor/admin KPIs, time series and the export trigger, behind bearer JWTs.')
    .option('--demo', "read the demo's embedded BigQuery data (.landform/bigquery) and accept tokens from `landform token`")
    .option('--port <port>', 'port (default: $PORT, else 8080; 0 picks a free one)', port)
    .option('--host <host>', 'address to bind (default: $LANDFORM_API_HOST, else 127.0.0.1; loopback only with local tokens)')
    .addHelpText(
      'after',
      `
Embedded defaults (--demo, or GOOGLE_CLOUD_PROJECT unset): the demo's data, tokens from \`landform token\`.
With GOOGLE_CLOUD_PROJECT: real BigQuery (application default credentials); tokens verified against
LANDFORM_API_JWKS_URL or LANDFORM_API_PUBLIC_KEY (PEM, LANDFORM_API_PUBLIC_KEY_ALG), with LANDFORM_API_ISSUER
and LANDFORM_API_AUDIENCE; claim names LANDFORM_API_ROLE_CLAIM (role), LANDFORM_API_STORE_CLAIM (store_id).
Also: LANDFORM_MARTS_DATASET, LANDFORM_API_CACHE_TTL_SECONDS (60),
LANDFORM_API_RATE_LIMIT (600 per principal per minute), LANDFORM_API_MAX_BYTES_BILLED (10 GiB),
LANDFORM_EXPORT_ENABLED=true (with DATABASE_URL) for POST /api/v1/admin/exports/run.`,
    )
    .action(async (options: ServeOptions) => {
      const { createLogger } = await import('../../common/logger.js');
      const { createRunLogger } = await import('../../common/human-log.js');
      const api = await import('../../api/index.js');
      // On a terminal: warnings and errors as sentences; off it (Cloud Run) the JSON request logs.
      const level = process.env.LANDFORM_LOG_LEVEL || 'info';
      const logger = createRunLogger('api', { tty: process.stderr.isTTY === true, level, json: createLogger });
      let target: Awaited<ReturnType<typeof api.openServeTarget>>;
      try {
        target = await api.openServeTarget({ demo: options.demo === true, env: process.env, logger });
      } catch (error) {
        const { redactText, secretsOf } = await import('../../common/redact.js');
        const message = redactText((error as Error).message, secretsOf(process.env.DATABASE_URL ?? ''));
        // The demo's state is held by another run (a DemoError with exit code 2: StateInUseError).
        if ((error as { exitCode?: unknown }).exitCode === 2) {
          process.stderr.write(`landform serve: ${message}\n`);
          process.exitCode = 2;
          return;
        }
        process.stderr.write(`landform serve: cannot open the warehouse: ${message}\n`);
        process.exitCode = 1;
        return;
      }
      let running: Awaited<ReturnType<typeof api.startApi>>;
      try {
        const config = api.apiConfigFromEnv({
          env: process.env, projectId: target.projectId, local: target.local,
          ...(options.host !== undefined ? { host: options.host } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
        });
        running = await api.startApi({ config, bigquery: target.bigquery, logger, loadRunner: target.loadRunner, redact: target.redact });
      } catch (error) {
        await target.stop();
        const known = error instanceof api.ApiConfigError || error instanceof api.ApiNotReadyError;
        process.stderr.write(`${known ? '' : 'landform serve: '}${(error as Error).message}\n`);
        process.exitCode = known ? 2 : 1;
        return;
      }
      process.stdout.write(`ready ${running.url} (${target.describe})\n`);
      const signal = await stopSignal();
      process.stderr.write(`landform serve: ${signal}, stopping\n`);
      await running.close();
      await target.stop();
    });
}
