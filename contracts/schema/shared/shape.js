/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the Dataform compile sandbox requires this file */
// Field-by-field shape rules of a contract: which fields exist, which are required, and what each
// holds. A small declarative checker instead of zod, because the Dataform compile sandbox can load
// no dependencies; the messages are the ones `landform contracts validate` has always printed.
const { normalizeDuration, normalizeType } = require("./types.js");

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,127}$/;
const IDENTIFIER_RULE = "must be a lower snake_case identifier ([a-z_][a-z0-9_]*, at most 128 characters)";

function kindOf(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value;
}

// Each field spec: { kind, check?(value) -> rule | undefined, required?, fields?, items? }.
const text = { kind: "string", check: (v) => (v.trim() === "" ? "must not be empty" : undefined) };
const identifier = { kind: "string", check: (v) => (IDENTIFIER.test(v) ? undefined : IDENTIFIER_RULE) };
const positiveInt = { kind: "number", check: (v) => (Number.isInteger(v) && v > 0 ? undefined : "must be a positive integer") };
const oneOf = (...values) => ({ kind: "string", check: (v) => (values.includes(v) ? undefined : `must be one of ${values.join(", ")} (got ${JSON.stringify(v)})`) });
const bigQueryType = { kind: "string", check: (v) => (normalizeType(v) ? undefined : `unknown BigQuery type ${JSON.stringify(v)}`) };
const duration = { kind: "string", check: (v) => (normalizeDuration(v) === undefined ? `must be a duration such as 15m, 1h or 1d (got ${JSON.stringify(v)})` : undefined) };
const req = (spec) => Object.assign({}, spec, { required: true });
const object = (fields) => ({ kind: "object", fields });
const array = (items, min, max) => ({ kind: "array", items, min, max });

const COLUMN = object({
  name: req(identifier), type: req(bigQueryType), mode: oneOf("NULLABLE", "REQUIRED", "REPEATED"), description: req(text),
  privacy: oneOf("hash", "mask_except_last_4", "truncate_ip", "drop"),
});

const TABLE = object({
  name: req(identifier),
  version: req(positiveInt),
  domain: req(identifier),
  description: req(text),
  source: req(object({ schema: req(identifier), table: req(identifier) })),
  metrics_contract: { kind: "string", check: (v) => (/^[a-z0-9_/-]+\.ya?ml$/.test(v) ? undefined : "must be a path such as telemetry/v1.yaml") },
  load: req(object({ mode: req(oneOf("append", "merge", "full_refresh")), cursor: identifier, lookback: duration })),
  primary_key: req(array(identifier, [1, "must name at least one column"])),
  partition: req(object({ column: req(identifier), granularity: req(oneOf("hour", "day", "month", "year")), expiration_days: positiveInt })),
  cluster_by: array(identifier, undefined, [4, "BigQuery clusters on at most 4 columns"]),
  require_partition_filter: { kind: "boolean" },
  deletes: object({ mode: req(oneOf("key_scan")), max_keys: positiveInt }),
  parallel: object({ workers: req(positiveInt) }),
  columns: req(array(COLUMN, [1, "must list at least one column"])),
});

const METRIC = object({
  type: req(bigQueryType), unit: req(text), min: { kind: "number" }, max: { kind: "number" }, description: req(text),
});

const TELEMETRY = object({
  version: req(positiveInt), name: req(identifier), description: req(text),
  metrics: req({ kind: "object", values: METRIC }),
});

// A key with spaces is usually a description cut at an unquoted comma inside `{...}`.
const hint = (key) => (/\s/.test(key) ? " (an unquoted comma inside a {...} mapping? quote the value)" : "");

/** Every shape issue of `value` against `spec`, as `{path, rule}` with `path` an array of keys and indexes. */
function checkShape(value, spec, path, issues) {
  const kind = kindOf(value);
  if (kind !== spec.kind) {
    issues.push({ path, rule: `must be ${spec.kind === "array" ? "a list" : spec.kind === "object" ? "a mapping" : `a ${spec.kind}`} (got ${kind})` });
    return issues;
  }
  if (spec.check) {
    const rule = spec.check(value);
    if (rule) issues.push({ path, rule });
  }
  if (spec.kind === "array") {
    if (spec.min && value.length < spec.min[0]) issues.push({ path, rule: spec.min[1] });
    if (spec.max && value.length > spec.max[0]) issues.push({ path, rule: spec.max[1] });
    value.forEach((item, i) => checkShape(item, spec.items, path.concat([i]), issues));
  }
  if (spec.kind === "object" && spec.values) {
    for (const key of Object.keys(value)) checkShape(value[key], spec.values, path.concat([key]), issues);
  }
  if (spec.kind === "object" && spec.fields) {
    for (const key of Object.keys(value)) {
      if (!(key in spec.fields)) issues.push({ path: path.concat([key]), rule: `unknown field${hint(key)}` });
    }
    for (const [key, field] of Object.entries(spec.fields)) {
      if (value[key] === undefined) {
        if (field.required) issues.push({ path: path.concat([key]), rule: `required field is missing (expected ${field.kind})` });
      } else {
        checkShape(value[key], field, path.concat([key]), issues);
      }
    }
  }
  return issues;
}

exports.IDENTIFIER = IDENTIFIER;
exports.checkTableShape = (value) => checkShape(value, TABLE, [], []);
exports.checkTelemetryShape = (value) => checkShape(value, TELEMETRY, [], []);
