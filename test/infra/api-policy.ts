/**
 * Policy checks for the analytics API in infra/api.tf (a pure function of TerraformConfig): its own
 * gate, an account that may read the marts dataset and run jobs and nothing else, the export
 * trigger off, token settings from variables, readiness as the startup probe.
 */
import { block, blocks, type HclObject, type TerraformBlock, type TerraformConfig } from './terraform-config.js';
import { listGrants, type Violation } from './terraform-policy.js';

export const API_SA_MEMBER = '${google_service_account.api[0].member}';
export const API_GRANTS = [
  ['roles/bigquery.dataViewer', '${google_bigquery_dataset.marts[0].dataset_id}'],
  ['roles/bigquery.jobUser', '${var.project_id}'],
];
/** Environment the service must take from variables, so an issuer is never hard-coded. */
export const API_ENV_FROM_VARIABLES: Record<string, string> = {
  LANDFORM_API_JWKS_URL: '${var.api_jwks_url}',
  LANDFORM_API_ISSUER: '${var.api_issuer}',
  LANDFORM_API_AUDIENCE: '${var.api_audience}',
  LANDFORM_API_ROLE_CLAIM: '${var.api_role_claim}',
  LANDFORM_API_STORE_CLAIM: '${var.api_store_claim}',
};
const SECRET_LIKE_NAME = /(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|CREDENTIALS|DATABASE_URL)/i;

export function apiContainer(service: TerraformBlock): HclObject | undefined {
  return blocks(block(service.body, 'template') ?? {}, 'containers')[0];
}

export function apiEnv(service: TerraformBlock): Map<string, HclObject> {
  return new Map(blocks(apiContainer(service) ?? {}, 'env').map((e) => [String(e.name), e]));
}

function checkGate(config: TerraformConfig): Violation[] {
  const violations: Violation[] = [];
  const flag = config.variables.enable_api;
  if (!flag || flag.default !== false || flag.type !== '${bool}') {
    violations.push({ rule: 'api-gate', subject: 'var.enable_api', message: 'enable_api must be a bool variable defaulting to false' });
  }
  for (const r of config.resources.filter((x) => x.file === 'api.tf')) {
    const gate = r.body.count;
    if (typeof gate !== 'string' || !gate.includes('var.enable_export') || !gate.includes('var.enable_api')) {
      violations.push({ rule: 'api-gate', subject: `${r.type}.${r.name}`, message: 'API resource is not gated by count on both var.enable_export and var.enable_api' });
    }
  }
  return violations;
}

function checkGrants(config: TerraformConfig): Violation[] {
  const granted = listGrants(config).filter((g) => g.member === API_SA_MEMBER);
  const expected = new Set(API_GRANTS.map(([role, on]) => `${role} on ${on}`));
  const actual = new Set(granted.map((g) => `${g.role} on ${g.on}`));
  const violations: Violation[] = [];
  for (const g of granted) {
    if (!expected.has(`${g.role} on ${g.on}`)) violations.push({ rule: 'api-least-privilege', subject: g.address, message: `the API account may hold only ${[...expected].join(' and ')}; ${g.role} on ${g.on} is more` });
  }
  for (const e of expected) if (!actual.has(e)) violations.push({ rule: 'api-least-privilege', subject: 'google_service_account.api', message: `the API account lacks ${e}` });
  return violations;
}

function checkService(config: TerraformConfig): Violation[] {
  const services = config.resources.filter((r) => r.type === 'google_cloud_run_v2_service' && r.name === 'api');
  if (services.length !== 1) return [{ rule: 'api-service', subject: 'google_cloud_run_v2_service.api', message: 'infra/ must define exactly one API service' }];
  const service = services[0] as TerraformBlock;
  const subject = 'google_cloud_run_v2_service.api';
  const violations: Violation[] = [];
  const fail = (message: string) => violations.push({ rule: 'api-service', subject, message });
  const template = block(service.body, 'template') ?? {};
  if (template.service_account !== '${google_service_account.api[0].email}') fail('the service must run as the API account');
  const env = apiEnv(service);
  if (env.get('LANDFORM_EXPORT_ENABLED')?.value !== 'false') fail('LANDFORM_EXPORT_ENABLED must be "false": the API account cannot write raw data, exports belong to the loader job');
  for (const [name, expected] of Object.entries(API_ENV_FROM_VARIABLES)) {
    if (env.get(name)?.value !== expected) fail(`${name} must be ${expected}`);
  }
  for (const [name, e] of env) {
    if (SECRET_LIKE_NAME.test(name) && e.value !== undefined) fail(`${name} is a plain env value; pass it with value_source.secret_key_ref`);
  }
  const container = apiContainer(service) ?? {};
  if (block(block(container, 'startup_probe') ?? {}, 'http_get')?.path !== '/readyz') fail('the startup probe must be GET /readyz (the marts it reads exist)');
  const scaling = block(template, 'scaling') ?? {};
  if (scaling.min_instance_count !== 0) fail('min_instance_count must be 0: an idle API costs nothing');
  if (scaling.max_instance_count !== '${var.api_max_instances}') fail('max_instance_count must come from var.api_max_instances (a bound on cost)');
  return violations;
}

export function checkApiPolicy(config: TerraformConfig): Violation[] {
  return [...checkGate(config), ...checkGrants(config), ...checkService(config)];
}
