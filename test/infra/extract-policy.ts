/**
 * Policy checks for the scheduled extract (infra/extract.tf, infra/export_bucket.tf; a pure function
 * of TerraformConfig): its own gate on top of enable_export, an account with exactly the reviewed
 * grants (dataViewer only on var.extract_source_datasets), the export bucket's lifecycle at the ages
 * of seed 002 §10.2, and credentials that reach the job from Secret Manager only.
 */
import { block, blocks, isObject, type HclObject, type HclValue, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import { listGrants, type Violation } from './terraform-policy.js';

export const EXTRACT_FILES = new Set(['extract.tf', 'export_bucket.tf']);
export const EXTRACT_SA_MEMBER = '${google_service_account.extract[0].member}';
export const EXTRACT_SCHEDULER_MEMBER = '${google_service_account.extract_scheduler[0].member}';
/** role → what it is granted on; the dataViewer grant is one per var.extract_source_datasets entry. */
export const EXTRACT_GRANTS: [string, string][] = [
  ['roles/bigquery.dataViewer', '${each.value}'],
  ['roles/bigquery.dataEditor', '${google_bigquery_dataset.extract[0].dataset_id}'],
  ['roles/bigquery.jobUser', '${var.project_id}'],
  ['roles/storage.objectUser', '${google_storage_bucket.exports[0].name}'],
  ['roles/secretmanager.secretAccessor', '${google_secret_manager_secret.extract[each.key].secret_id}'],
];
/** Datasets an export may read: the modelled layers, never raw data or assertions. */
export const EXPORTABLE_DATASETS = new Set(['landform_curated', 'landform_marts']);
export const EXTRACT_COMMAND = ['node', 'bin/landform.js', 'extract'];
/** Credentials the cross-cloud copies (and `anonymize: hash`) read; each must be a mounted secret. */
export const EXTRACT_SECRET_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AZURE_STORAGE_CONNECTION_STRING', 'LANDFORM_HASH_SALT'];

/** Seed 002 §10.2: storage class steps and the deletes of temporary and failed exports. */
export const EXPORT_LIFECYCLE = {
  storageClassAfterDays: { NEARLINE: 30, COLDLINE: 90, ARCHIVE: 365 } as Record<string, number>,
  tmp: { prefix: '_tmp/', days: 7 },
  deadLetter: { prefix: '_dead_letter/', days: 30 },
};

const address = (r: TerraformBlock): string => `${r.type}.${r.name}`;
const SECRET_LIKE_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIALS|CONNECTION_STRING|ACCESS_KEY|SALT|DATABASE_URL)/i;

/** `${var.x}` → the variable's default; anything else as written. */
export function resolveDefault(config: TerraformConfig, value: HclValue | undefined): HclValue | undefined {
  if (typeof value !== 'string') return value;
  const m = /^\$\{var\.(\w+)\}$/.exec(value);
  return m ? config.variables[m[1] ?? '']?.default : value;
}

/** `${var.environment}/${var.p}` → `{env}/<default of p>`. */
function resolvePrefix(config: TerraformConfig, value: string): string {
  return value.replace('${var.environment}', '{env}').replace(/\$\{var\.(\w+)\}/g, (_, name: string) => String(config.variables[name]?.default ?? `<${name}>`));
}

export function extractJob(config: TerraformConfig): TerraformBlock | undefined {
  return config.resources.find((r) => r.type === 'google_cloud_run_v2_job' && r.name === 'extract');
}

export function extractContainer(job: TerraformBlock): HclObject {
  return blocks(block(block(job.body, 'template') ?? {}, 'template') ?? {}, 'containers')[0] ?? {};
}

export function isExtractResource(r: TerraformBlock): boolean {
  return EXTRACT_FILES.has(r.file) || (r.file === 'monitoring.tf' && r.name.startsWith('extract_'));
}

