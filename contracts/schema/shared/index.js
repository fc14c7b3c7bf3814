/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the Dataform compile sandbox requires this file */
// The one rule set for data contracts: `landform contracts validate` (TypeScript) and the Dataform
// includes (compile sandbox: CommonJS, no dependencies, no Node builtins) both call these functions.
const { checkTableShape, checkTelemetryShape } = require("./shape.js");
const { checkTableRules, checkTelemetryRules } = require("./rules.js");

/** `columns[2].privacy`, `metrics.battery_v.min`; the whole document is `(root)`. */
function formatPath(path) {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || "(root)";
}

/** Every issue of a table contract (its YAML value as parsed), shape first, then cross-field rules. */
function checkTable(value, fileStem) {
  return checkTableShape(value).concat(checkTableRules(value, fileStem));
}

/** Every issue of a telemetry contract. */
function checkTelemetry(value) {
  return checkTelemetryShape(value).concat(checkTelemetryRules(value));
}

/**
 * For the Dataform includes: throws one Error naming the first broken file, path and rule (and how
 * many more there are), so a broken contract fails compile loudly, once, in one line.
 */
function assertValid(contracts) {
  const problems = [];
  for (const { file, issues } of contracts) for (const issue of issues) problems.push(`${file}: ${formatPath(issue.path)}: ${issue.rule}`);
  if (problems.length === 0) return;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more; \`npx landform contracts validate\` lists them all)` : "";
  const error = new Error(`invalid data contract: ${problems[0]}${more}`);
  // Dataform prints the stack of a compile error; one line says all there is to say.
  error.stack = error.message;
  throw error;
}

exports.formatPath = formatPath;
exports.checkTable = checkTable;
exports.checkTelemetry = checkTelemetry;
exports.assertValid = assertValid;
