// Contract checks on curated tables: unique primary key, non-null required columns, metric ranges
// and freshness. Declared as standalone assertions (definitions/assertions/curated_contract_checks.js)
// because Dataform's inline assertions scan the whole table, which a table with
// require_partition_filter refuses; these read only the last assertion_window_days of partitions.

const contracts = require("./contracts.js");
const metrics = require("./metrics.js");
const settings = require("./settings.js");

function windowPredicate(name) {
  const contract = contracts.table(name);
  if (contract.require_partition_filter !== true) return "true";
  const column = contract.partition.column;
  return `${column} >= timestamp_sub(current_timestamp(), interval ${settings.intVar("assertion_window_days")} day)`;
}

function uniqueKeyQuery(name, relation) {
  const keys = contracts.table(name).primary_key.join(", ");
  return `select ${keys}, count(*) as row_count\nfrom ${relation}\nwhere ${windowPredicate(name)}\ngroup by ${keys}\nhaving count(*) > 1`;
}

function nonNullQuery(name, relation) {
  const columns = contracts.requiredColumns(name).concat(["_batch_id", "_extracted_at"]);
  return `select *\nfrom ${relation}\nwhere ${windowPredicate(name)}\n  and (${columns.map((c) => `${c} is null`).join("\n    or ")})`;
}

function metricRangesQuery(name, relation) {
  const keys = contracts.table(name).primary_key.join(", ");
  const conditions = metrics.rangeConditions().map((c) => `(${c})`);
  return `select ${keys}, ${metrics.metricKeys().join(", ")}\nfrom ${relation}\nwhere ${windowPredicate(name)}\n  and not (${conditions.join("\n    and ")})`;
}

/** One row (the newest load time) when the table has rows and none loaded within freshness_max_hours. */
function freshnessQuery(name, relation) {
  const hours = settings.intVar("freshness_max_hours");
  return `select max(_extracted_at) as newest_extracted_at\nfrom ${relation}\nwhere ${windowPredicate(name)}\nhaving max(_extracted_at) < timestamp_sub(current_timestamp(), interval ${hours} hour)`;
}

module.exports = { windowPredicate, uniqueKeyQuery, nonNullQuery, metricRangesQuery, freshnessQuery };
