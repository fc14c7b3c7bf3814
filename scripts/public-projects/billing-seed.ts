/**
 * Source tables for GoogleCloudPlatform/cloud-cost-management-toolkit, written by hand from the
 * schemas Google documents: the Cloud Billing standard usage cost export
 * (`gcp_billing_export_v1_<BILLING_ACCOUNT_ID>`, "Structure of Standard data export",
 * https://cloud.google.com/billing/docs/how-to/export-data-bigquery-tables/standard-usage), an
 * ingestion-time partitioned table, and the Recommender export to BigQuery (`recommendations_export`,
 * https://cloud.google.com/recommender/docs/bq-export/export-recommendations-to-bq), partitioned the
 * same way. A few rows of two projects on recent days, with labels, system labels, tags and credits,
 * so that the toolkit's repartitioning, daily aggregate and label tables all see rows. Nothing is
 * copied from the project.
 */

const KV = 'array<struct<key string, value string>>';

export const BILLING_EXPORT_SCHEMA = `billing_account_id string,
  service struct<id string, description string>, sku struct<id string, description string>,
  usage_start_time timestamp, usage_end_time timestamp,
  project struct<id string, number string, name string, labels ${KV}, ancestry_numbers string,
    ancestors array<struct<resource_name string, display_name string>>>,
  labels ${KV}, system_labels ${KV},
  location struct<location string, country string, region string, zone string>,
  tags array<struct<key string, value string, inherited bool, namespace string>>,
  transaction_type string, seller_name string, export_time timestamp,
  cost float64, cost_at_list float64, cost_at_effective_price_default float64, cost_at_list_consumption_model float64,
  currency string, currency_conversion_rate float64,
  usage struct<amount float64, unit string, amount_in_pricing_units float64, pricing_unit string>,
  credits array<struct<name string, amount float64, full_name string, id string, type string>>,
  invoice struct<month string, publisher_type string>, cost_type string,
  adjustment_info struct<id string, description string, mode string, type string>,
  consumption_model struct<id string, description string>, subscription struct<instance_id string>`;

const MONEY = 'struct<currency_code string, units int64, nanos int64>';
const DURATION = 'struct<seconds int64, nanos int64>';

export const RECOMMENDATIONS_EXPORT_SCHEMA = `cloud_entity_type string, cloud_entity_id string, name string, location string,
  recommender string, recommender_subtype string, target_resources array<string>, description string, state string,
  primary_impact struct<category string,
    cost_projection struct<cost ${MONEY}, duration ${DURATION}, cost_in_local_currency ${MONEY}, pricing_type_name string>,
    security_projection struct<details_json string>,
    sustainability_projection struct<kg_c_o2e float64, duration ${DURATION}>,
    reliability_projection struct<risk_types array<string>, details_json string>>,
  priority string, associated_insights array<string>, recommendation_details string, last_refresh_time timestamp,
  ancestors struct<organization_id string, folder_ids array<string>>`;

/** The column names of a column list (`a int64, b struct<c string, d string>`): the first word of each top-level item. */
function topLevelNames(columns: string): string[] {
  const names: string[] = [];
  let depth = 0;
  let item = '';
  for (const ch of `${columns},`) {
    if (ch === '<') depth++;
    if (ch === '>') depth--;
    if (ch === ',' && depth === 0) {
      names.push(item.trim().split(/\s+/)[0]!);
      item = '';
    } else item += ch;
  }
  return names;
}

/** Midnight UTC `daysAgo` days ago, as a SQL TIMESTAMP literal. */
function dayTs(daysAgo: number, hour = 0): string {
  const d = new Date();
  d.setUTCHours(hour, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - daysAgo);
  return `timestamp '${d.toISOString().slice(0, 19).replace('T', ' ')} UTC'`;
}

interface Line {
  project: string;
  number: string;
  service: [string, string];
  sku: [string, string];
  cost: number;
  credit?: [string, number];
  env: string;
}

