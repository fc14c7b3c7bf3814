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

/**
 * One row per metric whose share of out-of-range values over the window exceeds
 * max_out_of_range_ratio. Single glitches are expected from field devices (they are listed in
 * mart_out_of_range_readings); a rising share means a sensor, firmware or contract problem.
 */
function metricRangesQuery(name, relation) {
  const ratio = settings.ratioVar("max_out_of_range_ratio");
  const perMetric = metrics.outOfRangeCounts();
  return [
    "with",
    "",
    "readings as (",
    `  select * from ${relation}`,
    `  where ${windowPredicate(name)}`,
    "),",
    "",
    "metric_counts as (",
    `  ${perMetric.join("\n  union all\n  ")}`,
    ")",
    "",
    "select metric_key, reported_count, out_of_range_count, safe_divide(out_of_range_count, reported_count) as out_of_range_ratio",
    "from metric_counts",
    `where out_of_range_count > ${ratio} * reported_count`,
  ].join("\n");
}

/** One windowed query returning the rows that break any of `conditions` (business invariants). */
function rowConditionsQuery(name, relation, conditions) {
  return conditions
    // The label swaps ' for " so it needs no escape inside a string literal.
    .map((condition) => `select '${condition.replace(/'/g, '"')}' as failing_row_condition, *\nfrom ${relation}\nwhere ${windowPredicate(name)}\n  and not (${condition})`)
    .join("\nunion all\n");
}

/** One row (the newest load time) when the table has rows and none loaded within freshness_max_hours. */
function freshnessQuery(name, relation) {
  const hours = settings.intVar("freshness_max_hours");
  return `select max(_extracted_at) as newest_extracted_at\nfrom ${relation}\nwhere ${windowPredicate(name)}\nhaving max(_extracted_at) < timestamp_sub(current_timestamp(), interval ${hours} hour)`;
}

module.exports = { windowPredicate, uniqueKeyQuery, nonNullQuery, metricRangesQuery, rowConditionsQuery, freshnessQuery };
