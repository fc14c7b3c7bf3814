/**
 * Creates the raw layer from the contracts: the dataset, one raw table per contract, export_batches
 * and quarantine. Idempotent: what exists is left alone, except that contract columns a table lacks
 * are added (NULLABLE), so additive contract changes need no manual migration.
 */
import type { TableContract } from '../../contracts/schema/index.js';
import { sqlIdentifier } from '../../common/identifiers.js';
import { withRetry } from '../retry.js';
import type { BigQueryTarget } from './bigquery-target.js';
import { EXPORT_BATCHES_TABLE, LEASES_TABLE, QUARANTINE_TABLE, exportBatchesOptions, leasesOptions, quarantineOptions, rawTableOptions, type TableOptions } from './raw-schema.js';

const isStatus = (error: unknown, code: number) => (error as { code?: unknown }).code === code;

async function ensureDataset(target: BigQueryTarget): Promise<void> {
  const dataset = target.bigquery.dataset(target.dataset);
  const [exists] = await dataset.exists();
  if (exists) return;
  try {
    await dataset.create({
      ...(target.location ? { location: target.location } : {}),
      description: 'Landform raw layer: Postgres tables and telemetry as landed by the loader, plus export_batches (lineage) and quarantine.',
    });
  } catch (error) {
    if (!isStatus(error, 409)) throw error; // created concurrently
  }
}

async function ensureTable(target: BigQueryTarget, name: string, options: TableOptions): Promise<void> {
  const table = target.bigquery.dataset(target.dataset).table(sqlIdentifier(name, 'table'));
  const [exists] = await table.exists();
  if (!exists) {
    try {
      await table.create(options);
      target.logger?.info({ table: name }, 'created raw table');
      return;
    } catch (error) {
      if (!isStatus(error, 409)) throw error;
    }
  }
  const [metadata] = await table.getMetadata();
  const present = new Set(((metadata.schema?.fields ?? []) as { name: string }[]).map((f) => f.name));
  const missing = options.schema.fields.filter((f) => !present.has(f.name));
  if (missing.length === 0) return;
  // Additive drift only: BigQuery allows adding NULLABLE columns to an existing table.
  const fields = [...(metadata.schema?.fields ?? []), ...missing.map((f) => ({ ...f, mode: 'NULLABLE' }))];
  await table.setMetadata({ schema: { fields } });
  target.logger?.info({ table: name, added: missing.map((f) => f.name) }, 'added contract columns to raw table');
}

export async function ensureRawTables(target: BigQueryTarget, contracts: TableContract[]): Promise<void> {
  const retry = { ...(target.logger ? { logger: target.logger } : {}), ...target.retry };
  await withRetry(() => ensureDataset(target), { label: 'ensure dataset', ...retry });
  await withRetry(() => ensureTable(target, EXPORT_BATCHES_TABLE, exportBatchesOptions), { label: 'ensure export_batches', ...retry });
  await withRetry(() => ensureTable(target, QUARANTINE_TABLE, quarantineOptions), { label: 'ensure quarantine', ...retry });
  await withRetry(() => ensureTable(target, LEASES_TABLE, leasesOptions), { label: 'ensure load_leases', ...retry });
  for (const contract of contracts) {
    await withRetry(() => ensureTable(target, contract.name, rawTableOptions(contract)), { label: `ensure ${contract.name}`, ...retry });
  }
}
