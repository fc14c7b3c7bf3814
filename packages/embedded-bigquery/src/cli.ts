#!/usr/bin/env node
/**
 * `embedded-bigquery`: the server in the foreground. Prints `ready http://127.0.0.1:<port>` on stdout
 * once it accepts requests; SIGINT or SIGTERM stops it (running jobs finish, DuckDB closes), exit 0.
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startEmbeddedBigQuery } from './index.js';
import { waitForStopSignal } from './signals.js';

const USAGE = `usage: embedded-bigquery [--port <n>] [--data <dir | :memory:>] [--project <id>] [--location <loc>]
  --port      port on 127.0.0.1 (default 9050; 0 picks a free one)
  --data      DuckDB data directory, or :memory: (default)
  --project   project id the metadata endpoint reports (default landform-local)
  --location  location of datasets and jobs that name none (default US)
`;

async function main(): Promise<number> {
  let values: { port?: string; data?: string; project?: string; location?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '9050' },
        data: { type: 'string', default: ':memory:' },
        project: { type: 'string' },
        location: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`embedded-bigquery: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`embedded-bigquery: --port ${JSON.stringify(values.port)} must be an integer from 0 to 65535\n`);
    return 2;
  }
  const dataPath = values.data ?? ':memory:';
  let server: Awaited<ReturnType<typeof startEmbeddedBigQuery>>;
  try {
    if (dataPath !== ':memory:') await mkdir(dataPath, { recursive: true });
    server = await startEmbeddedBigQuery({
      port,
      dataPath,
      ...(values.project ? { projectId: values.project } : {}),
      ...(values.location ? { location: values.location } : {}),
    });
  } catch (error) {
    process.stderr.write(`embedded-bigquery: cannot start on 127.0.0.1:${port} with data ${dataPath}: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`ready ${server.url}\n`);
  const signal = await waitForStopSignal();
  process.stderr.write(`embedded-bigquery: ${signal}, stopping\n`);
  await server.stop();
  return 0;
}

process.exitCode = await main();
