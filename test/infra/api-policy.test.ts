/**
 * The analytics API's Terraform (infra/api.tf) against its policy, and mutations of it that each
 * policy rule must catch: widened grants, a lost gate, the export trigger on, a hard-coded issuer.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { apiEnv, checkApiPolicy } from './api-policy.js';
import { blocks, type HclObject, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import { loadTerraform } from './terraform-config.js';
import { checkPolicy } from './terraform-policy.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../infra');
let config: TerraformConfig;
beforeAll(async () => {
  config = await loadTerraform(infraDir);
});

const mutable = (): TerraformConfig => structuredClone(config);
const rules = (c: TerraformConfig) => checkApiPolicy(c).map((v) => `${v.rule} ${v.subject}`);

function resource(c: TerraformConfig, type: string, name: string): TerraformBlock {
  const found = c.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`infra/ has no ${type}.${name}`);
  return found;
}

const service = (c: TerraformConfig) => resource(c, 'google_cloud_run_v2_service', 'api');
function envEntry(c: TerraformConfig, name: string): HclObject {
  const entry = apiEnv(service(c)).get(name);
  if (!entry) throw new Error(`the API service sets no ${name}`);
  return entry;
}

describe('infra/api.tf as written', () => {
  test('passes the API policy and the repository-wide policy', () => {
    expect(checkApiPolicy(config)).toEqual([]);
    expect(checkPolicy(config)).toEqual([]);
  });

  test('the service gets exactly the configuration names `landform serve` reads', () => {
    expect([...apiEnv(service(config)).keys()].sort()).toEqual([
      'GOOGLE_CLOUD_PROJECT', 'LANDFORM_API_AUDIENCE', 'LANDFORM_API_HOST', 'LANDFORM_API_ISSUER', 'LANDFORM_API_JWKS_URL', 'LANDFORM_API_MAX_BYTES_BILLED',
      'LANDFORM_API_ROLE_CLAIM', 'LANDFORM_API_STORE_CLAIM', 'LANDFORM_EXPORT_ENABLED', 'LANDFORM_LOCATION', 'LANDFORM_MARTS_DATASET',
    ]);
    const container = blocks(blocks(service(config).body, 'template')[0] as HclObject, 'containers')[0] as HclObject;
    expect(container.command).toEqual(['node', 'bin/landform.js', 'serve']);
  });

  test('nothing is created unless both enable_export and enable_api are set', () => {
    const api = config.resources.filter((r) => r.file === 'api.tf');
    expect(api.map((r) => `${r.type}.${r.name}`).sort()).toEqual([
      'google_bigquery_dataset_iam_member.api_marts_viewer', 'google_cloud_run_v2_service.api', 'google_project_iam_member.api_job_user', 'google_service_account.api',
    ]);
    for (const r of api) expect(r.body.count).toBe('${var.enable_export && var.enable_api ? 1 : 0}');
  });
});

describe('mutations the API policy catches', () => {
  test('dataEditor instead of dataViewer on the marts', () => {
    const c = mutable();
    resource(c, 'google_bigquery_dataset_iam_member', 'api_marts_viewer').body.role = 'roles/bigquery.dataEditor';
    expect(rules(c)).toEqual(expect.arrayContaining(['api-least-privilege google_bigquery_dataset_iam_member.api_marts_viewer']));
  });

  test('viewer on the curated or raw dataset as well', () => {
    for (const dataset of ['curated', 'raw']) {
      const c = mutable();
      c.resources.push({ type: 'google_bigquery_dataset_iam_member', name: `api_${dataset}`, file: 'api.tf', body: {
        count: '${var.enable_export && var.enable_api ? 1 : 0}', dataset_id: `\${google_bigquery_dataset.${dataset}[0].dataset_id}`,
        role: 'roles/bigquery.dataViewer', member: '${google_service_account.api[0].member}',
      } });
      expect(rules(c)).toEqual([`api-least-privilege google_bigquery_dataset_iam_member.api_${dataset}`]);
    }
  });

  test('a lost jobUser grant', () => {
    const c = mutable();
    c.resources = c.resources.filter((r) => r.name !== 'api_job_user');
    expect(rules(c)).toEqual(['api-least-privilege google_service_account.api']);
  });

  test('a resource gated by enable_export only, and enable_api on by default', () => {
    const c = mutable();
    service(c).body.count = '${var.enable_export ? 1 : 0}';
    (c.variables.enable_api as HclObject).default = true;
    expect(rules(c).sort()).toEqual(['api-gate google_cloud_run_v2_service.api', 'api-gate var.enable_api']);
  });

  test('the export trigger switched on', () => {
    const c = mutable();
    envEntry(c, 'LANDFORM_EXPORT_ENABLED').value = 'true';
    expect(rules(c)).toEqual(['api-service google_cloud_run_v2_service.api']);
  });

  test('a hard-coded issuer, and a plain secret in the environment', () => {
    const c = mutable();
    envEntry(c, 'LANDFORM_API_ISSUER').value = 'https://issuer.example/';
    const container = blocks(blocks(service(c).body, 'template')[0] as HclObject, 'containers')[0] as HclObject;
    (container.env as HclObject[]).push({ name: 'LANDFORM_API_SIGNING_SECRET', value: 'x' });
    expect(checkApiPolicy(c).map((v) => v.message)).toEqual([
      'LANDFORM_API_ISSUER must be ${var.api_issuer}',
      'LANDFORM_API_SIGNING_SECRET is a plain env value; pass it with value_source.secret_key_ref',
    ]);
  });

  test('running as the loader account, or without the readiness probe, or with an unbounded scale', () => {
    const c = mutable();
    const template = blocks(service(c).body, 'template')[0] as HclObject;
    template.service_account = '${google_service_account.loader[0].email}';
    const container = blocks(template, 'containers')[0] as HclObject;
    delete container.startup_probe;
    (blocks(template, 'scaling')[0] as HclObject).max_instance_count = 100;
    expect(checkApiPolicy(c).map((v) => v.message)).toEqual([
      'the service must run as the API account',
      'the startup probe must be GET /readyz (the marts it reads exist)',
      'max_instance_count must come from var.api_max_instances (a bound on cost)',
    ]);
  });
});
