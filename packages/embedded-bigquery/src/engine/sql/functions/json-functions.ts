/** JSON functions: extraction, construction and the strict/LAX_ conversions. */
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import { isKeyword, isOp, type Token } from '../tokenizer.js';
import type { CallArgs } from '../translation-context.js';
import { FunctionTable, argCount } from './function-table.js';
import { hasAggregate, jsonQuerySql } from './typed-macros.js';
import { noRangeSql } from './range.js';

export const JSON_FUNCTIONS = new FunctionTable();
const def = JSON_FUNCTIONS.def;

def('JSON_OBJECT', (a) => {
  const first = a.tokens[0]?.[0];
  if (a.tokens.length === 2 && (isOp(first, '[') || isKeyword(first, 'ARRAY', 'ARRAY_AGG', 'CAST', 'SPLIT', 'GENERATE_ARRAY'))) {
    // JSON_OBJECT(keys, values): a MAP serializes as a JSON object
    // NULL arrays fail (json_functions#json_object)
    return `CASE WHEN ${a.sql(0)} IS NULL THEN error('Invalid input to JSON_OBJECT: The keys array cannot be NULL') WHEN ${a.sql(1)} IS NULL THEN error('Invalid input to JSON_OBJECT: The values array cannot be NULL') WHEN len(${a.sql(0)}) <> len(${a.sql(1)}) THEN error('The number of keys and values must match') ELSE CAST(to_json(map(CAST(${a.sql(0)} AS VARCHAR[]), ${a.sql(1)})) AS JSON) END`;
  }
  const args = a.all();
  if (args.length % 2 !== 0) throw unsupported('JSON_OBJECT with arrays of keys and values');
  const pairs: string[] = [];
  for (let i = 0; i < args.length; i += 2) pairs.push(`${args[i]}, ${noRangeSql(args[i + 1]!, 'JSON_OBJECT')}`);
  // BigQuery keeps the first of repeated keys, DuckDB the last
  return `CAST(bq_js_json_first_keys(CAST(json_object(${pairs.join(', ')}) AS VARCHAR)) AS JSON)`;
});
def('JSON_ARRAY', (a) => `json_array(${a.all().map((x) => noRangeSql(x, 'JSON_ARRAY')).join(', ')})`);

