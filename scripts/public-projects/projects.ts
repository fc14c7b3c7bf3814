import { billingSeed } from './billing-seed.js';
import { ga4Seed } from './ga4-seed.js';

/**
 * The public Dataform projects the harness runs, read from the git mirrors under /work/.mirror
 * (PUBLIC_PROJECTS_MIRRORS overrides the folder): where each project lies in its repository, and
 * for a package meant to be used from a host project (DFE-Digital's), the host project its README
 * describes. Nothing here is copied from those repositories; the host project and the hand-written
 * source schemas follow what their READMEs and SQL say.
 */
export interface PublicProject {
  name: string;
  /** Mirror folder name (owner+repo). */
  mirror: string;
  /** Folder inside the repository ('' for the root). */
  dir: string;
  /** Files of a host project to write (path → text); the repository is then installed as a package named `packageName`. */
  host?: { packageName: string; files: Record<string, string> };
  /**
   * A project that ships only a template of its workflow settings, which its README asks users to
   * rename and fill in: the template's path, its placeholders' values (placeholder text → value),
   * and vars to add (a flag its other template reads).
   */
  settings?: { template: string; values: Record<string, string>; vars?: Record<string, string> };
  /** Source tables whose shape the SQL cannot tell (arrays of structs): GoogleSQL DDL and INSERTs run before the first run. */
  seedSql?: string[];
  /** Column types of the public tables it reads where the name does not tell (from those tables' published schemas). */
  columnTypes?: Record<string, string>;
  /**
   * Packages the project requires that the npm registry does not have, replaced by a stand-in
   * (package name → its index.js). Only for what needs another Google service anyway.
   */
  stubPackages?: Record<string, string>;
  /**
   * Functions the project calls that its repository never defines ([project.]dataset.name → the
   * CREATE FUNCTION of a stand-in, run before the first run): a remote function in front of another
   * Google service (as with `stubPackages`, only for what needs that service anyway), or a routine of
   * another project's public dataset, which gets a plausible stand-in as its source tables get rows.
   */
  standInFunctions?: Record<string, string>;
  /**
   * The project's incremental tables exist from earlier runs in production (their pre-operations
   * DELETE the run's month first, so on a fresh project they fail): after the runs above, each one
   * missing is created empty from its own query (incremental.ts) and what had not run OK runs again
   * (reported apart).
   */
  existingIncrementalTables?: boolean;
  /** Failures BigQuery itself would give on a fresh project (the project means them, or its SQL is wrong there): action → why. */
  knownFailures?: Record<string, string>;
  /**
   * Assertions that check data volume (a count of real production size), which any small sample
   * fails: a second `dataform run --actions` then runs what waited on them, so the rest of the
   * project's SQL is measured too (reported apart).
   */
  volumeChecks?: string[];
  /**
   * JavaScript UDF libraries the project loads from Cloud Storage (OPTIONS(library = ...)): each
   * is put into the embedded Cloud Storage at `uri` from the npm package that publishes it.
   */
  libraries?: { uri: string; npm: string; file: string }[];
}

const DFE_SCHEMA = `create table if not exists dfe_source.events (
  occurred_at timestamp, event_type string, environment string, namespace string, user_id string,
  request_uuid string, request_method string, request_path string,
  request_query array<struct<key string, value array<string>>>, request_user_agent string, request_referer string,
  response_content_type string, response_status string,
  data array<struct<key string, value array<string>>>, hidden_data array<struct<key string, value array<string>>>,
  entity_table_name string, event_tags array<string>, anonymised_user_agent_and_ip string)`;

const DFE_ROWS = `insert into dfe_source.events values
  (timestamp_sub(current_timestamp(), interval 3 hour), 'web_request', 'production', 'demo', 'u1', 'r1', 'GET', '/courses',
   [struct('page' as key, ['2'] as value)], 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0', 'https://www.example.gov.uk/',
   'text/html', '200', [], [], null, [], 'anon1'),
  (timestamp_sub(current_timestamp(), interval 2 hour), 'create_entity', 'production', 'demo', null, 'r1', null, null,
   [], null, null, null, null,
   [struct('id' as key, ['c1'] as value), struct('name' as key, ['Course one'] as value), struct('created_at' as key, ['2024-05-01T09:05:00Z'] as value), struct('updated_at' as key, ['2024-05-01T09:05:00Z'] as value)],
   [], 'courses', [], null),
  (timestamp_sub(current_timestamp(), interval 1 hour), 'update_entity', 'production', 'demo', null, 'r2', null, null,
   [], null, null, null, null,
   [struct('id' as key, ['c1'] as value), struct('name' as key, ['Course 1'] as value), struct('created_at' as key, ['2024-05-01T09:05:00Z'] as value), struct('updated_at' as key, ['2024-05-02T10:00:00Z'] as value)],
   [], 'courses', [], null)`;

