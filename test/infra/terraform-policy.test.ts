import { beforeAll, describe, expect, test } from '@jest/globals';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { blocks, loadTerraform, type HclObject, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import { checkPolicy, listGrants, type Violation } from './terraform-policy.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../infra');

let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraform(infraDir);
});

/** A deep copy to mutate, so each negative test starts from the real configuration. */
const mutable = (): TerraformConfig => structuredClone(config);

function resource(c: TerraformConfig, type: string, name: string): TerraformBlock {
  const found = c.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`infra/ has no ${type}.${name}`);
  return found;
}

const rules = (violations: Violation[]): string[] => violations.map((v) => `${v.rule} ${v.subject}`);

const SA = (name: string) => `\${google_service_account.${name}[0].member}`;
const DATAFORM_AGENT = '${google_project_service_identity.dataform[0].member}';

describe('infra/ as written', () => {
  test('passes every policy check', () => {
    expect(checkPolicy(config)).toEqual([]);
  });

  test('grants exactly the reviewed roles, each on one resource', () => {
    // Hand-written from the issue: loader = objectAdmin on the bucket, dataEditor on raw, jobUser,
    // secretAccessor on its secret; scheduler = invoker on the job; Dataform = viewer on raw,
    // editor on curated/marts/assertions, jobUser; the Dataform agent = token creator on the
    // Dataform account and accessor on the Git token.
    expect(listGrants(config).map(({ role, member, on }) => [role, member, on])).toEqual([
      // The analytics API (infra/api.tf, test/infra/api-policy.test.ts): viewer on the marts, jobUser.
      ['roles/bigquery.dataViewer', SA('api'), '${google_bigquery_dataset.marts[0].dataset_id}'],
      ['roles/bigquery.dataEditor', SA('dataform'), '${google_bigquery_dataset.assertions[0].dataset_id}'],
      ['roles/bigquery.dataEditor', SA('dataform'), '${google_bigquery_dataset.curated[0].dataset_id}'],
      ['roles/bigquery.dataEditor', SA('dataform'), '${google_bigquery_dataset.marts[0].dataset_id}'],
      ['roles/bigquery.dataViewer', SA('dataform'), '${google_bigquery_dataset.raw[0].dataset_id}'],
      // The scheduled extract (infra/extract.tf, test/infra/extract-policy.test.ts): viewer on each of
      // var.extract_source_datasets, editor on its own landform_extract, jobUser, objectUser on the export
      // bucket, accessor on each cross-cloud secret; its trigger may run the extract job.
      ['roles/bigquery.dataViewer', SA('extract'), '${each.value}'],
      ['roles/bigquery.dataEditor', SA('extract'), '${google_bigquery_dataset.extract[0].dataset_id}'],
      ['roles/bigquery.dataEditor', SA('loader'), '${google_bigquery_dataset.raw[0].dataset_id}'],
      ['roles/run.invoker', SA('extract_scheduler'), '${google_cloud_run_v2_job.extract[0].name}'],
      ['roles/run.invoker', SA('scheduler'), '${google_cloud_run_v2_job.loader[0].name}'],
      ['roles/bigquery.jobUser', SA('api'), '${var.project_id}'],
      ['roles/bigquery.jobUser', SA('dataform'), '${var.project_id}'],
      ['roles/bigquery.jobUser', SA('extract'), '${var.project_id}'],
      ['roles/bigquery.jobUser', SA('loader'), '${var.project_id}'],
      ['roles/secretmanager.secretAccessor', DATAFORM_AGENT, '${google_secret_manager_secret.dataform_git_token[0].secret_id}'],
      ['roles/secretmanager.secretAccessor', SA('extract'), '${google_secret_manager_secret.extract[each.key].secret_id}'],
      ['roles/secretmanager.secretAccessor', SA('loader'), '${google_secret_manager_secret.database_url[0].secret_id}'],
      ['roles/iam.serviceAccountTokenCreator', DATAFORM_AGENT, '${google_service_account.dataform[0].name}'],
      ['roles/storage.objectUser', SA('extract'), '${google_storage_bucket.exports[0].name}'],
      ['roles/storage.objectAdmin', SA('loader'), '${google_storage_bucket.stage[0].name}'],
    ]);
  });

  test('the scheduler starts the loader job through the Cloud Run Admin API as its own account', () => {
    const job = resource(config, 'google_cloud_scheduler_job', 'loader').body;
    const target = blocks(job, 'http_target')[0] as HclObject;
    expect(target.http_method).toBe('POST');
    expect(target.uri).toBe('https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.loader[0].name}:run');
    expect(blocks(target, 'oauth_token')[0]?.service_account_email).toBe('${google_service_account.scheduler[0].email}');
    expect(job.schedule).toBe('${var.loader_schedule}');
  });

  test('the loader job gets its configuration from the names the loader reads', () => {
    const job = resource(config, 'google_cloud_run_v2_job', 'loader').body;
    const inner = blocks(blocks(job, 'template')[0] as HclObject, 'template')[0] as HclObject;
    expect(inner.service_account).toBe('${google_service_account.loader[0].email}');
    const env = blocks(blocks(inner, 'containers')[0] as HclObject, 'env').map((e) => e.name);
    expect(env.sort()).toEqual(['DATABASE_URL', 'GOOGLE_CLOUD_PROJECT', 'LANDFORM_BUCKET', 'LANDFORM_ENV', 'LANDFORM_LOCATION']);
  });

  test('the Dataform workflow runs as its own account on the release configuration', () => {
    const workflow = resource(config, 'google_dataform_repository_workflow_config', 'landform').body;
    expect(workflow.release_config).toBe('${google_dataform_repository_release_config.landform[0].id}');
    expect(blocks(workflow, 'invocation_config')[0]?.service_account).toBe('${google_service_account.dataform[0].email}');
    const repo = resource(config, 'google_dataform_repository', 'landform').body;
    expect(blocks(repo, 'git_remote_settings')[0]?.url).toBe('${var.dataform_git_url}');
  });

  test('landform_raw has no dataset-wide expiration: contracts set it per table, and lineage must keep history', () => {
    const raw = resource(config, 'google_bigquery_dataset', 'raw').body;
    expect(raw.dataset_id).toBe('landform_raw');
    expect(raw.default_partition_expiration_ms).toBeUndefined();
    expect(raw.default_table_expiration_ms).toBeUndefined();
    expect(raw.delete_contents_on_destroy).toBe(false);
  });

  test('no secret value is set in Terraform', () => {
    expect(config.resources.filter((r) => r.type === 'google_secret_manager_secret_version')).toEqual([]);
  });
});