function checkGate(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  const flag = config.variables.enable_extract;
  if (!flag || flag.default !== false || flag.type !== '${bool}') {
    violations.push({ rule: 'extract-gate', subject: 'var.enable_extract', message: 'enable_extract must be a bool variable defaulting to false' });
  }
  for (const r of config.resources.filter(isExtractResource)) {
    const gate = r.body.count ?? r.body.for_each;
    if (typeof gate !== 'string' || !gate.includes('var.enable_export') || !gate.includes('var.enable_extract')) {
      violations.push({ rule: 'extract-gate', subject: address(r), message: 'extract resource is not gated by count/for_each on both var.enable_export and var.enable_extract' });
    }
  }
  return violations;
}

function checkGrants(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  const fail = (subject: string, message: string) => violations.push({ rule: 'extract-least-privilege', subject, message });
  const grants = listGrants(config);
  const expected = new Set(EXTRACT_GRANTS.map(([role, on]) => `${role} on ${on}`));
  const mine = grants.filter((g) => g.member === EXTRACT_SA_MEMBER);
  for (const g of mine) if (!expected.has(`${g.role} on ${g.on}`)) fail(g.address, `the extract account may hold only the reviewed grants; ${g.role} on ${g.on} is more`);
  for (const e of expected) if (!mine.some((g) => `${g.role} on ${g.on}` === e)) fail('google_service_account.extract', `the extract account lacks ${e}`);
  for (const g of grants.filter((x) => x.member === EXTRACT_SCHEDULER_MEMBER)) {
    if (g.role !== 'roles/run.invoker' || g.on !== '${google_cloud_run_v2_job.extract[0].name}') fail(g.address, 'the extract trigger may only run the extract job');
  }
  // No storage role anywhere but on a bucket (a project-level storage role would open every bucket).
  for (const r of config.resources) {
    if (typeof r.body.role === 'string' && r.body.role.startsWith('roles/storage.') && r.type !== 'google_storage_bucket_iam_member') fail(address(r), `${r.body.role} must be granted on one bucket, not with ${r.type}`);
  }
  // dataViewer: one grant per listed dataset, and the list names exportable datasets only.
  for (const r of config.resources.filter((x) => x.body.member === EXTRACT_SA_MEMBER && x.body.role === 'roles/bigquery.dataViewer')) {
    const each = r.body.for_each;
    if (typeof each !== 'string' || !each.includes('var.extract_source_datasets') || r.body.dataset_id !== '${each.value}') {
      fail(address(r), 'dataViewer must be granted once per entry of var.extract_source_datasets (for_each, dataset_id = each.value)');
    }
  }
  const listed = config.variables.extract_source_datasets?.default;
  if (!Array.isArray(listed) || listed.length === 0 || !listed.every((d) => typeof d === 'string' && EXPORTABLE_DATASETS.has(d))) {
    fail('var.extract_source_datasets', `must default to a non-empty list of ${[...EXPORTABLE_DATASETS].join(', ')}; got ${JSON.stringify(listed)}`);
  }
  const validation = String(block(config.variables.extract_source_datasets ?? {}, 'validation')?.condition ?? '');
  if (![...EXPORTABLE_DATASETS].every((d) => validation.includes(d)) || validation.includes('landform_raw')) {
    fail('var.extract_source_datasets', 'its validation must allow only landform_curated and landform_marts');
  }
  return violations;
}

