/**
 * Creates the raw layer from the contracts: the dataset, one raw table per contract, export_batches
 * and quarantine. Idempotent: what exists is left alone, except that contract columns a table lacks
 * are added (NULLABLE), so additive contract changes need no manual migration. On the common path
 * (every table there with every column) it costs one datasets.get and one INFORMATION_SCHEMA query.
 */
import type { TableMetadata } from '@google-cloud/bigquery';
import type { TableContract } from '../../contracts/schema/index.js';
import { bigQueryDatasetPath, sqlIdentifier } from '../../common/identifiers.js';
import { withRetry } from '../retry.js';
import { runQuery, type BigQueryTarget } from './bigquery-target.js';
import { EXPORT_BATCHES_TABLE, LEASES_TABLE, QUARANTINE_TABLE, exportBatchesOptions, leasesOptions, quarantineOptions, rawTableOptions, type TableOptions } from './raw-schema.js';

/** tables.get without numRows/numBytes (TableMetadataView BASIC). */
export const BASIC_VIEW = { view: 'BASIC' } as const;

const isStatus = (error: unknown, code: number) => (error as { code?: unknown }).code === code;

/** Whether the dataset was there already (false: this call created it, so it holds no table yet). */
async function ensureDataset(target: BigQueryTarget): Promise<boolean> {
  const dataset = target.bigquery.dataset(target.dataset);
  const [exists] = await dataset.exists();
  if (exists) return true;
  try {
    await dataset.create({
      ...(target.location ? { location: target.location } : {}),
      description: 'Landform raw layer: Postgres tables and telemetry as landed by the loader, plus export_batches (lineage) and quarantine.',
    });
  } catch (error) {
    if (!isStatus(error, 409)) throw error; // created concurrently
    return true;
  }
  return false;
}

/**
 * The column names of every table in the dataset, from one INFORMATION_SCHEMA.COLUMNS query (the
 * dataset-qualified view, in the dataset's own location); staging tables left out. Null when the
 * view cannot be read: the caller then checks each table with tables.get.
 */
export async function datasetColumns(target: BigQueryTarget): Promise<Map<string, Set<string>> | null> {
  const view = `${bigQueryDatasetPath(target.projectId, target.dataset)}.INFORMATION_SCHEMA.COLUMNS`;
  try {
    const { rows } = await runQuery<{ table_name: string; column_name: string }>(target, 'raw layer columns', `select table_name, column_name from ${view} where not starts_with(table_name, '_stage_')`);
    const columns = new Map<string, Set<string>>();
    for (const { table_name: table, column_name: column } of rows) {
      const names = columns.get(table) ?? new Set<string>();
      names.add(column);
      columns.set(table, names);
    }
    return columns;
  } catch (error) {
    target.logger?.debug({ err: (error as Error).message }, 'could not read the raw layer from INFORMATION_SCHEMA; checking each table');
    return null;
  }
}

/**
 * One table the INFORMATION_SCHEMA query did not find complete: tables.get in the BASIC view (the
 * schema without storage statistics, which BigQuery calls the cheaper read; the embedded BigQuery
 * would count the rows and bytes of a large raw table each time), then create it or add its
 * missing columns.
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

/** At most this many tables are checked at once with tables.get. */
const CONCURRENT_TABLE_CHECKS = 8;

/**
 * `datasetExists`: the caller has just seen the dataset (the readiness probe), so it is not looked
 * up again; `columns`: datasetColumns as the caller read it after that (alongside the source's
 * readiness checks), so it is not read again.
 */
export async function ensureRawTables(target: BigQueryTarget, contracts: TableContract[], options: { datasetExists?: boolean; columns?: Map<string, Set<string>> | null } = {}): Promise<void> {
  const retry = { ...(target.logger ? { logger: target.logger } : {}), ...target.retry };
  const existed = options.datasetExists === true || (await withRetry(() => ensureDataset(target), { label: 'ensure dataset', ...retry }));
  const all: [string, TableOptions][] = [
    [EXPORT_BATCHES_TABLE, exportBatchesOptions],
    [QUARANTINE_TABLE, quarantineOptions],
    [LEASES_TABLE, leasesOptions],
    ...contracts.map((contract): [string, TableOptions] => [contract.name, rawTableOptions(contract)]),
  ];
  // A table found with every column it should have needs nothing; the others (missing, lacking a
  // column, or all of them when the view could not be read) go through tables.get and create/patch.
  const present = !existed ? new Map<string, Set<string>>() : options.columns !== undefined ? options.columns : await datasetColumns(target);
  const complete = (name: string, options: TableOptions) => {
    const columns = present?.get(name);
    return columns !== undefined && options.schema.fields.every((f) => columns.has(f.name));
  };
  const tables = all.filter(([name, options]) => !complete(name, options));
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