describe('the checks fail when the configuration is widened', () => {
  test('a project-level dataEditor grant', () => {
    const c = mutable();
    c.resources.push({
      type: 'google_project_iam_member',
      name: 'loader_editor',
      file: 'iam.tf',
      body: { count: '${var.enable_export ? 1 : 0}', project: '${var.project_id}', role: 'roles/bigquery.dataEditor', member: SA('loader') },
    });
    expect(rules(checkPolicy(c))).toEqual(['iam-scope google_project_iam_member.loader_editor']);
  });

  test('changing the loader jobUser grant into another project-level role', () => {
    const c = mutable();
    resource(c, 'google_project_iam_member', 'loader_job_user').body.role = 'roles/storage.admin';
    expect(rules(checkPolicy(c))).toEqual(['iam-scope google_project_iam_member.loader_job_user']);
  });

  test('a primitive role, even on a single resource', () => {
    const c = mutable();
    resource(c, 'google_storage_bucket_iam_member', 'loader_stage_objects').body.role = 'roles/editor';
    expect(rules(checkPolicy(c))).toEqual(['no-primitive-roles google_storage_bucket_iam_member.loader_stage_objects']);
  });

  test('an authoritative binding or an unlisted IAM scope', () => {
    const c = mutable();
    const bucketGrant = resource(c, 'google_storage_bucket_iam_member', 'loader_stage_objects');
    bucketGrant.type = 'google_storage_bucket_iam_binding';
    c.resources.push({ type: 'google_folder_iam_member', name: 'x', file: 'iam.tf', body: { count: '${var.enable_export ? 1 : 0}', folder: 'folders/1', role: 'roles/bigquery.jobUser', member: SA('loader') } });
    expect(rules(checkPolicy(c)).sort()).toEqual(['iam-additive google_storage_bucket_iam_binding.loader_stage_objects', 'iam-scope google_folder_iam_member.x']);
  });

  test('a role that is an expression instead of a literal', () => {
    const c = mutable();
    resource(c, 'google_bigquery_dataset_iam_member', 'loader_raw_editor').body.role = '${var.loader_role}';
    expect(rules(checkPolicy(c))).toEqual(['iam-role-literal google_bigquery_dataset_iam_member.loader_raw_editor']);
  });

  test('a missing lifecycle, versioning or uniform access on the bucket', () => {
    const c = mutable();
    const bucket = resource(c, 'google_storage_bucket', 'stage').body;
    delete bucket.lifecycle_rule;
    delete bucket.versioning;
    bucket.uniform_bucket_level_access = false;
    expect(checkPolicy(c).map((v) => v.message)).toEqual([
      'uniform_bucket_level_access must be true',
      'versioning must be enabled',
      'bucket has no lifecycle rules',
    ]);
  });

  test('a lifecycle without the noncurrent-version and prefix deletes', () => {
    const c = mutable();
    const bucket = resource(c, 'google_storage_bucket', 'stage').body;
    bucket.lifecycle_rule = blocks(bucket, 'lifecycle_rule').filter((rule) => {
      const condition = blocks(rule, 'condition')[0] ?? {};
      return condition.matches_prefix === undefined && condition.with_state !== 'ARCHIVED';
    });
    expect(checkPolicy(c).map((v) => v.message)).toEqual([
      'no lifecycle rule deletes temporary or failed exports by prefix and age',
      'no lifecycle rule deletes noncurrent object versions',
    ]);
  });

  test('an ungated billable resource', () => {
    const c = mutable();
    delete resource(c, 'google_cloud_scheduler_job', 'loader').body.count;
    resource(c, 'google_bigquery_dataset', 'marts').body.count = 1;
    expect(rules(checkPolicy(c)).sort()).toEqual(['export-gate google_bigquery_dataset.marts', 'export-gate google_cloud_scheduler_job.loader']);
  });

  test('export enabled by default', () => {
    const c = mutable();
    (c.variables.enable_export as HclObject).default = true;
    expect(rules(checkPolicy(c))).toEqual(['export-gate var.enable_export']);
  });

  test('a missing layer dataset', () => {
    const c = mutable();
    c.resources = c.resources.filter((r) => !(r.type === 'google_bigquery_dataset' && r.name === 'assertions'));
    // The grant on it goes too, as it would in a real edit.
    c.resources = c.resources.filter((r) => r.name !== 'dataform_assertions_editor');
    expect(rules(checkPolicy(c))).toEqual(['datasets landform_assertions']);
  });

  test('a loader schedule default other than hourly', () => {
    const c = mutable();
    (c.variables.loader_schedule as HclObject).default = '* * * * *';
    expect(rules(checkPolicy(c))).toEqual(['loader-schedule var.loader_schedule']);
  });

  test('DATABASE_URL as a plain environment value', () => {
    const c = mutable();
    const job = resource(c, 'google_cloud_run_v2_job', 'loader').body;
    const container = blocks(blocks(blocks(job, 'template')[0] as HclObject, 'template')[0] as HclObject, 'containers')[0] as HclObject;
    container.env = blocks(container, 'env').map((e) => (e.name === 'DATABASE_URL' ? { name: 'DATABASE_URL', value: 'postgres://u:p@db/x' } : e));
    expect(checkPolicy(c).map((v) => v.message)).toEqual([
      'DATABASE_URL must come from Secret Manager (value_source.secret_key_ref)',
      'DATABASE_URL is a plain env value; pass it with value_source.secret_key_ref',
    ]);
  });
});
