/* global exports */
// BigQuery scalar types and durations as contracts spell them. Plain CommonJS with no dependencies:
// the Dataform compile sandbox requires this file, and the TypeScript validator imports the same one.

const BIGQUERY_TYPES = ["STRING", "BYTES", "INT64", "FLOAT64", "NUMERIC", "BIGNUMERIC", "BOOL", "TIMESTAMP", "DATE", "DATETIME", "TIME", "JSON"];
const ALIASES = { INTEGER: "INT64", FLOAT: "FLOAT64", BOOLEAN: "BOOL", DECIMAL: "NUMERIC", BIGDECIMAL: "BIGNUMERIC" };
// FLOAT64 and JSON cannot be clustered on.
const CLUSTERABLE_TYPES = ["STRING", "BYTES", "INT64", "NUMERIC", "BIGNUMERIC", "BOOL", "TIMESTAMP", "DATE", "DATETIME"];
const NUMERIC_TYPES = ["INT64", "FLOAT64", "NUMERIC", "BIGNUMERIC"];

/** `integer` -> `INT64`; undefined when the name is no BigQuery scalar type. */
function normalizeType(name) {
  if (typeof name !== "string") return undefined;
  const upper = name.trim().toUpperCase();
  if (BIGQUERY_TYPES.includes(upper)) return upper;
  return ALIASES[upper];
}

const UNITS = { d: 86400, h: 3600, m: 60, s: 1 };
const DURATION = /^(\d{1,6})([smhd])$/;

/** Seconds in a duration such as `15m`, `1h`, `1d`; undefined when malformed. */
function durationSeconds(text) {
  if (typeof text !== "string") return undefined;
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * UNITS[match[2]] : undefined;
}

/** The same duration in its largest whole unit (`60m` -> `1h`), so equal durations compare equal. */
function normalizeDuration(text) {
  const seconds = durationSeconds(text);
  if (seconds === undefined) return undefined;
  if (seconds === 0) return "0s";
  for (const unit of Object.keys(UNITS)) {
    if (seconds % UNITS[unit] === 0) return `${seconds / UNITS[unit]}${unit}`;
  }
  return `${seconds}s`;
}

exports.BIGQUERY_TYPES = BIGQUERY_TYPES;
exports.CLUSTERABLE_TYPES = CLUSTERABLE_TYPES;
exports.NUMERIC_TYPES = NUMERIC_TYPES;
exports.normalizeType = normalizeType;
exports.durationSeconds = durationSeconds;
exports.normalizeDuration = normalizeDuration;
