// SQL generated from the telemetry metrics contract: one typed column per known metric key,
// safely cast from the raw JSON map (unknown keys stay in the map), and the contract's ranges.

const { telemetry } = require("./contracts.js");

// Contract type (and the aliases src/contracts accepts) → GoogleSQL cast target.
const SQL_TYPES = {
  INT64: "int64",
  INTEGER: "int64",
  FLOAT64: "float64",
  FLOAT: "float64",
  NUMERIC: "numeric",
  DECIMAL: "numeric",
  BIGNUMERIC: "bignumeric",
  BIGDECIMAL: "bignumeric",
  BOOL: "bool",
  BOOLEAN: "bool",
  STRING: "string",
};

function metricEntries(contract = telemetry) {
  return Object.keys(contract.metrics).map((key) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) throw new Error(`contracts/telemetry: metric key ${key} is not a lower snake_case identifier`);
    return [key, contract.metrics[key]];
  });
}

function metricKeys(contract = telemetry) {
  return metricEntries(contract).map(([key]) => key);
}

function sqlType(key, metric) {
  const type = SQL_TYPES[String(metric.type).trim().toUpperCase()];
  if (!type) throw new Error(`contracts/telemetry: metric ${key} has unsupported type ${metric.type}`);
  return type;
}

function literal(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Error(`metric range bound ${value} is not a number`);
  return String(value);
}

/** `safe_cast(json_value(metrics, '$.battery_v') as float64) as battery_v`, one per metric. */
function typedColumns(jsonColumn = "metrics", contract = telemetry) {
  return metricEntries(contract)
    .map(([key, metric]) => `safe_cast(json_value(${jsonColumn}, '$.${key}') as ${sqlType(key, metric)}) as ${key}`)
    .join(",\n    ");
}

function hasRange(metric) {
  return typeof metric.min === "number" || typeof metric.max === "number";
}

/** True when the value breaks its range; null when the value is null (absent is not out of range). */
function outOfRangeExpression(key, metric) {
  const parts = [];
  if (typeof metric.min === "number") parts.push(`${key} < ${literal(metric.min)}`);
  if (typeof metric.max === "number") parts.push(`${key} > ${literal(metric.max)}`);
  return parts.join(" or ");
}

function withinRangeExpression(key, metric) {
  const hasMin = typeof metric.min === "number";
  const hasMax = typeof metric.max === "number";
  if (hasMin && hasMax) return `${key} between ${literal(metric.min)} and ${literal(metric.max)}`;
  return hasMin ? `${key} >= ${literal(metric.min)}` : `${key} <= ${literal(metric.max)}`;
}

/** One row condition per ranged metric: `battery_v is null or battery_v between 0 and 30`. */
function rangeConditions(contract = telemetry) {
  return metricEntries(contract)
    .filter(([, metric]) => hasRange(metric))
    .map(([key, metric]) => `${key} is null or ${withinRangeExpression(key, metric)}`);
}

/** Boolean SQL: does any metric of the row break its range. */
function anyOutOfRange(contract = telemetry) {
  const parts = metricEntries(contract)
    .filter(([, metric]) => hasRange(metric))
    .map(([key, metric]) => `coalesce(${outOfRangeExpression(key, metric)}, false)`);
  return parts.length ? parts.join("\n      or ") : "false";
}

/** One select per ranged metric, unioned: the rows of `relation` whose value breaks the range. */
function outOfRangeRows(relation, keyColumns, contract = telemetry) {
  const keys = keyColumns.join(", ");
  return metricEntries(contract)
    .filter(([, metric]) => hasRange(metric))
    .map(([key, metric]) =>
      [
        `select ${keys}, '${key}' as metric_key, cast(${key} as float64) as metric_value,`,
        `    ${typeof metric.min === "number" ? `cast(${literal(metric.min)} as float64)` : "cast(null as float64)"} as min_value,`,
        `    ${typeof metric.max === "number" ? `cast(${literal(metric.max)} as float64)` : "cast(null as float64)"} as max_value`,
        `  from ${relation}`,
        `  where ${outOfRangeExpression(key, metric)}`,
      ].join("\n"),
    )
    .join("\n  union all\n  ");
}

/** Per ranged metric: `select 'battery_v' as metric_key, countif(battery_v is not null) ..., countif(<out of range>) ... from readings`. */
function outOfRangeCounts(relation = "readings", contract = telemetry) {
  return metricEntries(contract)
    .filter(([, metric]) => hasRange(metric))
    .map(
      ([key, metric]) =>
        `select '${key}' as metric_key, countif(${key} is not null) as reported_count, countif(${outOfRangeExpression(key, metric)}) as out_of_range_count from ${relation}`,
    );
}

/** `{battery_v: "Starter battery voltage. Unit: V; valid range 0 to 30. ..."}`. */
function columnDescriptions(contract = telemetry) {
  const out = {};
  for (const [key, metric] of metricEntries(contract)) {
    const range = hasRange(metric) ? `; valid range ${metric.min ?? "-inf"} to ${metric.max ?? "+inf"}` : "";
    out[key] = `${metric.description} Unit: ${metric.unit}${range}. Typed from metrics.${key}; null when absent or not a ${metric.type}.`;
  }
  return out;
}

module.exports = { metricKeys, typedColumns, rangeConditions, anyOutOfRange, outOfRangeRows, outOfRangeCounts, columnDescriptions };

/** `avg(battery_v) as avg_battery_v`, one per numeric metric, for daily rollups. */
function dailyAverages(contract = telemetry) {
  return metricEntries(contract)
    .filter(([key, metric]) => sqlType(key, metric) !== "bool" && sqlType(key, metric) !== "string")
    .map(([key]) => `avg(${key}) as avg_${key}`)
    .join(",\n    ");
}

function dailyAverageDescriptions(contract = telemetry) {
  const out = {};
  for (const [key, metric] of metricEntries(contract)) {
    const type = sqlType(key, metric);
    if (type !== "bool" && type !== "string") out[`avg_${key}`] = `Mean ${key} (${metric.unit}) over the day's readings that report it.`;
  }
  return out;
}

module.exports.dailyAverages = dailyAverages;
module.exports.dailyAverageDescriptions = dailyAverageDescriptions;

/**
 * `alter table <relation> add column if not exists battery_v float64, ...`, one per metric: run
 * before an incremental MERGE, a metric added to the contract becomes a column of the existing
 * table (no full refresh). Dataform's own onSchemaChange cannot do this here: its procedure body
 * holds the model's query, and a procedure does not see the script's DECLAREd checkpoint.
 */
function addMissingColumns(relation, contract = telemetry) {
  const columns = metricEntries(contract).map(([key, metric]) => `add column if not exists ${key} ${sqlType(key, metric)}`);
  return `alter table ${relation} ${columns.join(", ")}`;
}

module.exports.addMissingColumns = addMissingColumns;
