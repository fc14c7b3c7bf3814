/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the Dataform compile sandbox requires this file */
// Rules that relate one field of a contract to another, run on the YAML value as written (types
// and defaults normalized here), so the compile sandbox and `landform contracts validate` agree.
// Parts already reported as malformed by shape.js are skipped, never reported twice.
const { CLUSTERABLE_TYPES, NUMERIC_TYPES, normalizeType } = require("./types.js");
const { IDENTIFIER } = require("./shape.js");

const PARTITION_TYPES = ["TIMESTAMP", "DATE"];
const KEY_UNSAFE_PRIVACY = ["mask_except_last_4", "truncate_ip"];

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v) => (Array.isArray(v) ? v : []);

function columnsOf(table) {
  return list(table.columns)
    .map((c, i) => ({ raw: c, i }))
    .filter(({ raw }) => isObject(raw) && typeof raw.name === "string")
    .map(({ raw, i }) => ({ i, name: raw.name, type: normalizeType(raw.type), mode: raw.mode || "NULLABLE", privacy: raw.privacy }));
}

/** Every cross-field issue of a table contract whose file is `fileStem`.yaml. */
function checkTableRules(table, fileStem) {
  const issues = [];
  if (!isObject(table)) return issues;
  const byName = new Map();
  for (const column of columnsOf(table)) {
    if (byName.has(column.name)) issues.push({ path: ["columns", column.i, "name"], rule: `duplicate column name ${column.name}` });
    else byName.set(column.name, column);
    if (column.name.startsWith("_")) issues.push({ path: ["columns", column.i, "name"], rule: "names starting with _ are reserved for loader metadata columns" });
    if (column.privacy && column.privacy !== "drop" && column.type && column.type !== "STRING") {
      issues.push({ path: ["columns", column.i, "privacy"], rule: `privacy ${column.privacy} applies only to STRING columns (column is ${column.type})` });
    }
  }
  if (typeof table.name === "string" && table.name !== fileStem) issues.push({ path: ["name"], rule: `must equal the file name (${fileStem})` });

  // A referenced column must exist and must survive export (not privacy: drop).
  const requireColumn = (path, name, role) => {
    if (typeof name !== "string") return undefined;
    const column = byName.get(name);
    if (!column) issues.push({ path, rule: `${role} ${name} is not a column of the table` });
    else if (column.privacy === "drop") issues.push({ path, rule: `${role} ${name} has privacy: drop, so it never reaches BigQuery` });
    return column;
  };

  const load = isObject(table.load) ? table.load : {};
  if (load.mode === "full_refresh") {
    if (load.cursor !== undefined) issues.push({ path: ["load", "cursor"], rule: "full_refresh tables are replaced whole and take no cursor" });
  } else if (load.mode === "append" || load.mode === "merge") {
    if (load.cursor === undefined) {
      issues.push({ path: ["load", "cursor"], rule: `required for load mode ${load.mode}` });
    } else {
      const column = requireColumn(["load", "cursor"], load.cursor, "cursor");
      if (column && column.type && column.type !== "TIMESTAMP") issues.push({ path: ["load", "cursor"], rule: `cursor ${load.cursor} must be a TIMESTAMP column (is ${column.type})` });
      if (column && column.mode !== "REQUIRED") issues.push({ path: ["load", "cursor"], rule: `cursor ${load.cursor} must be REQUIRED` });
    }
  }

  const seenKeys = new Set();
  list(table.primary_key).forEach((name, i) => {
    const path = ["primary_key", i];
    if (seenKeys.has(name)) issues.push({ path, rule: `duplicate primary key column ${name}` });
    seenKeys.add(name);
    const column = requireColumn(path, name, "primary key column");
    if (!column) return;
    if (column.mode !== "REQUIRED") issues.push({ path, rule: `primary key column ${name} must be REQUIRED` });
    if (column.type === "JSON" || column.type === "FLOAT64") issues.push({ path, rule: `primary key column ${name} cannot be ${column.type}` });
    if (column.privacy && KEY_UNSAFE_PRIVACY.includes(column.privacy)) {
      issues.push({ path, rule: `primary key column ${name} cannot use privacy ${column.privacy} (distinct keys would collide)` });
    }
  });

  const partitionSpec = isObject(table.partition) ? table.partition : {};
  const partition = requireColumn(["partition", "column"], partitionSpec.column, "partition column");
  if (partition && partition.mode === "REPEATED") issues.push({ path: ["partition", "column"], rule: `partition column ${partition.name} cannot be REPEATED` });
  if (partition && partition.type && !PARTITION_TYPES.includes(partition.type)) {
    issues.push({ path: ["partition", "column"], rule: `partition column ${partition.name} must be TIMESTAMP or DATE (is ${partition.type})` });
  }
  if (partition && partition.type === "DATE" && partitionSpec.granularity === "hour") {
    issues.push({ path: ["partition", "granularity"], rule: "a DATE column cannot be partitioned by hour" });
  }

  const seenCluster = new Set();
  list(table.cluster_by).forEach((name, i) => {
    const path = ["cluster_by", i];
    if (seenCluster.has(name)) issues.push({ path, rule: `duplicate cluster column ${name}` });
    seenCluster.add(name);
    const column = requireColumn(path, name, "cluster column");
    if (column && column.type && !CLUSTERABLE_TYPES.includes(column.type)) issues.push({ path, rule: `BigQuery cannot cluster on ${column.type} column ${name}` });
    if (column && column.mode === "REPEATED") issues.push({ path, rule: `BigQuery cannot cluster on REPEATED column ${name}` });
  });

  if (isObject(table.deletes)) {
    // The scan reads the raw layer's latest version of every key: only small, unpruned tables.
    if (load.mode === "full_refresh") issues.push({ path: ["deletes"], rule: "full_refresh tables are replaced whole, so their deletes arrive without a key scan" });
    if (table.require_partition_filter === true) issues.push({ path: ["deletes"], rule: "a key scan reads every partition of the raw table, which require_partition_filter forbids; use a soft-delete column instead" });
    list(table.primary_key).forEach((name, i) => {
      const column = byName.get(name);
      if (column && column.privacy) issues.push({ path: ["primary_key", i], rule: `primary key column ${name} cannot use privacy ${column.privacy} with deletes: key_scan (the scan compares keys as Postgres holds them)` });
    });
  }

  if (table.metrics_contract !== undefined) {
    const metrics = byName.get("metrics");
    if (!metrics || metrics.type !== "JSON") issues.push({ path: ["metrics_contract"], rule: "a table with a metrics contract needs a JSON column named metrics" });
  }
  return issues;
}

