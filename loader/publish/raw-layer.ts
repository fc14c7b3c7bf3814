/**
 * Creates the raw layer from the contracts: the dataset, one raw table per contract, export_batches
 * and quarantine. Idempotent: what exists is left alone, except that contract columns a table lacks
 * are added (NULLABLE), so additive contract changes need no manual migration.
 */
import type { TableMetadata } from '@google-cloud/bigquery';
import type { TableContract } from '../../contracts/schema/index.js';
import { sqlIdentifier } from '../../common/identifiers.js';
import { withRetry } from '../retry.js';
import type { BigQueryTarget } from './bigquery-target.js';
import { EXPORT_BATCHES_TABLE, LEASES_TABLE, QUARANTINE_TABLE, exportBatchesOptions, leasesOptions, quarantineOptions, rawTableOptions, type TableOptions } from './raw-schema.js';

/** tables.get without numRows/numBytes (TableMetadataView BASIC). */
export const BASIC_VIEW = { view: 'BASIC' } as const;

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

/**
 * One tables.get per table on the common path (it exists, with every contract column), in the
 * BASIC view: the schema without storage statistics, which BigQuery calls the cheaper read (the
 * embedded BigQuery would count the rows and bytes of a large raw table each time).
 */
async function ensureTable(target: BigQueryTarget, name: string, options: TableOptions): Promise<void> {
  const table = target.bigquery.dataset(target.dataset).table(sqlIdentifier(name, 'table'));
  let metadata: TableMetadata;
  try {
    [metadata] = await table.getMetadata(BASIC_VIEW);
  } catch (error) {
    if (!isStatus(error, 404)) throw error;
    try {
      await table.create(options);
      target.logger?.info({ table: name }, 'created raw table');
      return;
    } catch (createError) {
      if (!isStatus(createError, 409)) throw createError; // created concurrently: check its columns
      [metadata] = await table.getMetadata(BASIC_VIEW);
    }
  }
  const present = new Set(((metadata.schema?.fields ?? []) as { name: string }[]).map((f) => f.name));
  const missing = options.schema.fields.filter((f) => !present.has(f.name));
  if (missing.length === 0) return;
  // Additive drift only: BigQuery allows adding NULLABLE columns to an existing table.
  const fields = [...(metadata.schema?.fields ?? []), ...missing.map((f) => ({ ...f, mode: 'NULLABLE' }))];
  await table.setMetadata({ schema: { fields } });
  target.logger?.info({ table: name, added: missing.map((f) => f.name) }, 'added contract columns to raw table');
}

/** At most this many tables are checked at once (each check is one request on the common path). */
const CONCURRENT_TABLE_CHECKS = 8;

export async function ensureRawTables(target: BigQueryTarget, contracts: TableContract[]): Promise<void> {
  const retry = { ...(target.logger ? { logger: target.logger } : {}), ...target.retry };
  await withRetry(() => ensureDataset(target), { label: 'ensure dataset', ...retry });
  const tables: [string, TableOptions][] = [
    [EXPORT_BATCHES_TABLE, exportBatchesOptions],
    [QUARANTINE_TABLE, quarantineOptions],
    [LEASES_TABLE, leasesOptions],
    ...contracts.map((contract): [string, TableOptions] => [contract.name, rawTableOptions(contract)]),
  ];
  // Each table is its own resource, so they are checked side by side; the first failure is thrown
  // once every check has ended (none is left running behind the caller).
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tables.length; i = next++) {
      const [name, options] = tables[i] as [string, TableOptions];
      await withRetry(() => ensureTable(target, name, options), { label: `ensure ${name}`, ...retry });
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(CONCURRENT_TABLE_CHECKS, tables.length) }, worker));
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failed) throw failed.reason;
}