// a JSON-formatted STRING that is not valid JSON is read as ZetaSQL streams it (json-lazy.ts): the first match, else NULL
def(['JSON_VALUE', 'JSON_EXTRACT_SCALAR'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  if (jsonOperand(a.tokens[0])) return `bq_json_value(${a.sql(0)}, ${jsonPath(a)})`;
  return `CASE WHEN typeof(${a.sql(0)}) = 'JSON' OR json_valid(${a.sql(0)}) THEN bq_json_value(${a.sql(0)}, ${jsonPath(a)}) ELSE bq_js_json_lazy_value(CAST(${a.sql(0)} AS VARCHAR), ${jsonPath(a)}) END`;
});
def(['JSON_QUERY', 'JSON_EXTRACT'], (a, t, raw, n) => {
  argCount(a, n, 1, 2);
  // a STRING input gives a STRING result, a JSON input a JSON result (typed overloads: typed-macros.ts)
  if (hasAggregate(a.sql(0))) return `CASE WHEN typeof(${a.sql(0)}) = 'JSON' THEN error('${n} of an aggregate JSON value is not supported by the embedded BigQuery') ELSE nullif(CAST(json_extract(${a.sql(0)}, ${jsonPath(a)}) AS VARCHAR), 'null') END`;
  if (jsonOperand(a.tokens[0])) return `json_extract(${a.sql(0)}, ${jsonPath(a)})`;
  return jsonQuerySql(t, raw, 'bq_json_query', a.sql(0), jsonPath(a));
});
// ARRAY<JSON> for a JSON input, ARRAY<STRING> for a STRING (typed overloads, aggregates take the STRING form)
def(['JSON_QUERY_ARRAY', 'JSON_EXTRACT_ARRAY'], (a, t, raw, n) => {
  argCount(a, n, 1, 2);
  const strings = `CAST(json_extract(${a.sql(0)}, ${jsonPath(a)} || '[*]') AS VARCHAR[])`;
  if (hasAggregate(a.sql(0))) return `CASE WHEN typeof(${a.sql(0)}) = 'JSON' THEN error('${n} of an aggregate JSON value is not supported by the embedded BigQuery') ELSE ${strings} END`;
  if (jsonOperand(a.tokens[0])) return `json_extract(${a.sql(0)}, ${jsonPath(a)} || '[*]')`;
  return jsonQuerySql(t, raw, 'bq_json_query_array', a.sql(0), `${jsonPath(a)} || '[*]'`);
});
// a NULL path gives a NULL ARRAY<STRING> (DuckDB's answer to a NULL path is a NULL VARCHAR)
def(['JSON_VALUE_ARRAY', 'JSON_EXTRACT_STRING_ARRAY'], (a) => `CAST(json_extract_string(${a.sql(0)}, ${jsonPath(a)} || '[*]') AS VARCHAR[])`);
// wide_number_mode => 'exact' (the default) | 'round' (json_functions#parse_json; json-numbers.ts)
def('PARSE_JSON', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const option = a.tokens[1];
  let mode = "'exact'";
  if (option) {
    const named = option.length === 3 && isKeyword(option[0], 'WIDE_NUMBER_MODE') && isOp(option[1], '=>');
    const value = named ? option.slice(2) : option;
    if (value.length !== 1 || value[0]!.kind !== 'string') throw unsupported('PARSE_JSON with a wide_number_mode that is not a literal');
    mode = quoteString(value[0]!.value.toLowerCase());
  }
  return `json(bq_js_json_wide_numbers(bq_js_json_first_keys(${a.sql(0)}), ${mode}))`;
});
// stringify_wide_numbers => TRUE (json_functions#to_json): an INT64 outside [-2^53, 2^53] becomes a JSON string,
// inside arrays and structs too; FLOAT64 values are unaffected
def('TO_JSON', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const x = a.sql(0);
  const plain = `CASE WHEN regexp_matches(typeof(${x}), 'TIME|BLOB|DECIMAL|INTERVAL|range[.]start') THEN error('TO_JSON of TIMESTAMP, DATETIME, TIME, NUMERIC, BYTES, INTERVAL or RANGE values is not supported by the embedded BigQuery') ELSE to_json(${x}) END`;
  const option = a.tokens[1];
  if (!option || (option.length === 1 && isKeyword(option[0], 'FALSE')) || (option.length === 3 && isKeyword(option[2], 'FALSE'))) return plain;
  const flag = a.sql(1).replace(/^stringify_wide_numbers\s*=>\s*/i, '');
  return `CASE WHEN ${flag} THEN json(bq_js_json_stringify_wide(CAST(${plain} AS VARCHAR))) ELSE ${plain} END`;
});
// DuckDB renders TIMESTAMP/DATETIME/TIME/NUMERIC/BYTES in JSON differently from BigQuery: fail rather than answer wrong
def('TO_JSON_STRING', (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const text = `CAST(to_json(${a.sql(0)}) AS VARCHAR)`;
  // pretty_print => TRUE: BigQuery's indented layout
  const pretty = a.tokens.length === 2 && !(a.tokens[1]!.length === 1 && isKeyword(a.tokens[1]![0], 'FALSE')) ? `CASE WHEN ${a.sql(1).replace(/^pretty_print\s*=>\s*/i, '')} THEN bq_js_json_pretty(${text}) ELSE ${text} END` : text;
  return `CASE WHEN regexp_matches(typeof(${a.sql(0)}), 'TIME|BLOB|DECIMAL|INTERVAL|range[.]start') THEN error('TO_JSON_STRING of TIMESTAMP, DATETIME, TIME, NUMERIC, BYTES, INTERVAL or RANGE values is not supported by the embedded BigQuery') ELSE ${pretty} END`;
});
def('JSON_TYPE', (a) => `CASE json_type(CAST(${a.sql(0)} AS JSON)) WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array' WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' ELSE 'number' END`);
// LAX_ conversions follow the JSON value's type (json_type: VARCHAR, BOOLEAN, BIGINT, UBIGINT, DOUBLE, ...)
def('LAX_STRING', (a) => `bq_lax_string(${a.sql(0)})`);
def('LAX_INT64', (a) => `bq_lax_int64(${a.sql(0)})`);
def('LAX_FLOAT64', (a) => `bq_lax_float64(${a.sql(0)})`);
def('LAX_BOOL', (a) => `bq_lax_bool(${a.sql(0)})`);
// INT64: a JSON number with a fractional part (or beyond INT64) fails, it is not rounded (json_functions#int64)
def('INT64', (a) => `bq_json_int64(${a.sql(0)})`);
// FLOAT64(json, wide_number_mode => 'round' (the default) | 'exact'): 'exact' refuses an integer beyond ±2^53
// (json_functions#float64); the mode is case-sensitive
def('FLOAT64', (a, t, _r, n) => {
  argCount(a, n, 1, 2);
  const option = a.tokens[1];
  const named = option !== undefined && isKeyword(option[0], 'WIDE_NUMBER_MODE') && isOp(option[1], '=>');
  const mode = option === undefined ? "'round'" : named ? t.sub(option.slice(2)) : a.sql(1);
  return `bq_json_float64(${a.sql(0)}, ${mode})`;
});
def('BOOL', (a) => `bq_json_strict(${a.sql(0)}, ['BOOLEAN'], 'BOOL', TRY_CAST(json_extract_string(${a.sql(0)}, '$') AS BOOLEAN))`);

