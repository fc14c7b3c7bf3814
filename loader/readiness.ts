/**
 * Fails fast, before any batch starts, with every problem found at once: contracts, the Postgres
 * source (reachable, tables and columns present, types compatible) and the raw dataset in BigQuery.
 */
import { redactText, redactUrl, secretsOf } from '../common/redact.js';
import type { LoadedContract, TableContract, TelemetryContract } from '../contracts/schema/index.js';
import { planColumns } from './source/column-sql.js';
import { readSourceColumns } from './source/source-columns.js';
import { columnDrift, sourceColumnNames } from './schema/evolution.js';
import type { BigQueryTarget } from './publish/bigquery-target.js';
import { sourceClient } from './source/pg-client.js';
import type { LoaderTimeouts } from './timeouts.js';
import { EXPORT_BATCHES_TABLE, QUARANTINE_TABLE } from './publish/raw-schema.js';
import { BASIC_VIEW } from './publish/raw-layer.js';

export class ReadinessError extends Error {
  constructor(readonly problems: string[]) {
    super(`loader not ready:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ReadinessError';
  }
}

export async function sourceProblems(databaseUrl: string, tables: LoadedContract<TableContract>[], metrics: TelemetryContract, timeouts: LoaderTimeouts): Promise<string[]> {
  const client = sourceClient(databaseUrl, timeouts);
  try {
    await client.connect();
  } catch (error) {
    // pg's messages can quote the host and user; never the password, but mask anything URL-shaped anyway.
    return [`cannot connect to Postgres at ${redactUrl(databaseUrl)}: ${redactText((error as Error).message, secretsOf(databaseUrl))}`];
  }
  const problems: string[] = [];
  try {
    const version = await client.query<{ server_version_num: string }>('show server_version_num');
    if (Number(version.rows[0]?.server_version_num ?? 0) < 160000) problems.push('Postgres 16 or newer is required (pg_input_is_valid)');
    for (const { contract, file } of tables) {
      try {
        // A contract column Postgres no longer has stops only that table, at its turn (schema/evolution.ts);
        // a missing table is still a readiness problem (readSourceColumns below names it).
        const names = await sourceColumnNames(client, contract);
        if (names.length > 0 && columnDrift(contract, names).missing.length > 0) continue;
        const columns = await readSourceColumns(client, contract);
        planColumns(contract, columns, contract.metrics_contract ? metrics : undefined);
        await client.query(`select has_table_privilege($1, 'select') as ok`, [`${contract.source.schema}.${contract.source.table}`]).then((r) => {
          if (!r.rows[0]?.ok) problems.push(`${file}: no SELECT privilege on ${contract.source.schema}.${contract.source.table}`);
        });
      } catch (error) {
        problems.push(`${file}: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return problems;
}

/** Where the client sends its requests, for messages. */
export function bigQueryEndpoint(target: BigQueryTarget): string {
  return process.env.BIGQUERY_EMULATOR_HOST ?? target.bigquery.apiEndpoint ?? 'https://bigquery.googleapis.com';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Whether BigQuery answers at all within `budgetMs`, retrying lost connections and 5xx with
 * backoff: any HTTP answer about the dataset counts (a 404 is an answer). Returns the problem, or
 * undefined when it answered. Runs before anything is created, so a bad endpoint changes nothing.
 */
export async function bigQueryUnreachable(target: BigQueryTarget, budgetMs: number): Promise<string | undefined> {
  const probe = await probeBigQuery(target, budgetMs);
  return 'problem' in probe ? probe.problem : undefined;
}

/** As bigQueryUnreachable, and when BigQuery answered, whether the dataset exists (the answer was the dataset, not a 404). */
export async function probeBigQuery(target: BigQueryTarget, budgetMs: number): Promise<{ problem: string } | { datasetExists: boolean }> {
  const deadline = Date.now() + budgetMs;
  let last = 'no answer';
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    const remaining = deadline - Date.now();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), remaining);
    });
    const probe = target.bigquery
      .dataset(target.dataset)
      .get()
      .then(
        () => 'found' as const,
        (error: unknown) => {
          const code = (error as { code?: unknown }).code;
          if (typeof code === 'number' && code < 500) return code === 401 || code === 403 ? (`denied: ${(error as Error).message}` as const) : ('answered' as const);
          last = (error as Error).message;
          return 'failed' as const;
        },
      );
    const outcome = await Promise.race([probe, timedOut]);
    clearTimeout(timer);
    if (outcome === 'found' || outcome === 'answered') return { datasetExists: outcome === 'found' };
    if (outcome.startsWith('denied: ')) return { problem: `BigQuery at ${bigQueryEndpoint(target)} refused the loader's credentials: ${outcome.slice(8)}` };
    if (outcome === 'timeout') last = 'no answer';
    await sleep(Math.min(Math.max(0, deadline - Date.now()), 250 * 2 ** attempt));
  }
  return { problem: `cannot reach BigQuery at ${redactUrl(bigQueryEndpoint(target))} within ${Math.round(budgetMs / 1000)} s (${redactText(last)}); check BIGQUERY_EMULATOR_HOST or the network, or raise --readiness-timeout` };
}

export async function bigQueryProblems(target: BigQueryTarget, tables: LoadedContract<TableContract>[]): Promise<string[]> {
  const dataset = target.bigquery.dataset(target.dataset);
  try {
    const [exists] = await dataset.exists();
    if (!exists) return [`dataset ${target.projectId}.${target.dataset} does not exist (run \`landform load\` once with rights to create it, or apply infra/)`];
  } catch (error) {
    return [`cannot reach BigQuery dataset ${target.projectId}.${target.dataset}: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  for (const name of [EXPORT_BATCHES_TABLE, QUARANTINE_TABLE, ...tables.map((t) => t.contract.name)]) {
    try {
      await dataset.table(name).getMetadata(BASIC_VIEW);
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) problems.push(`table ${target.dataset}.${name} does not exist (ensureRawLayer creates it from the contracts)`);
      else problems.push(`cannot read table ${target.dataset}.${name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
