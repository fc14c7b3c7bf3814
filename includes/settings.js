// Dataset names and typed access to workflow_settings.yaml vars. Vars are strings that end up
// inside SQL, so each is checked against a strict shape before use.

const RAW_DATASET = "landform_raw";
const CURATED_DATASET = "landform_curated";
const MARTS_DATASET = "landform_marts";

function rawVar(name) {
  const vars = dataform.projectConfig.vars || {};
  if (!(name in vars)) throw new Error(`workflow_settings.yaml vars: ${name} is not set`);
  return String(vars[name]);
}

function intVar(name) {
  const value = rawVar(name);
  if (!/^[0-9]{1,6}$/.test(value)) throw new Error(`workflow_settings.yaml vars: ${name} must be a whole number (got "${value}")`);
  return Number(value);
}

function ratioVar(name) {
  const value = rawVar(name);
  if (!/^(0|1)(\.[0-9]{1,6})?$/.test(value) || Number(value) > 1) throw new Error(`workflow_settings.yaml vars: ${name} must be a ratio between 0 and 1 (got "${value}")`);
  return value;
}

function dateVar(name) {
  const value = rawVar(name);
  if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value)) throw new Error(`workflow_settings.yaml vars: ${name} must be YYYY-MM-DD (got "${value}")`);
  return value;
}

function enumVar(name, allowed) {
  const value = rawVar(name);
  if (!allowed.includes(value)) throw new Error(`workflow_settings.yaml vars: ${name} must be one of ${allowed.join(", ")} (got "${value}")`);
  return value;
}

module.exports = { RAW_DATASET, CURATED_DATASET, MARTS_DATASET, intVar, ratioVar, dateVar, enumVar };
