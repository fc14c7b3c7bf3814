#!/usr/bin/env node
/**
 * `embedded-bigquery`: the server in the foreground. Prints `ready http://127.0.0.1:<port>` on stdout
 * once it accepts requests, then how clients authenticate. SIGINT or SIGTERM stops it within a few
 * seconds (running jobs get a short grace, then are interrupted; DuckDB closes), exit 0.
 */
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chooseToken, SERVER_DEFAULTS, startEmbeddedBigQuery, TOKEN_ENV, tokenUsage } from './index.js';
import { waitForStopSignal } from './signals.js';

/** Past this after a stop signal the process exits anyway (stop() interrupts jobs well before). */
const STOP_DEADLINE_MS = 10_000;

const USAGE = `usage: embedded-bigquery [--port <n>] [--data <dir | :memory:>] [--project <id>] [--location <loc>]
                         [--token <t> | --no-token] [--allow-origin <origin>]... [--max-upload-bytes <n>] [--job-timeout-ms <n>]
  --port              port on 127.0.0.1 (default 9050; 0 picks a free one)
  --data              DuckDB data directory, or :memory: (default)
  --project           project id the metadata endpoint reports (default landform-local)
  --location          location of datasets and jobs that name none (default US)
  --token             bearer token every request must send (default: $${TOKEN_ENV}, else a random one, printed)
  --no-token          serve any local client without a token
  --allow-origin      a browser origin allowed to call the server (repeatable; default none)
  --max-upload-bytes  largest load-job upload, as sent and after gunzip (default ${SERVER_DEFAULTS.maxUploadBytes})
  --job-timeout-ms    timeout of jobs that set no jobTimeoutMs (default ${SERVER_DEFAULTS.defaultJobTimeoutMs})
`;

interface Values {
  port?: string;
  data?: string;
  project?: string;
  location?: string;
  token?: string;
  'no-token'?: boolean;
  'allow-origin'?: string[];
  'max-upload-bytes'?: string;
  'job-timeout-ms'?: string;
  help?: boolean;
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--${name} ${JSON.stringify(value)} must be a positive whole number`);
  return n;
}

async function main(): Promise<number> {
  let values: Values;
  let maxUploadBytes: number | undefined;
  let defaultJobTimeoutMs: number | undefined;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '9050' },
        data: { type: 'string', default: ':memory:' },
        project: { type: 'string' },
        location: { type: 'string' },
        token: { type: 'string' },
        'no-token': { type: 'boolean' },
        'allow-origin': { type: 'string', multiple: true },
        'max-upload-bytes': { type: 'string' },
        'job-timeout-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
    if (values.token !== undefined && values['no-token']) throw new Error('--token and --no-token exclude each other');
    maxUploadBytes = positiveInteger('max-upload-bytes', values['max-upload-bytes']);
    defaultJobTimeoutMs = positiveInteger('job-timeout-ms', values['job-timeout-ms']);
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
  const projectId = values.project ?? 'landform-local';
  const choice = chooseToken(values['no-token'] ? false : values.token);
  let server: Awaited<ReturnType<typeof startEmbeddedBigQuery>>;
  try {
    if (dataPath !== ':memory:') await mkdir(dataPath, { recursive: true });
    server = await startEmbeddedBigQuery({
      port,
      dataPath,
      projectId,
      ...(values.location ? { location: values.location } : {}),
      ...(choice.token !== undefined ? { token: choice.token } : {}),
      ...(values['allow-origin'] ? { allowedOrigins: values['allow-origin'] } : {}),
      ...(maxUploadBytes !== undefined ? { maxUploadBytes } : {}),
      ...(defaultJobTimeoutMs !== undefined ? { defaultJobTimeoutMs } : {}),
    });
  } catch (error) {
    process.stderr.write(`embedded-bigquery: cannot start on 127.0.0.1:${port} with data ${dataPath}: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`ready ${server.url}\n${tokenUsage(server.url, projectId, choice)}`);
  const signal = await waitForStopSignal();
  process.stderr.write(`embedded-bigquery: ${signal}, stopping\n`);
  const deadline = setTimeout(() => {
    process.stderr.write(`embedded-bigquery: did not stop within ${STOP_DEADLINE_MS / 1000} s, exiting\n`);
    process.exit(1);
  }, STOP_DEADLINE_MS);
  deadline.unref();
  await server.stop();
  return 0;
}

process.exitCode = await main();
