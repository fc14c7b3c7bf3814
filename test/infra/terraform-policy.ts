/**
 * Policy checks over the parsed Terraform (a pure function of TerraformConfig): least-privilege
 * IAM, no primitive roles, a safe staging bucket, one dataset per layer, the schedule default,
 * every billable resource gated by enable_export, and secrets passed as secrets.
 */
import { block, blocks, isObject, type HclValue, type TerraformBlock, type TerraformConfig } from './terraform-config.js';

export interface Violation {
  rule: string;
  /** Terraform address (type.name) or variable name the violation is about. */
  subject: string;
  message: string;
}

/** The one role BigQuery grants only at project level (a job is billed to a project). */
export const PROJECT_LEVEL_ALLOWED_ROLE = 'roles/bigquery.jobUser';

/** Additive grants on a single resource: bucket, dataset, secret, Cloud Run job, service account. */
export const SCOPED_IAM_TYPES = new Set([
  'google_storage_bucket_iam_member',
  'google_bigquery_dataset_iam_member',
  'google_secret_manager_secret_iam_member',
  'google_cloud_run_v2_job_iam_member',
  'google_service_account_iam_member',
]);

/** Resource types that cost nothing and may exist while the export lane is disabled. */
export const FREE_TYPES = new Set(['google_project_service']);

export const LAYER_DATASETS = ['landform_raw', 'landform_curated', 'landform_marts', 'landform_assertions'];
export const DEFAULT_LOADER_SCHEDULE = '0 * * * *';

const PRIMITIVE_ROLE = /^roles\/(owner|editor|viewer)$/;
const LEGACY_DATASET_ROLE = /^(OWNER|WRITER|READER)$/;
const SECRET_LIKE_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIALS|DATABASE_URL)/i;

const address = (r: TerraformBlock): string => `${r.type}.${r.name}`;
const isIamType = (type: string): boolean => /_iam_(member|binding|policy)$/.test(type);
const isProjectLevelIam = (type: string): boolean => /^google_(project|folder|organization|billing_account)_iam_/.test(type);

function* strings(value: HclValue | undefined): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (isObject(value)) for (const v of Object.values(value)) yield* strings(v);
}

function checkIamScope(r: TerraformBlock): Violation[] {
  if (!isIamType(r.type)) return [];
  const role = r.body.role;
  const violations: Violation[] = [];
  if (typeof role !== 'string' || !/^roles\/[A-Za-z.]+$/.test(role)) {
    violations.push({ rule: 'iam-role-literal', subject: address(r), message: `role must be a literal predefined role so it can be reviewed, got ${JSON.stringify(role)}` });
  }
  if (r.type.endsWith('_iam_policy') || r.type.endsWith('_iam_binding')) {
    violations.push({ rule: 'iam-additive', subject: address(r), message: `${r.type} is authoritative and can remove others' access; use the matching _iam_member` });
  } else if (isProjectLevelIam(r.type)) {
    if (r.type !== 'google_project_iam_member' || role !== PROJECT_LEVEL_ALLOWED_ROLE) {
      violations.push({ rule: 'iam-scope', subject: address(r), message: `${String(role)} is granted on the project; only ${PROJECT_LEVEL_ALLOWED_ROLE} may be, everything else goes on a bucket, dataset, secret, job or service account` });
    }
  } else if (!SCOPED_IAM_TYPES.has(r.type)) {
    violations.push({ rule: 'iam-scope', subject: address(r), message: `${r.type} is not one of the allowed scopes (${[...SCOPED_IAM_TYPES].join(', ')})` });
  }
  return violations;
}

function checkPrimitiveRoles(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  for (const r of config.resources) {
    for (const s of strings(r.body)) {
      if (PRIMITIVE_ROLE.test(s)) violations.push({ rule: 'no-primitive-roles', subject: address(r), message: `primitive role ${s}` });
    }
    if (r.type === 'google_bigquery_dataset') {
      for (const access of blocks(r.body, 'access')) {
        const role = access.role;
        if (typeof role === 'string' && (LEGACY_DATASET_ROLE.test(role) || PRIMITIVE_ROLE.test(role))) {
          violations.push({ rule: 'no-primitive-roles', subject: address(r), message: `dataset access block grants legacy role ${role}` });
        }
      }
    }
  }
  for (const [name, value] of Object.entries(config.locals)) {
    for (const s of strings(value)) {
      if (PRIMITIVE_ROLE.test(s)) violations.push({ rule: 'no-primitive-roles', subject: `local.${name}`, message: `primitive role ${s}` });
    }
  }
  for (const [name, variable] of Object.entries(config.variables)) {
    for (const s of strings(variable.default)) {
      if (PRIMITIVE_ROLE.test(s)) violations.push({ rule: 'no-primitive-roles', subject: `var.${name}`, message: `primitive role ${s}` });
    }
  }
  return violations;
}

