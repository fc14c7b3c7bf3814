/**
 * The scheduled extract's Terraform (infra/extract.tf, infra/export_bucket.tf) against its policy,
 * and mutations each rule must catch: a lost gate, a widened grant, the seed's lifecycle ages
 * changed, credentials in plain environment values, the wrong command or account.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { checkExtractPolicy, extractContainer, extractJob, isExtractResource } from './extract-policy.js';
import { block, blocks, loadTerraform, type HclObject, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import { checkPolicy } from './terraform-policy.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const infraDir = path.join(root, 'infra');
let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraform(infraDir);
});

const mutable = (): TerraformConfig => structuredClone(config);
const rules = (c: TerraformConfig) => checkExtractPolicy(c).map((v) => `${v.rule} ${v.subject}`);
const messages = (c: TerraformConfig) => checkExtractPolicy(c).map((v) => v.message);

function resource(c: TerraformConfig, type: string, name: string): TerraformBlock {
  const found = c.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`infra/ has no ${type}.${name}`);
  return found;
}
const container = (c: TerraformConfig): HclObject => {
  const job = extractJob(c);
  if (!job) throw new Error('infra/ has no extract job');
  return extractContainer(job);
};
const lifecycleRules = (c: TerraformConfig): HclObject[] => blocks(resource(c, 'google_storage_bucket', 'exports').body, 'lifecycle_rule');
const conditionOf = (rule: HclObject): HclObject => block(rule, 'condition') ?? {};
const SA = '${google_service_account.extract[0].member}';

describe('infra/ extract as written', () => {
  test('passes the extract policy and the repository-wide policy', () => {
    expect(checkExtractPolicy(config)).toEqual([]);
    expect(checkPolicy(config)).toEqual([]);
  });

  test('nothing is created unless both enable_export and enable_extract are set', () => {
    const extract = config.resources.filter(isExtractResource).map((r) => `${r.type}.${r.name}`).sort();
    expect(extract).toEqual([
      'google_bigquery_dataset.extract',
      'google_bigquery_dataset_iam_member.extract_source_viewer',
      'google_bigquery_dataset_iam_member.extract_work_editor',
      'google_cloud_run_v2_job.extract',
      'google_cloud_run_v2_job_iam_member.scheduler_runs_extract',
      'google_cloud_scheduler_job.extract',
      'google_logging_metric.extract_export_duration',
      'google_logging_metric.extract_export_results',
      'google_monitoring_alert_policy.extract_duration',
      'google_monitoring_alert_policy.extract_failure_rate',
      'google_project_iam_member.extract_job_user',
      'google_secret_manager_secret.extract',
      'google_secret_manager_secret_iam_member.extract_secrets',
      'google_service_account.extract',
      'google_service_account.extract_scheduler',
      'google_storage_bucket.exports',
      'google_storage_bucket_iam_member.extract_export_objects',
    ]);
  });

  test('the job runs `landform extract` with the configuration names the CLI reads', () => {
    expect(container(config).command).toEqual(['node', 'bin/landform.js', 'extract']);
    expect(blocks(container(config), 'env').map((e) => e.name).sort()).toEqual(['AWS_REGION', 'GOOGLE_CLOUD_PROJECT', 'LANDFORM_ENV', 'LANDFORM_EXPORT_BUCKET', 'LANDFORM_LOCATION']);
  });

  test('the trigger starts the extract job through the Cloud Run Admin API as its own account', () => {
    const job = resource(config, 'google_cloud_scheduler_job', 'extract').body;
    const target = block(job, 'http_target') ?? {};
    expect(target.uri).toBe('https://run.googleapis.com/v2/projects/${var.project_id}/locations/${var.region}/jobs/${google_cloud_run_v2_job.extract[0].name}:run');
    expect(block(target, 'oauth_token')?.service_account_email).toBe('${google_service_account.extract_scheduler[0].email}');
    expect(job.schedule).toBe('${var.extract_schedule}');
  });

  test("the dead-letter prefix the bucket expires is the one `landform extract` writes (extracts/layout.ts)", async () => {
    const layout = await readFile(path.join(root, 'extracts/layout.ts'), 'utf8');
    expect(layout).toContain('deadLetter: `${options.env}/_dead_letter/');
    expect(config.variables.export_dead_letter_prefix?.default).toBe('_dead_letter/');
    expect(config.variables.export_tmp_prefix?.default).toBe('_tmp/');
  });
});

test('the image copies extracts/ in both stages and checks that `landform extract` starts, so the extract job can run', async () => {
  const dockerfile = await readFile(path.join(root, 'Dockerfile'), 'utf8');
  expect(dockerfile).toContain('COPY extracts/ ./extracts/');
  expect(dockerfile).toContain('COPY --from=build /app/extracts ./extracts');
  expect(dockerfile).toMatch(/node bin\/landform\.js extract --help/);
});

describe('mutations the extract policy catches', () => {
  test('enable_extract on by default, and a resource gated by enable_export only', () => {
    const c = mutable();
    (c.variables.enable_extract as HclObject).default = true;
    resource(c, 'google_storage_bucket', 'exports').body.count = '${var.enable_export ? 1 : 0}';
    expect(rules(c).sort()).toEqual(['extract-gate google_storage_bucket.exports', 'extract-gate var.enable_extract']);
  });

  test('an extract alert gated by enable_export only', () => {
    const c = mutable();
    resource(c, 'google_monitoring_alert_policy', 'extract_failure_rate').body.count = '${var.enable_export ? 1 : 0}';
    expect(rules(c)).toEqual(['extract-gate google_monitoring_alert_policy.extract_failure_rate']);
  });

  test('dataViewer on landform_raw as well', () => {
    const c = mutable();
    c.resources.push({ type: 'google_bigquery_dataset_iam_member', name: 'extract_raw', file: 'extract.tf', body: {
      count: '${var.enable_export && var.enable_extract ? 1 : 0}', dataset_id: '${google_bigquery_dataset.raw[0].dataset_id}', role: 'roles/bigquery.dataViewer', member: SA,
    } });
    expect(rules(c)).toEqual(['extract-least-privilege google_bigquery_dataset_iam_member.extract_raw', 'extract-least-privilege google_bigquery_dataset_iam_member.extract_raw']);
  });

  test('the per-dataset grant pointed at a fixed dataset, or the list defaulting to landform_raw', () => {
    const c = mutable();
    resource(c, 'google_bigquery_dataset_iam_member', 'extract_source_viewer').body.dataset_id = '${google_bigquery_dataset.raw[0].dataset_id}';
    (c.variables.extract_source_datasets as HclObject).default = ['landform_marts', 'landform_raw'];
    expect(messages(c)).toEqual([
      'the extract account may hold only the reviewed grants; roles/bigquery.dataViewer on ${google_bigquery_dataset.raw[0].dataset_id} is more',
      'the extract account lacks roles/bigquery.dataViewer on ${each.value}',
      'dataViewer must be granted once per entry of var.extract_source_datasets (for_each, dataset_id = each.value)',
      'must default to a non-empty list of landform_curated, landform_marts; got ["landform_marts","landform_raw"]',
    ]);
  });

  test('a validation that lets landform_raw through', () => {
    const c = mutable();
    const variable = c.variables.extract_source_datasets as HclObject;
    const validation = block(variable, 'validation') as HclObject;
    validation.condition = String(validation.condition).replace('"landform_curated"', '"landform_raw", "landform_curated"');
    expect(rules(c)).toEqual(['extract-least-privilege var.extract_source_datasets']);
  });

  test('objectAdmin instead of objectUser on the export bucket, and a project-level storage role', () => {
    const c = mutable();
    resource(c, 'google_storage_bucket_iam_member', 'extract_export_objects').body.role = 'roles/storage.objectAdmin';
    c.resources.push({ type: 'google_project_iam_member', name: 'extract_storage', file: 'extract.tf', body: {
      count: '${var.enable_export && var.enable_extract ? 1 : 0}', project: '${var.project_id}', role: 'roles/storage.objectCreator', member: SA,
    } });
    expect(rules(c)).toEqual([
      'extract-least-privilege google_project_iam_member.extract_storage',
      'extract-least-privilege google_storage_bucket_iam_member.extract_export_objects',
      'extract-least-privilege google_service_account.extract',
      'extract-least-privilege google_project_iam_member.extract_storage',
    ]);
    expect(checkPolicy(c).map((v) => `${v.rule} ${v.subject}`)).toEqual(['iam-scope google_project_iam_member.extract_storage']);
  });

  test('the trigger account reading the marts', () => {
    const c = mutable();
    resource(c, 'google_bigquery_dataset_iam_member', 'extract_work_editor').body.member = '${google_service_account.extract_scheduler[0].member}';
    expect(messages(c)).toEqual(['the extract account lacks roles/bigquery.dataEditor on ${google_bigquery_dataset.extract[0].dataset_id}', 'the extract trigger may only run the extract job']);
  });

  test('a storage class step at another age than the seed', () => {
    const c = mutable();
    (c.variables.export_coldline_after_days as HclObject).default = 60;
    const archive = lifecycleRules(c).find((r) => block(r, 'action')?.storage_class === 'ARCHIVE') as HclObject;
    conditionOf(archive).age = 400;
    expect(messages(c)).toEqual(['objects must move to COLDLINE at 90 days, got 60', 'objects must move to ARCHIVE at 365 days, got 400']);
  });

  test('the temporary prefix renamed, the dead-letter delete removed, and a delete of every export', () => {
    const c = mutable();
    (c.variables.export_tmp_prefix as HclObject).default = 'tmp/';
    const bucket = resource(c, 'google_storage_bucket', 'exports').body;
    bucket.lifecycle_rule = lifecycleRules(c).filter((r) => !String(conditionOf(r).matches_prefix ?? '').includes('export_dead_letter_prefix'));
    (bucket.lifecycle_rule as HclObject[]).push({ condition: [{ age: 400 }], action: [{ type: 'Delete' }] });
    expect(messages(c)).toEqual([
      'temporary exports under {env}/_tmp/ must be deleted at 7 days, got undefined',
      'failed exports under {env}/_dead_letter/ must be deleted at 30 days, got undefined',
      'no rule may delete every export by age: only temporary and failed exports expire',
    ]);
  });

  test('a credential as a plain environment value, or the Postgres URL in the extract job', () => {
    const c = mutable();
    const env = blocks(container(c), 'env');
    env.push({ name: 'AWS_SECRET_ACCESS_KEY', value: 'abc' }, { name: 'DATABASE_URL', value_source: [{ secret_key_ref: [{ secret: '${google_secret_manager_secret.database_url[0].secret_id}' }] }] });
    container(c).env = env;
    expect(messages(c)).toEqual(['AWS_SECRET_ACCESS_KEY is a plain env value; pass it with value_source.secret_key_ref', 'the extract job must not receive the Postgres URL']);
    expect(checkPolicy(c).map((v) => v.message)).toEqual(['AWS_SECRET_ACCESS_KEY is a plain env value; pass it with value_source.secret_key_ref']);
  });

  test('the secrets mounted as plain values, or a credential left out of the secret catalog', () => {
    const c = mutable();
    const dynamic = block(container(c), 'dynamic') as HclObject;
    const content = block(blocks(dynamic, 'env')[0] as HclObject, 'content') as HclObject;
    delete content.value_source;
    content.value = '${env.value}';
    delete (c.locals.extract_secret_catalog as HclObject).AZURE_STORAGE_CONNECTION_STRING;
    expect(messages(c)).toEqual([
      'the cross-cloud credentials must be mounted from google_secret_manager_secret.extract (a dynamic env over local.extract_secret_ids with value_source.secret_key_ref)',
      'AZURE_STORAGE_CONNECTION_STRING must be one of local.extract_secret_catalog (a Secret Manager secret)',
    ]);
  });

  test('another command, image, account or working dataset', () => {
    const c = mutable();
    const job = extractJob(c) as TerraformBlock;
    const template = block(block(job.body, 'template') as HclObject, 'template') as HclObject;
    template.service_account = '${google_service_account.loader[0].email}';
    const x = container(c);
    x.command = ['node', 'bin/landform.js', 'load'];
    x.image = 'us-docker.pkg.dev/p/landform/loader:latest';
    x.args = '${var.extract_args}';
    for (const e of blocks(x, 'env')) if (e.name === 'LANDFORM_EXPORT_BUCKET') e.value = 'landform-exports';
    expect(messages(c)).toEqual([
      'the job must run as the extract account',
      'the job must run the loader image (var.loader_image)',
      'the command must be node bin/landform.js extract',
      'the job must keep its staging tables and lineage in landform_extract (--raw-dataset)',
      'the job must pass the export bucket as LANDFORM_EXPORT_BUCKET (google_storage_bucket.exports[0].name)',
    ]);
  });
});

/** Copies infra/*.tf to a temp dir, rewrites one file's text, and runs both policies on the copy. */
async function checkEdited(file: string, edit: (text: string) => string): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'landform-extract-infra-'));
  try {
    for (const f of (await readdir(infraDir)).filter((n) => n.endsWith('.tf'))) await copyFile(path.join(infraDir, f), path.join(dir, f));
    const original = await readFile(path.join(dir, file), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    await writeFile(path.join(dir, file), edited);
    const c = await loadTerraform(dir);
    return [...checkPolicy(c), ...checkExtractPolicy(c)].map((v) => `${v.rule} ${v.subject}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('editing the HCL text', () => {
  test('moving the bucket grant to the project fails both policies', async () => {
    const violations = await checkEdited('extract.tf', (text) =>
      text.replace('resource "google_storage_bucket_iam_member" "extract_export_objects" {\n  count = var.enable_export && var.enable_extract ? 1 : 0\n\n  bucket = google_storage_bucket.exports[0].name', 'resource "google_project_iam_member" "extract_export_objects" {\n  count = var.enable_export && var.enable_extract ? 1 : 0\n\n  project = var.project_id'),
    );
    expect(violations).toEqual([
      'iam-scope google_project_iam_member.extract_export_objects',
      'extract-least-privilege google_project_iam_member.extract_export_objects',
      'extract-least-privilege google_service_account.extract',
      'extract-least-privilege google_project_iam_member.extract_export_objects',
    ]);
  });

  test('deleting temporary exports after 30 days instead of 7 fails the lifecycle check', async () => {
    const violations = await checkEdited('extract_variables.tf', (text) => text.replace(/(variable "export_tmp_delete_after_days" \{[\s\S]*?default\s+=\s+)7\n/, '$130\n'));
    expect(violations).toEqual(['extract-bucket google_storage_bucket.exports']);
  });
});