function billingRow(l: Line, daysAgo: number): string {
  const start = dayTs(daysAgo, 10);
  const end = dayTs(daysAgo, 11);
  const credits = l.credit
    ? `[struct('${l.credit[0]} credit' as name, ${l.credit[1]} as amount, '${l.credit[0]} credit' as full_name, 'c-${l.credit[0].toLowerCase()}' as id, '${l.credit[0]}' as type)]`
    : '[]';
  const month = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 7).replace('-', '');
  return `(${dayTs(daysAgo)}, '01A2B3-C4D5E6-F7A8B9', struct('${l.service[0]}', '${l.service[1]}'), struct('${l.sku[0]}', '${l.sku[1]}'), ${start}, ${end},
    struct('${l.project}', '${l.number}', '${l.project}', [struct('team' as key, 'data' as value)], '/123/456/${l.number}/',
      [struct('projects/${l.number}' as resource_name, '${l.project}' as display_name), struct('organizations/123', 'example.com')]),
    [struct('env' as key, '${l.env}' as value), struct('app', 'billing')], [struct('compute.googleapis.com/machine_spec' as key, 'e2-medium' as value)],
    struct('us-central1', 'US', 'us-central1', 'us-central1-a'),
    [struct('cost_center' as key, 'cc-42' as value, false as inherited, '123' as namespace)],
    'GOOGLE', 'Google', ${end}, ${l.cost}, ${l.cost}, ${l.cost}, ${l.cost}, 'USD', 1.0,
    struct(3600.0, 'seconds', 1.0, 'hour'), ${credits}, struct('${month}', 'GOOGLE'), 'regular',
    null, struct('9F2F-0A6C-47C3', 'None'), null)`;
}

/** The billing export table and the recommendations export, in `project.dataset` (the workflow settings' raw_billing_*). */
export function billingSeed(project: string, dataset: string, billingTable: string, recommendationsTable: string): string[] {
  const billing = `\`${project}.${dataset}.${billingTable}\``;
  const recs = `\`${project}.${dataset}.${recommendationsTable}\``;
  const lines: Line[] = [
    { project: 'shop-prod', number: '1001', service: ['6F81-5844-456A', 'Compute Engine'], sku: ['2E27-4F75-95CD', 'E2 Instance Core running in Americas'], cost: 12.5, credit: ['SUSTAINED_USAGE_DISCOUNT', -1.25], env: 'prod' },
    { project: 'shop-prod', number: '1001', service: ['24E6-581D-38E5', 'BigQuery'], sku: ['3362-E469-6BEF', 'Analysis'], cost: 4.0, env: 'prod' },
    { project: 'shop-dev', number: '1002', service: ['95FF-2EF5-5EA1', 'Cloud Storage'], sku: ['E5F0-6A5D-7BAD', 'Standard Storage US Multi-region'], cost: 0.75, credit: ['PROMOTION', -0.75], env: 'dev' },
  ];
  const columns = topLevelNames(BILLING_EXPORT_SCHEMA);
  const rec = (daysAgo: number, n: number) => `(${dayTs(daysAgo)}, 'PROJECT_NUMBER', '1001', 'projects/1001/locations/us-central1-a/recommenders/google.compute.instance.IdleResourceRecommender/recommendations/r${n}',
    'us-central1-a', 'google.compute.instance.IdleResourceRecommender', 'STOP_VM', ['//compute.googleapis.com/projects/shop-prod/zones/us-central1-a/instances/vm-${n}'],
    'Save cost by stopping Idle VM "vm-${n}". [Learn more](https://cloud.google.com/compute/docs/instances/idle-vm-recommendations-overview)', 'ACTIVE',
    struct('COST', struct(struct('USD', -25, -500000000), struct(2592000, 0), struct('USD', -25, -500000000), 'ON_DEMAND'), null, null, struct(cast([] as array<string>), cast(null as string))),
    'P2', cast([] as array<string>), '{"overview": {}, "link": "https://cloud.google.com/compute/docs/instances/idle-vm-recommendations-overview"}', ${dayTs(daysAgo, 6)},
    struct('123', ['456']))`;
  return [
    `create table if not exists ${billing} (${BILLING_EXPORT_SCHEMA}) partition by _PARTITIONDATE`,
    // the export writes each day's rows into that day's ingestion-time partition
    `insert into ${billing} (_PARTITIONTIME, ${columns.join(', ')}) values ${[3, 2].flatMap((d) => lines.map((l) => billingRow(l, d))).join(',\n')}`,
    `create table if not exists ${recs} (${RECOMMENDATIONS_EXPORT_SCHEMA}) partition by _PARTITIONDATE`,
    `insert into ${recs} (_PARTITIONTIME, cloud_entity_type, cloud_entity_id, name, location, recommender, recommender_subtype, target_resources, description, state,
      primary_impact, priority, associated_insights, recommendation_details, last_refresh_time, ancestors) values ${rec(2, 1)}, ${rec(1, 2)}`,
  ];
}
