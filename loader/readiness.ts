/**
 * Fails fast, before any batch starts, with every problem found at once: contracts, the Postgres
 * source (reachable, tables and columns present, types compatible) and the raw dataset in BigQuery.
 */
import pg from 'pg';
import { redactUrl } from '../common/logger.js';
import type { LoadedContract, TableContract, TelemetryContract } from '../contracts/schema/index.js';
import { planColumns } from './source/column-sql.js';
import { readSourceColumns } from './source/source-columns.js';
import type { BigQueryTarget } from './publish/bigquery-target.js';
import { EXPORT_BATCHES_TABLE, QUARANTINE_TABLE } from './publish/raw-schema.js';

export class ReadinessError extends Error {
  constructor(readonly problems: string[]) {
    super(`loader not ready:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ReadinessError';
  }
}

export async function sourceProblems(databaseUrl: string, tables: LoadedContract<TableContract>[], metrics: TelemetryContract): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'landform-loader', connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    return [`cannot connect to Postgres at ${redactUrl(databaseUrl)}: ${(error as Error).message}`];
  }
  const problems: string[] = [];
  try {
    const version = await client.query<{ server_version_num: string }>('show server_version_num');
    if (Number(version.rows[0]?.server_version_num ?? 0) < 160000) problems.push('Postgres 16 or newer is required (pg_input_is_valid)');
    for (const { contract, file } of tables) {
      try {
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
      const [exists] = await dataset.table(name).exists();
      if (!exists) problems.push(`table ${target.dataset}.${name} does not exist (ensureRawLayer creates it from the contracts)`);
    } catch (error) {
      problems.push(`cannot read table ${target.dataset}.${name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