function checkBucket(config: TerraformConfig): Violation[] {
  const bucket = config.resources.find((r) => r.type === 'google_storage_bucket' && r.name === 'exports');
  if (!bucket) return [{ rule: 'extract-bucket', subject: 'google_storage_bucket.exports', message: 'infra/ must define the export bucket' }];
  const violations: Violation[] = [];
  const fail = (message: string) => violations.push({ rule: 'extract-bucket', subject: address(bucket), message });
  const rules = blocks(bucket.body, 'lifecycle_rule').map((rule) => ({ action: block(rule, 'action') ?? {}, condition: block(rule, 'condition') ?? {} }));
  for (const [storageClass, days] of Object.entries(EXPORT_LIFECYCLE.storageClassAfterDays)) {
    const rule = rules.find((x) => x.action.type === 'SetStorageClass' && x.action.storage_class === storageClass);
    const age = resolveDefault(config, rule?.condition.age);
    if (age !== days) fail(`objects must move to ${storageClass} at ${days} days, got ${JSON.stringify(age)}`);
  }
  for (const [what, { prefix, days }] of Object.entries({ temporary: EXPORT_LIFECYCLE.tmp, failed: EXPORT_LIFECYCLE.deadLetter })) {
    const want = `{env}/${prefix}`;
    const rule = rules.find((x) => x.action.type === 'Delete' && Array.isArray(x.condition.matches_prefix) && x.condition.matches_prefix.some((p) => typeof p === 'string' && resolvePrefix(config, p) === want));
    const age = resolveDefault(config, rule?.condition.age);
    if (age !== days) fail(`${what} exports under ${want} must be deleted at ${days} days, got ${JSON.stringify(age)}`);
  }
  if (rules.some((x) => x.action.type === 'Delete' && x.condition.matches_prefix === undefined && x.condition.age !== undefined)) {
    fail('no rule may delete every export by age: only temporary and failed exports expire');
  }
  return violations;
}

function checkJob(config: TerraformConfig): Violation[] {
  const job = extractJob(config);
  if (!job) return [{ rule: 'extract-job', subject: 'google_cloud_run_v2_job.extract', message: 'infra/ must define the extract job' }];
  const violations: Violation[] = [];
  const fail = (message: string) => violations.push({ rule: 'extract-job', subject: address(job), message });
  const template = block(block(job.body, 'template') ?? {}, 'template') ?? {};
  if (template.service_account !== '${google_service_account.extract[0].email}') fail('the job must run as the extract account');
  const container = extractContainer(job);
  if (container.image !== '${var.loader_image}') fail('the job must run the loader image (var.loader_image)');
  if (JSON.stringify(container.command) !== JSON.stringify(EXTRACT_COMMAND)) fail(`the command must be ${EXTRACT_COMMAND.join(' ')}`);
  if (typeof container.args !== 'string' || !container.args.includes('"--raw-dataset", google_bigquery_dataset.extract[0].dataset_id')) fail('the job must keep its staging tables and lineage in landform_extract (--raw-dataset)');
  const env = blocks(container, 'env');
  for (const e of env) {
    const name = String(e.name);
    if (name === 'DATABASE_URL') fail('the extract job must not receive the Postgres URL');
    else if (SECRET_LIKE_NAME.test(name) && e.value !== undefined) fail(`${name} is a plain env value; pass it with value_source.secret_key_ref`);
  }
  // the configurations name a fixed bucket; without this the job would write where its account cannot
  if (!env.some((e) => e.name === 'LANDFORM_EXPORT_BUCKET' && e.value === '${google_storage_bucket.exports[0].name}')) fail('the job must pass the export bucket as LANDFORM_EXPORT_BUCKET (google_storage_bucket.exports[0].name)');
  const dynamicEnv = blocks(block(container, 'dynamic') ?? {}, 'env');
  const mounted = dynamicEnv.some((d) => {
    const content = block(d, 'content') ?? {};
    const secret = block(block(content, 'value_source') ?? {}, 'secret_key_ref')?.secret;
    return d.for_each === '${local.extract_secret_ids}' && content.value === undefined && typeof secret === 'string' && secret.startsWith('${google_secret_manager_secret.extract[');
  });
  if (!mounted) fail('the cross-cloud credentials must be mounted from google_secret_manager_secret.extract (a dynamic env over local.extract_secret_ids with value_source.secret_key_ref)');
  const catalog = config.locals.extract_secret_catalog;
  for (const name of EXTRACT_SECRET_ENV) {
    if (!isObject(catalog) || !(name in catalog)) fail(`${name} must be one of local.extract_secret_catalog (a Secret Manager secret)`);
  }
  return violations;
}

export function checkExtractPolicy(config: TerraformConfig): Violation[] {
  return [...checkGate(config), ...checkGrants(config), ...checkBucket(config), ...checkJob(config)];
}
