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
  /** Source tables whose shape the SQL cannot tell (arrays of structs): GoogleSQL DDL and INSERTs run before the first run. */
  seedSql?: string[];
  /** Column types of the public tables it reads where the name does not tell (from those tables' published schemas). */
  columnTypes?: Record<string, string>;
  /**
   * Packages the project requires that the npm registry does not have, replaced by a stand-in
   * (package name → its index.js). Only for what needs another Google service anyway.
   */
  stubPackages?: Record<string, string>;
  /** Actions the project itself means to fail (its own tests expect them to). */
  expectedFailures?: string[];
}

const DFE_SCHEMA = `create table if not exists dfe_source.events (
  occurred_at timestamp, event_type string, environment string, namespace string, request_user_id string,
  request_uuid string, request_method string, request_path string,
  request_query array<struct<key string, value array<string>>>, request_user_agent string, request_referer string,
  response_content_type string, response_status string,
  data array<struct<key string, value array<string>>>, hidden_data array<struct<key string, value array<string>>>,
  entity_table_name string, event_tags array<string>, anonymised_user_agent_and_ip string)`;

const DFE_ROWS = `insert into dfe_source.events values
  (timestamp '2024-05-01 09:00:00 UTC', 'web_request', 'production', 'demo', 'u1', 'r1', 'GET', '/courses',
   [struct('page' as key, ['2'] as value)], 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0', 'https://www.example.gov.uk/',
   'text/html', '200', [], [], null, [], 'anon1'),
  (timestamp '2024-05-01 09:05:00 UTC', 'create_entity', 'production', 'demo', null, 'r1', null, null,
   [], null, null, null, null,
   [struct('id' as key, ['c1'] as value), struct('name' as key, ['Course one'] as value), struct('created_at' as key, ['2024-05-01T09:05:00Z'] as value), struct('updated_at' as key, ['2024-05-01T09:05:00Z'] as value)],
   [], 'courses', [], null),
  (timestamp '2024-05-02 10:00:00 UTC', 'update_entity', 'production', 'demo', null, 'r2', null, null,
   [], null, null, null, null,
   [struct('id' as key, ['c1'] as value), struct('name' as key, ['Course 1'] as value), struct('created_at' as key, ['2024-05-01T09:05:00Z'] as value), struct('updated_at' as key, ['2024-05-02T10:00:00Z'] as value)],
   [], 'courses', [], null)`;

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
  },
  {
    name: 'dataform-co/dataform tests/integration/bigquery_project',
    mirror: 'dataform-co+dataform',
    dir: 'tests/integration/bigquery_project',
    expectedFailures: ['example_operation_partial_fail', 'example_assertion_fail'],
  },
  {
    name: 'HTTPArchive/dataform',
    mirror: 'HTTPArchive+dataform',
    dir: '',
    // assigns BigQuery Reservations to actions (another Google service); 0.2.0 is not on the npm registry
    stubPackages: { '@masthead-data/dataform-package': 'module.exports = { autoAssignActions() {} };\n' },
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
  },
];
