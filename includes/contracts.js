// The YAML contracts, read at compile time (the sandbox can require .yaml, not list a directory).
// A table contract added under contracts/tables/ is named here too; a Jest test checks the two agree.

const TABLE_NAMES = [
  "ad_events",
  "devices",
  "economic_indicators",
  "entity_mentions",
  "eval_runs",
  "ingestion_runs",
  "marketplace_events",
  "news_events",
  "query_logs",
  "telemetry_readings",
  "un_comtrade",
  "world_bank",
];

// A contract that does not even parse is kept as an empty stub, so every model still compiles and
// the one error below is the only one Dataform prints (instead of one per file that uses it).
const yamlErrors = [];
function readYaml(file) {
  try {
    return require(`../contracts/${file}`).asJson;
  } catch (error) {
    const reason = String(error.message || error).split("\n")[0].replace(/^.*? is not a valid YAML file: /, "");
    yamlErrors.push(`contracts/${file}: (root): invalid YAML: ${reason}`);
    return undefined;
  }
}

const stub = (name) => ({
  name, version: 1, domain: "unparsed", description: `contracts/tables/${name}.yaml does not parse`, source: { schema: "public", table: name },
  load: { mode: "full_refresh" }, primary_key: ["unparsed_at"], partition: { column: "unparsed_at", granularity: "day" }, cluster_by: [],
  columns: [{ name: "unparsed_at", type: "TIMESTAMP", mode: "REQUIRED", description: "Placeholder: the contract did not parse." }],
});
const tables = {};
for (const name of TABLE_NAMES) tables[name] = readYaml(`tables/${name}.yaml`) || stub(name);

const telemetry = readYaml("telemetry/v1.yaml") || { metrics: {} };

// The same rules as `landform contracts validate` (one module, plain CommonJS for this sandbox).
const rules = require("../contracts/schema/shared/index.js");

/**
 * Throws one error naming the first broken file, path and rule. Called from one definitions file
 * (definitions/contracts_valid.js) only: the includes stay usable, so nothing else fails with it.
 */
function assertValid() {
  const checked = TABLE_NAMES.map((name) => ({ file: `contracts/tables/${name}.yaml`, issues: rules.checkTable(tables[name], name) }))
    .concat([{ file: "contracts/telemetry/v1.yaml", issues: rules.checkTelemetry(telemetry) }]);
  if (yamlErrors.length > 0) {
    const error = new Error(`invalid data contract: ${yamlErrors[0]}${yamlErrors.length > 1 ? ` (and ${yamlErrors.length - 1} more)` : ""}`);
    error.stack = error.message;
    throw error;
  }
  rules.assertValid(checked);
}

// Columns every raw row carries (docs/conventions.md), kept through the curated layer.
const LOADER_COLUMNS = {
  _batch_id: "Export batch that landed this row version (landform_raw.export_batches.batch_id).",
  _extracted_at: "When the loader extracted this row version from Postgres (UTC).",
  _contract_hash: "Canonical hash of the table contract the row was exported under.",
};

// Tables with `deletes: key_scan` carry one more: the loader's tombstone marker.
const DELETED_AT = { _deleted_at: "Tombstone marker from the loader's key scan; the curated post-operation removes such keys, so it is null in every curated row." };

/** Loader columns of one table: `_deleted_at` too when its contract scans for hard deletes. */
function loaderColumns(name) {
  return table(name).deletes ? Object.assign({}, LOADER_COLUMNS, DELETED_AT) : LOADER_COLUMNS;
}

function table(name) {
  const contract = tables[name];
  if (!contract) throw new Error(`no table contract named ${name} (known: ${TABLE_NAMES.join(", ")})`);
  return contract;
}

function metricsContractOf(name) {
  const path = table(name).metrics_contract;
  return path ? require(`../contracts/${path}`).asJson : undefined;
}

/** Columns that reach BigQuery: privacy `drop` columns never leave Postgres. */
function exportedColumns(name) {
  return table(name).columns.filter((column) => column.privacy !== "drop");
}

function privacyNote(column) {
  return column.privacy ? ` [privacy: ${column.privacy}]` : "";
}

/** `{column: description}` for a Dataform `columns: {}` block, loader columns included. */
function columnDescriptions(name, options = {}) {
  const omit = new Set(options.omit || []);
  const out = {};
  for (const column of exportedColumns(name)) {
    if (!omit.has(column.name)) out[column.name] = column.description + privacyNote(column);
  }
  if (options.loaderColumns !== false) Object.assign(out, loaderColumns(name));
  return out;
}

/** Exported column names as a select list, loader columns last. */
function selectList(name, options = {}) {
  const omit = new Set(options.omit || []);
  const names = exportedColumns(name).map((c) => c.name).filter((n) => !omit.has(n));
  return names.concat(Object.keys(loaderColumns(name))).join(",\n    ");
}

/** Key columns plus every REQUIRED exported column: what must never be null downstream. */
function requiredColumns(name) {
  return exportedColumns(name).filter((c) => c.mode === "REQUIRED").map((c) => c.name);
}

module.exports = {
  TABLE_NAMES,
  assertValid,
  LOADER_COLUMNS,
  loaderColumns,
  tables,
  telemetry,
  table,
  metricsContractOf,
  exportedColumns,
  columnDescriptions,
  selectList,
  requiredColumns,
};