function checkBucket(r: TerraformBlock): Violation[] {
  const subject = address(r);
  const violations: Violation[] = [];
  const fail = (message: string) => violations.push({ rule: 'bucket', subject, message });
  if (r.body.uniform_bucket_level_access !== true) fail('uniform_bucket_level_access must be true');
  if (r.body.public_access_prevention !== 'enforced') fail('public_access_prevention must be "enforced"');
  if (block(r.body, 'versioning')?.enabled !== true) fail('versioning must be enabled');

  const rules = blocks(r.body, 'lifecycle_rule').map((rule) => ({ action: block(rule, 'action') ?? {}, condition: block(rule, 'condition') ?? {} }));
  if (rules.length === 0) {
    violations.push({ rule: 'bucket-lifecycle', subject, message: 'bucket has no lifecycle rules' });
    return violations;
  }
  for (const storageClass of ['NEARLINE', 'COLDLINE']) {
    if (!rules.some((x) => x.action.type === 'SetStorageClass' && x.action.storage_class === storageClass)) {
      violations.push({ rule: 'bucket-lifecycle', subject, message: `no lifecycle rule moves objects to ${storageClass}` });
    }
  }
  const deletes = rules.filter((x) => x.action.type === 'Delete');
  if (!deletes.some((x) => Array.isArray(x.condition.matches_prefix) && x.condition.age !== undefined)) {
    violations.push({ rule: 'bucket-lifecycle', subject, message: 'no lifecycle rule deletes temporary or failed exports by prefix and age' });
  }
  if (!deletes.some((x) => x.condition.days_since_noncurrent_time !== undefined || x.condition.num_newer_versions !== undefined)) {
    violations.push({ rule: 'bucket-lifecycle', subject, message: 'no lifecycle rule deletes noncurrent object versions' });
  }
  return violations;
}

function checkDatasets(config: TerraformConfig): Violation[] {
  const ids = new Set(config.resources.filter((r) => r.type === 'google_bigquery_dataset').map((r) => r.body.dataset_id));
  return LAYER_DATASETS.filter((id) => !ids.has(id)).map((id) => ({ rule: 'datasets', subject: id, message: `no google_bigquery_dataset with dataset_id = "${id}"` }));
}

function checkSchedule(config: TerraformConfig): Violation[] {
  const actual = config.variables.loader_schedule?.default;
  if (actual === DEFAULT_LOADER_SCHEDULE) return [];
  return [{ rule: 'loader-schedule', subject: 'var.loader_schedule', message: `default must be hourly "${DEFAULT_LOADER_SCHEDULE}", got ${JSON.stringify(actual)}` }];
}

function checkGating(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  const flag = config.variables.enable_export;
  if (!flag || flag.default !== false || flag.type !== '${bool}') {
    violations.push({ rule: 'export-gate', subject: 'var.enable_export', message: 'enable_export must be a bool variable defaulting to false' });
  }
  for (const r of config.resources) {
    if (FREE_TYPES.has(r.type)) continue;
    const gate = r.body.count ?? r.body.for_each;
    if (typeof gate !== 'string' || !gate.includes('var.enable_export')) {
      violations.push({ rule: 'export-gate', subject: address(r), message: 'billable resource is not gated by count/for_each on var.enable_export' });
    }
  }
  return violations;
}

function checkSecretEnv(r: TerraformBlock): Violation[] {
  const subject = address(r);
  const violations: Violation[] = [];
  const containers = blocks(r.body, 'template').flatMap((t) => blocks(t, 'template')).flatMap((t) => blocks(t, 'containers'));
  const env = containers.flatMap((c) => blocks(c, 'env'));
  const databaseUrl = env.find((e) => e.name === 'DATABASE_URL');
  // Only the loader reads Postgres (the extract job must not hold its URL: test/infra/extract-policy.ts).
  const isLoader = r.name === 'loader';
  if (isLoader && !databaseUrl) {
    violations.push({ rule: 'secret-env', subject, message: 'the job sets no DATABASE_URL' });
  } else if (databaseUrl && !block(block(databaseUrl, 'value_source') ?? {}, 'secret_key_ref')?.secret) {
    violations.push({ rule: 'secret-env', subject, message: 'DATABASE_URL must come from Secret Manager (value_source.secret_key_ref)' });
  }
  for (const e of env) {
    if (typeof e.name === 'string' && SECRET_LIKE_NAME.test(e.name) && e.value !== undefined) {
      violations.push({ rule: 'secret-env', subject, message: `${e.name} is a plain env value; pass it with value_source.secret_key_ref` });
    }
  }
  return violations;
}

export function checkPolicy(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  for (const r of config.resources) {
    violations.push(...checkIamScope(r));
    if (r.type === 'google_storage_bucket') violations.push(...checkBucket(r));
    if (r.type === 'google_cloud_run_v2_job') violations.push(...checkSecretEnv(r));
  }
  violations.push(...checkPrimitiveRoles(config), ...checkDatasets(config), ...checkSchedule(config), ...checkGating(config));
  return violations;
}

export interface Grant {
  address: string;
  role: string;
  /** The member expression, e.g. ${google_service_account.loader[0].member}. */
  member: string;
  /** The expression naming what the role is granted on (bucket, dataset_id, secret_id, name, service_account_id or project). */
  on: string;
}

const SCOPE_ATTRIBUTES = ['bucket', 'dataset_id', 'secret_id', 'service_account_id', 'name', 'project'];

/** Every IAM grant in the configuration, for review against an expected matrix. */
export function listGrants(config: TerraformConfig): Grant[] {
  return config.resources
    .filter((r) => isIamType(r.type))
    .map((r) => {
      const scope = SCOPE_ATTRIBUTES.find((a) => typeof r.body[a] === 'string') ?? 'project';
      return { address: address(r), role: String(r.body.role), member: String(r.body.member), on: String(r.body[scope] ?? '') };
    })
    .sort((a, b) => a.address.localeCompare(b.address));
}