/** Every cross-field issue of the telemetry (metric keys) contract. */
function checkTelemetryRules(telemetry) {
  const issues = [];
  if (!isObject(telemetry) || !isObject(telemetry.metrics)) return issues;
  const keys = Object.keys(telemetry.metrics);
  if (keys.length === 0) issues.push({ path: ["metrics"], rule: "must list at least one metric" });
  for (const key of keys) {
    const metric = telemetry.metrics[key];
    if (!isObject(metric)) continue;
    if (!IDENTIFIER.test(key)) issues.push({ path: ["metrics", key], rule: "metric keys must be lower snake_case identifiers (they become column names)" });
    const type = normalizeType(metric.type);
    if (!type) continue;
    const numeric = NUMERIC_TYPES.includes(type);
    if (!numeric && type !== "BOOL" && type !== "STRING") {
      issues.push({ path: ["metrics", key, "type"], rule: `metric type must be INT64, FLOAT64, NUMERIC, BIGNUMERIC, BOOL or STRING (is ${type})` });
    }
    for (const bound of ["min", "max"]) {
      const value = metric[bound];
      if (typeof value !== "number") continue;
      if (!numeric) issues.push({ path: ["metrics", key, bound], rule: `a range applies only to numeric metrics (type is ${type})` });
      else if (type === "INT64" && !Number.isInteger(value)) issues.push({ path: ["metrics", key, bound], rule: "must be an integer for an INT64 metric" });
    }
    if (typeof metric.min === "number" && typeof metric.max === "number" && metric.min > metric.max) {
      issues.push({ path: ["metrics", key, "min"], rule: `min ${metric.min} is greater than max ${metric.max}` });
    }
  }
  return issues;
}

exports.checkTableRules = checkTableRules;
exports.checkTelemetryRules = checkTelemetryRules;
