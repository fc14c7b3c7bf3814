/**
 * Export configurations (contracts/exports/*.yaml): what `landform extract` sends out of BigQuery,
 * in which format, to which destinations, and which columns are anonymized or left out first.
 * The shape is zod; the rules that relate fields (a codec valid for the format, a column both
 * anonymized and excluded) are checked here too: unlike table contracts, the Dataform compile
 * sandbox never reads exports, so no CommonJS copy of these rules is needed.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { canonicalHash } from './canonical.js';
import { ContractError, formatPath } from './errors.js';
import { parseYamlText } from './parse.js';
import { identifier, privacyPolicySchema } from './schema.js';

const text = z.string().trim().min(1, 'must not be empty');
/** `dataset.table`, both lower snake_case, as the marts are named. */
const tablePath = z.string().regex(/^[a-z_][a-z0-9_]{0,1023}\.[a-z_][a-z0-9_]{0,1023}$/, 'must be dataset.table, e.g. landform_marts.mart_vendor_kpis_daily');
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;

export const exportFormatSchema = z.enum(['parquet', 'jsonl', 'csv']);
export const exportCompressionSchema = z.enum(['none', 'gzip', 'snappy', 'zstd']);
const CODECS: Record<z.infer<typeof exportFormatSchema>, readonly string[]> = {
  parquet: ['none', 'snappy', 'zstd', 'gzip'],
  jsonl: ['none', 'gzip'],
  csv: ['none', 'gzip'],
};

export const destinationSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('gcs'), bucket: z.string().regex(BUCKET, 'must be a GCS bucket name') }),
  z.strictObject({ kind: z.literal('s3'), bucket: z.string().regex(BUCKET, 'must be an S3 bucket name'), prefix: z.string().default('') }),
  z.strictObject({ kind: z.literal('azure'), container: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61}[a-z0-9])$/, 'must be an Azure container name'), prefix: z.string().default('') }),
]);

export const exportConfigSchema = z
  .strictObject({
    name: identifier,
    description: text,
    /** Folder and file name stem in the destination (default: the source table's name; required for a query). */
    entity: identifier.optional(),
    source: z.union([
      z.strictObject({ table: tablePath, partition_column: identifier.optional() }),
      z.strictObject({ query: text, dataset: identifier, partition_column: identifier.optional() }),
    ]),
    format: exportFormatSchema,
    compression: exportCompressionSchema,
    csv: z.strictObject({ header: z.boolean().default(true), delimiter: z.string().length(1).default(',') }).optional(),
    destinations: z.array(destinationSchema).min(1, 'must name at least one destination'),
    /** Cron expression of the scheduled run (Cloud Scheduler); informative offline. */
    schedule: z.string().regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression').optional(),
    mode: z.enum(['append', 'overwrite']).default('append'),
    anonymize: z.record(identifier, privacyPolicySchema).default({}),
    exclude: z.array(identifier).default([]),
  })
  .superRefine((config, ctx) => {
    if (!CODECS[config.format].includes(config.compression)) {
      ctx.addIssue({ code: 'custom', path: ['compression'], message: `${config.compression} is not a codec for ${config.format} (allowed: ${CODECS[config.format].join(', ')})` });
    }
    if ('query' in config.source && !config.entity) ctx.addIssue({ code: 'custom', path: ['entity'], message: 'a query source needs an entity (the folder and file name stem)' });
    if (config.csv && config.format !== 'csv') ctx.addIssue({ code: 'custom', path: ['csv'], message: 'csv options need format: csv' });
    for (const column of config.exclude) {
      if (config.anonymize[column]) ctx.addIssue({ code: 'custom', path: ['exclude'], message: `${column} is both anonymized and excluded` });
    }
    if (!config.destinations.some((d) => d.kind === 'gcs')) {
      // S3 and Azure receive copies of what the extract job wrote to GCS
      ctx.addIssue({ code: 'custom', path: ['destinations'], message: 'must include a gcs destination (the extract job writes there; s3 and azure get copies)' });
    }
  });

export type ExportConfig = z.infer<typeof exportConfigSchema>;
export type ExportDestination = z.infer<typeof destinationSchema>;

export interface LoadedExport {
  config: ExportConfig;
  /** sha256 hex of the canonical form: part of the idempotency token, so a changed config exports again. */
  hash: string;
  file: string;
}

export type ExportValidation = { ok: true; exports: LoadedExport[] } | { ok: false; errors: ContractError[] };

/** Every export configuration in `dir` (contracts/exports), or every problem found in them. */
export async function loadExportConfigs(dir: string): Promise<ExportValidation> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /\.ya?ml$/.test(n)).sort();
  const errors: ContractError[] = [];
  const exports: LoadedExport[] = [];
  for (const name of names) {
    const file = path.join(path.basename(dir), name);
    const yaml = parseYamlText(await readFile(path.join(dir, name), 'utf8'), file);
    if (!yaml.ok) {
      errors.push(...yaml.errors);
      continue;
    }
    const parsed = exportConfigSchema.safeParse(yaml.value);
    if (!parsed.success) {
      errors.push(...parsed.error.issues.map((i) => new ContractError(file, formatPath(i.path), i.message)));
      continue;
    }
    if (parsed.data.name !== name.replace(/\.ya?ml$/, '')) errors.push(new ContractError(file, 'name', `must match the file name (${name})`));
    else exports.push({ config: parsed.data, hash: canonicalHash(parsed.data), file });
  }
  const seen = new Set<string>();
  for (const e of exports) {
    if (seen.has(e.config.name)) errors.push(new ContractError(e.file, 'name', `duplicate export name ${e.config.name}`));
    seen.add(e.config.name);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, exports };
}

/** Where the entity's files go and what the token names: the configured entity, else the table's name. */
export function exportEntity(config: ExportConfig): { dataset: string; entity: string } {
  if ('table' in config.source) {
    const [dataset, table] = config.source.table.split('.') as [string, string];
    return { dataset, entity: config.entity ?? table };
  }
  return { dataset: config.source.dataset, entity: config.entity ?? config.name };
}