/** HTTP Archive's crawl tables as includes/descriptions.js describes their columns (the crawl's published schema). */
const HTTPARCHIVE_PAGES = `date date, client string, page string, is_root_page bool, root_page string, rank int64, wptid string,
  payload json, summary json,
  custom_metrics struct<a11y json, cms json, cookies json, css_variables json, ecommerce json, element_count json, javascript json, markup json, media json,
    origin_trials json, performance json, privacy json, responsive_images json, robots_txt json, security json, structured_data json, third_parties json,
    well_known json, wpt_bodies json, other json>,
  lighthouse json, features array<struct<feature string, id string, type string>>,
  technologies array<struct<technology string, categories array<string>, info array<string>>>, metadata json`;
const HTTPARCHIVE_REQUESTS = `date date, client string, page string, is_root_page bool, root_page string, rank int64, url string, is_main_document bool,
  type string, index int64, payload json, summary json, request_headers array<struct<name string, value string>>,
  response_headers array<struct<name string, value string>>, response_body string`;
const HTTPARCHIVE_PARSED_CSS = 'date date, client string, page string, is_root_page bool, root_page string, rank int64, url string, css json';

/** CrUX's monthly table (`chrome-ux-report.all.YYYYMM`, the month before this one, as the reports read it), with its published histogram structs. */
function cruxSeed(): string[] {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  const table = `\`chrome-ux-report.all.${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}\``;
  const hist = (t: string) => `struct<histogram struct<bin array<struct<start ${t}, \`end\` ${t}, density float64>>>>`;
  const metrics = ['first_paint', 'first_contentful_paint', 'dom_content_loaded', 'onload', 'largest_contentful_paint', 'interaction_to_next_paint'];
  const bins = (a: string, b: string) => `struct(struct([struct(${a} as start, ${b} as \`end\`, 0.5 as density), struct(${b}, ${b} * 2, 0.5)] as bin) as histogram)`;
  return [
    `create table if not exists ${table} (origin string, effective_connection_type struct<name string>, form_factor struct<name string>,
      ${metrics.map((m) => `${m} ${hist('int64')}`).join(', ')},
      layout_instability struct<cumulative_layout_shift ${hist('float64')}>, experimental struct<time_to_first_byte ${hist('int64')}>)`,
    `insert into ${table} values ('https://site1.example', struct('4G'), struct('desktop'), ${metrics.map(() => bins('0', '100')).join(', ')},
      struct(${bins('0.0', '0.05')}), struct(${bins('0', '200')}))`,
  ];
}