/**
 * An operand that is JSON by its form: a field subscript `x['name']` (GoogleSQL has it on JSON only),
 * a JSON literal, PARSE_JSON/TO_JSON. Its JSON_QUERY forms skip the typed overloads, which DuckDB
 * cannot choose between for an operand it binds late (a column of the outer row, in a correlated
 * `FROM t, UNNEST(JSON_QUERY_ARRAY(t.j['a']))`): "Macro function() has multiple overloads".
 */
function jsonOperand(tokens: Token[] | undefined): boolean {
  if (!tokens || tokens.length < 2) return false;
  const n = tokens.length;
  if (isOp(tokens[n - 1], ']') && isOp(tokens[n - 3], '[') && tokens[n - 2]!.kind === 'string') return true;
  if (n === 2 && isKeyword(tokens[0], 'JSON') && tokens[1]!.kind === 'string') return true;
  return isKeyword(tokens[0], 'PARSE_JSON', 'TO_JSON') && isOp(tokens[1], '(') && isOp(tokens[n - 1], ')') && matchingClose(tokens, 1) === n - 1;
}

function matchingClose(tokens: Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (isOp(tokens[k], '(')) depth++;
    else if (isOp(tokens[k], ')') && --depth === 0) return k;
  }
  return -1;
}

function jsonPath(a: CallArgs): string {
  if (a.tokens.length < 2) return "'$'";
  const t = a.tokens[1]!;
  // lax and strict JSONPath modes unwrap arrays and wrap results; DuckDB's paths do neither
  if (t.length === 1 && t[0]!.kind === 'string' && /^\s*(lax|strict)\b/i.test(t[0]!.value)) throw unsupported('A lax or strict JSONPath');
  if (t.length === 1 && t[0]!.kind === 'string') {
    return quoteString(t[0]!.value.replace(/\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/g, (_m, x: string | undefined, y: string | undefined) => `."${(x ?? y ?? '').replace(/"/g, '\\"')}"`));
  }
  return a.sql(1);
}
