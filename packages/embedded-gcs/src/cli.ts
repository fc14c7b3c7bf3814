#!/usr/bin/env node
/**
 * `embedded-gcs`: the server in the foreground. Prints `ready http://127.0.0.1:<port>` on stdout
 * once it accepts requests; SIGINT or SIGTERM stops it (open upload sessions are dropped, written
 * objects stay in the data directory), exit 0.
 */
import { parseArgs } from 'node:util';
import { startEmbeddedGcs } from './index.js';
import { waitForStopSignal } from './signals.js';

const USAGE = `usage: embedded-gcs [--port <n>] [--data <dir | :memory:>] [--project <id>] [--allow-origin <origin>]...
  --port          port on 127.0.0.1 (default 9060; 0 picks a free one)
  --data          data directory (created if missing, kept across restarts), or :memory: (default)
  --project       project id the metadata endpoint reports (default landform-local)
  --allow-origin  a browser origin allowed to call the API (repeatable)
  EMBEDDED_GCS_TOKEN, when set, is the bearer token every request must carry.
`;

async function main(): Promise<number> {
  let values: { port?: string; data?: string; project?: string; 'allow-origin'?: string[]; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '9060' },
        data: { type: 'string', default: ':memory:' },
        project: { type: 'string' },
        'allow-origin': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(`embedded-gcs: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? '') || port > 65535) {
    process.stderr.write(`embedded-gcs: --port ${JSON.stringify(values.port)} must be an integer from 0 to 65535\n`);
    return 2;
  }
  const dataPath = values.data ?? ':memory:';
  const token = process.env.EMBEDDED_GCS_TOKEN;
  let server: Awaited<ReturnType<typeof startEmbeddedGcs>>;
  try {
    server = await startEmbeddedGcs({
      port,
      dataPath,
      ...(values.project ? { projectId: values.project } : {}),
      ...(values['allow-origin'] ? { allowedOrigins: values['allow-origin'] } : {}),
      ...(token ? { token } : {}),
    });
  } catch (error) {
    process.stderr.write(`embedded-gcs: cannot start on 127.0.0.1:${port} with data ${dataPath}: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`ready ${server.url}\n`);
  const signal = await waitForStopSignal();
  process.stderr.write(`embedded-gcs: ${signal}, stopping\n`);
  await server.stop();
  return 0;
}

process.exitCode = await main();