function httpArchiveSeed(): string[] {
  const month = 'date_trunc(current_date(), month)';
  const pages = (client: string, n: number) => `(${month}, '${client}', 'https://site${n}.example/', true, 'https://site${n}.example/', ${n * 1000}, 'wpt${n}',
    json '{"_TTFB": 100}', json '{"bytesTotal": 1000, "reqTotal": 10}', null, json '{"categories": {"accessibility": {"score": 0.9}}}',
    [struct('ServiceWorker' as feature, '1' as id, 'default' as type)],
    [struct('WordPress' as technology, ['CMS'] as categories, ['6.4'] as info)], json '{"crawl_depth": 0}')`;
  const requests = (client: string, n: number) => `(${month}, '${client}', 'https://site${n}.example/', true, 'https://site${n}.example/', ${n * 1000},
    'https://site${n}.example/', true, 'html', 0, json '{}', json '{"respSize": 500}', [struct('accept' as name, '*/*' as value)], [struct('content-type' as name, 'text/html' as value)], '<html></html>')`;
  const css = (client: string, n: number) => `(${month}, '${client}', 'https://site${n}.example/', true, 'https://site${n}.example/', ${n * 1000}, 'https://site${n}.example/a.css', json '{"stylesheet": {"rules": []}}')`;
  const rows = (f: (c: string, n: number) => string) => ['desktop', 'mobile'].flatMap((c) => [1, 2].map((n) => f(c, n))).join(',\n');
  return [
    `create table if not exists crawl_staging.pages (${HTTPARCHIVE_PAGES})`,
    `insert into crawl_staging.pages values ${rows(pages)}`,
    `create table if not exists crawl_staging.requests (${HTTPARCHIVE_REQUESTS})`,
    `insert into crawl_staging.requests values ${rows(requests)}`,
    `create table if not exists crawl_staging.parsed_css (${HTTPARCHIVE_PARSED_CSS})`,
    `insert into crawl_staging.parsed_css values ${rows(css)}`,
    // the monthly run's incremental tables exist from earlier months (their pre-operations delete the month first)
    `create table if not exists crawl.pages (${HTTPARCHIVE_PAGES}) partition by date cluster by client, is_root_page, rank, page options (require_partition_filter = true)`,
    `create table if not exists crawl.requests (${HTTPARCHIVE_REQUESTS}) partition by date cluster by client, is_root_page, type, rank options (require_partition_filter = true)`,
    `create table if not exists crawl.parsed_css (${HTTPARCHIVE_PARSED_CSS}) partition by date cluster by client, is_root_page, rank, page options (require_partition_filter = true)`,
    // the columns its readers name (reports.tech_report_technologies[_flat] read description and icon); a table seeded here gets no guessed columns
    'create table if not exists wappalyzer.technologies (name string, categories array<string>, description string, icon string)',
    "insert into wappalyzer.technologies values ('WordPress', ['CMS'], 'WordPress is a content management system.', 'WordPress.svg')",
    // reports.tech_report_categories[_flat] read each category's description
    'create table if not exists wappalyzer.categories (name string, description string)',
    "insert into wappalyzer.categories values ('CMS', 'Content management systems.')",
    ...cruxSeed(),
  ];
}

const DFE_HOST = `const dfeAnalyticsDataform = require("dfe-analytics-dataform");

dfeAnalyticsDataform({
  eventSourceName: "demo",
  bqDatasetName: "dfe_source",
  bqEventsTableName: "events",
  urlRegex: "www.example.gov.uk",
  expirationDays: false,
  dataSchema: [{
    entityTableName: "courses",
    description: "Courses offered.",
    keys: [{ keyName: "name", dataType: "string", description: "Course name." }]
  }]
});
`;

