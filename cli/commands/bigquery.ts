import type { Command } from 'commander';

interface BigQueryOptions {
  port: string;
  data: string;
}

/**
 * `landform bigquery`: the embedded BigQuery in the foreground. Prints `ready http://127.0.0.1:<p>`
 * on stdout once it accepts requests; SIGINT/SIGTERM stop it (jobs finish, DuckDB closes) and exit 0.
 * The server module (and DuckDB with it) is imported only when the command runs.
 */
export function registerBigQueryCommand(program: Command): void {
  program
    .command('bigquery')
    .description('Run the embedded BigQuery (BigQuery REST API and a metadata token endpoint on DuckDB) on 127.0.0.1.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '9050')
    .option('--data <dir>', "DuckDB data directory, or ':memory:'", '.landform/bigquery')
    .action(async (options: BigQueryOptions) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`landform bigquery: --port ${JSON.stringify(options.port)} must be an integer from 0 to 65535\n`);
        process.exitCode = 2;
        return;
      }
      const { startEmbeddedBigQuery, waitForStopSignal } = await import('@landform/embedded-bigquery');
      const { createLogger } = await import('../../common/logger.js');
      const { mkdir } = await import('node:fs/promises');
      if (options.data !== ':memory:') await mkdir(options.data, { recursive: true });
      let bigquery: Awaited<ReturnType<typeof startEmbeddedBigQuery>>;
      try {
        bigquery = await startEmbeddedBigQuery({ port, dataPath: options.data, logger: createLogger('embedded-bigquery') });
      } catch (error) {
        // Port taken, data directory locked by another server, ...: one line, no stack.
        process.stderr.write(`landform bigquery: cannot start on 127.0.0.1:${port} with data ${options.data}: ${(error as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(`ready ${bigquery.url}\n`);
      const signal = await waitForStopSignal();
      process.stderr.write(`landform bigquery: ${signal}, stopping\n`);
      await bigquery.stop();
    });
}