export const PROJECTS: PublicProject[] = [
  { name: 'dataform-co/dataform examples/stackoverflow_reporter', mirror: 'dataform-co+dataform', dir: 'examples/stackoverflow_reporter' },
  {
    name: 'dataform-co/dataform examples/extreme_weather_programming',
    mirror: 'dataform-co+dataform',
    dir: 'examples/extreme_weather_programming',
    // bigquery-public-data.samples.gsod: the weather flags are BOOL
    columnTypes: { snow: 'BOOL', hail: 'BOOL', thunder: 'BOOL', tornado: 'BOOL', fog: 'BOOL', rain: 'BOOL' },
    knownFailures: { repositories_created_during_extreme_weather: 'its SQL names `dataform-open-source.was_there_extreme_weather` (a dataset that does not exist), so BigQuery fails too' },
  },
  {
    name: 'dataform-co/dataform tests/integration/bigquery_project',
    mirror: 'dataform-co+dataform',
    dir: 'tests/integration/bigquery_project',
    knownFailures: { example_operation_partial_fail: 'meant to fail (the integration test expects it)', example_assertion_fail: 'meant to fail (the integration test expects it)' },
  },
  {
    name: 'HTTPArchive/dataform',
    mirror: 'HTTPArchive+dataform',
    dir: '',
    // assigns BigQuery Reservations to actions (another Google service); 0.2.0 is not on the npm registry
    stubPackages: { '@masthead-data/dataform-package': 'module.exports = { autoAssignActions() {} };\n' },
    seedSql: httpArchiveSeed(),
    // CrUX's materialized summaries: the metrics' densities are FLOAT64 (country_code, device, origin are STRING)
    columnTypes: Object.fromEntries(['fcp', 'fid', 'inp', 'lcp', 'ttfb', 'cls', 'dcl', 'ol', 'fp'].flatMap((m) => ['avg', 'fast', 'slow', 'small', 'medium', 'large', 'p75'].map((q) => [`${q}_${m}`, 'FLOAT64']))),
    // docs/reports.md: "A `run_export_job` function exports filtered data to Cloud Storage"; its calls
    // name a destination of cloud_storage or firestore, and "Check export logs in Cloud Run": a remote
    // function the repository never defines. The stand-in takes the job and exports nothing.
    standInFunctions: {
      'reports.run_export_job': 'create or replace function reports.run_export_job(job_config json) returns string as (cast(null as string))',
      // CrUX's public routine naming the country of a country_summary row's code (the sample's codes are made up)
      'chrome-ux-report.experimental.GET_COUNTRY': 'create or replace function `chrome-ux-report.experimental.GET_COUNTRY`(country_code string) returns string as (country_code)',
    },
    existingIncrementalTables: true,
    knownFailures: {
      pages_per_client: 'a volume check (fewer than 20 million pages per client fails), so any small sample fails it, on BigQuery too; crawl.pages and everything after it wait on it',
      country_summary_not_empty: 'a volume check (fewer than 236 countries in the CrUX summary fails)',
      device_summary_not_empty: 'a volume check (not 3 devices and 10 ranks in the CrUX summary fails)',
    },
    volumeChecks: ['pages_per_client', 'country_summary_not_empty', 'device_summary_not_empty', 'corrupted_technology_values'],
  },
  {
    name: 'DFE-Digital/dfe-analytics-dataform (host project per its README)',
    mirror: 'DFE-Digital+dfe-analytics-dataform',
    dir: '',
    host: {
      packageName: 'dfe-analytics-dataform',
      files: {
        'workflow_settings.yaml': 'defaultProject: landform-local\ndefaultLocation: US\ndefaultDataset: dfe_analytics\ndefaultAssertionDataset: dfe_analytics_assertions\n',
        'includes/data_functions.js': 'module.exports = require("dfe-analytics-dataform/includes/data_functions");\n',
        'definitions/dfe_analytics_dataform.js': DFE_HOST,
      },
    },
    seedSql: [DFE_SCHEMA, DFE_ROWS],
    // events.js: "the latest version of this script can be found at https://github.com/woothee/woothee-js/blob/master/release/woothee.js"
    libraries: [{ uri: 'https://storage.googleapis.com/public-dfe-analytics-dataform-scripts-cross-service/woothee.js', npm: 'woothee@1.11.1', file: 'release/woothee.js' }],
  },
  {
    name: 'superformlabs/ga4dataform-community',
    mirror: 'superformlabs+ga4dataform-community',
    dir: '',
    // the GA4 export of workflow_settings.yaml's GA4_DATASET (analytics_31337), as Google documents its schema
    seedSql: ga4Seed('analytics_31337'),
  },
  {
    name: 'GoogleCloudPlatform/cloud-cost-management-toolkit',
    mirror: 'GoogleCloudPlatform+cloud-cost-management-toolkit',
    dir: '',
    // README, "Configuring for your project": rename the template to workflow_settings.yaml, set the
    // default project and dataset and the raw billing export's project, dataset and table; the
    // recommendations export is optional (configured here). The feature flags are the Terraform
    // template's: the Azure export is another cloud's, so off.
    settings: {
      template: 'workflow_settings_template.yaml',
      values: {
        '"<project_id>"': '"landform-local"',
        '"<dataset_id>"': '"ccm_toolkit"',
        '"<same_dataset_id>"': '"ccm_toolkit"',
        '"<raw billing export table>"': '"gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9"',
        '"<raw billing export dataset>"': '"billing_export"',
        '"<raw billing export gcp project>"': '"landform-local"',
        '"<recommendations_export_table_name>"': '"recommendations_export"',
        '"<raw Azure billing export table>"': '"azure_costs"',
        '"<raw Azure billing export dataset>"': '"azure_export"',
      },
      vars: { enable_recommendations: 'true', enable_azure: 'false' },
    },
    seedSql: billingSeed('landform-local', 'billing_export', 'gcp_billing_export_v1_01A2B3_C4D5E6_F7A8B9', 'recommendations_export'),
  },
];
