/**
 * GoogleSQL functions DuckDB has no equivalent for, computed in TypeScript and registered as DuckDB
 * scalar functions (bq_js_*): FARM_FINGERPRINT, the NET.* family and JSON text rules. DuckDB calls them with a chunk
 * of rows on the JavaScript thread; a NULL argument gives NULL, and an error ends the query with
 * the function's message (SAFE. turns it into NULL through TRY, as for the macros).
 * `registerJsFunctions` runs once per connection, next to the macros.
 */
import { ANY, BIGINT, BLOB, VARCHAR, DuckDBBlobValue, DuckDBScalarFunction, type DuckDBConnection, type DuckDBType } from '@duckdb/node-api';
import { createHash } from 'node:crypto';
import { farmFingerprint } from './farmhash.js';
import { NORMALIZATION_MODES, caseFold, normalize } from './unicode-text.js';
import { ipFromString, ipNetMask, ipToString, ipTrunc, ipv4FromInt64, ipv4ToInt64, urlHost } from './net-values.js';
import { publicSuffix, regDomain } from './public-suffix.js';
import { parseDecimal } from './parse-decimal.js';
import { vectorDistance } from './vector-distance.js';
import { firstKeysWin, prettyJson } from './json-text.js';
import { jsonEdit } from './json-edit.js';
import { lazyJsonValue } from './json-lazy.js';
import { stringifyWideIntegers, wideNumbers } from './json-numbers.js';
import { base32, soundex, unbase32 } from './text-codes.js';
import { bytesLiteral, safeConvertBytes, stringLiteral } from './sql-literals.js';
import { FunctionTable, argCount } from './function-table.js';
import { unsupported } from '../../errors.js';
import { BigQueryApiError } from '../../types.js';
import { isOp } from '../tokenizer.js';
import type { CallArgs } from '../translation-context.js';

type Cell = string | bigint | Uint8Array | null;

interface JsFunction {
  name: string;
  /** Parameter types; a single VARCHAR with `varargs` takes any number of VARCHARs. */
  params: DuckDBType[];
  varargs?: boolean;
  returns: DuckDBType;
  fn: (args: Cell[]) => Cell;
}

/** A DuckDB cell as the TypeScript value the functions take: strings, bigints, bytes. */
function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof DuckDBBlobValue) return v.bytes;
  if (typeof v === 'string' || typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  throw new Error(`unexpected argument value of type ${typeof v}`);
}

const bytesOf = (c: Cell, fn: string): Uint8Array => {
  if (c instanceof Uint8Array) return c;
  throw new Error(`No matching signature for function ${fn}: the argument must be BYTES`);
};

const JS_FUNCTIONS: JsFunction[] = [
  {
    // STRING is fingerprinted as its UTF-8 bytes, BYTES as they are
    name: 'bq_js_farm_fingerprint',
    params: [ANY],
    returns: BIGINT,
    fn: ([x]) => {
      if (typeof x === 'string') return farmFingerprint(Buffer.from(x, 'utf8'));
      if (x instanceof Uint8Array) return farmFingerprint(x);
      throw new Error('No matching signature for function FARM_FINGERPRINT: the argument must be STRING or BYTES');
    },
  },
  {
    name: 'bq_js_ip_from_string',
    params: [VARCHAR],
    returns: BLOB,
    fn: ([s]) => ipFromString(s as string) ?? (() => { throw new Error(`NET.IP_FROM_STRING() encountered an unparseable IP-address: ${String(s)}`); })(),
  },
  { name: 'bq_js_safe_ip_from_string', params: [VARCHAR], returns: BLOB, fn: ([s]) => ipFromString(s as string) },
  { name: 'bq_js_ip_to_string', params: [BLOB], returns: VARCHAR, fn: ([b]) => ipToString(bytesOf(b!, 'NET.IP_TO_STRING')) },
  { name: 'bq_js_ip_net_mask', params: [BIGINT, BIGINT], returns: BLOB, fn: ([n, p]) => ipNetMask(n as bigint, p as bigint) },
  { name: 'bq_js_ip_trunc', params: [BLOB, BIGINT], returns: BLOB, fn: ([b, p]) => ipTrunc(bytesOf(b!, 'NET.IP_TRUNC'), p as bigint) },
  { name: 'bq_js_ipv4_from_int64', params: [BIGINT], returns: BLOB, fn: ([v]) => ipv4FromInt64(v as bigint) },
  { name: 'bq_js_ipv4_to_int64', params: [BLOB], returns: BIGINT, fn: ([b]) => ipv4ToInt64(bytesOf(b!, 'NET.IPV4_TO_INT64')) },
  { name: 'bq_js_host', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => urlHost(s as string) },
  { name: 'bq_js_public_suffix', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => publicSuffix(s as string) },
  { name: 'bq_js_reg_domain', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => regDomain(s as string) },
  { name: 'bq_js_vector_distance', params: [VARCHAR, VARCHAR, VARCHAR], returns: VARCHAR, fn: ([k, a, b]) => vectorDistance(k as string, a as string, b as string) },
  // SAFE.'s guard (function-table.ts SafeGuard): raises the function's loud refusal, 1 otherwise
  { name: 'bq_js_loud', params: [VARCHAR, VARCHAR], returns: BIGINT, fn: ([f, x]) => loudCheck(f as string, x as string) },
  { name: 'bq_js_parse_numeric', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => parseDecimal(s as string, 'NUMERIC') },
  { name: 'bq_js_parse_bignumeric', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => parseDecimal(s as string, 'BIGNUMERIC') },
  // BIT_COUNT of an INT64 (two's complement, so -1 has 64) or of BYTES
  {
    name: 'bq_js_bit_count',
    params: [ANY],
    returns: BIGINT,
    fn: ([x]) => {
      const bits = (v: number): number => (v.toString(2).match(/1/g) ?? []).length;
      if (typeof x === 'bigint') return BigInt((BigInt.asUintN(64, x).toString(2).match(/1/g) ?? []).length);
      if (x instanceof Uint8Array) return BigInt([...x].reduce((n, b) => n + bits(b), 0));
      throw new Error('No matching signature for function BIT_COUNT: the argument must be INT64 or BYTES');
    },
  },
  { name: 'bq_js_to_base32', params: [BLOB], returns: VARCHAR, fn: ([b]) => base32(bytesOf(b!, 'TO_BASE32')) },
  { name: 'bq_js_from_base32', params: [VARCHAR], returns: BLOB, fn: ([s]) => unbase32(s as string) },
  // FORMAT's %T of a STRING or BYTES value: ZetaSQL's ToStringLiteral / ToBytesLiteral
  { name: 'bq_js_string_literal', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => stringLiteral(s as string) },
  { name: 'bq_js_bytes_literal', params: [BLOB], returns: VARCHAR, fn: ([b]) => bytesLiteral(bytesOf(b!, 'FORMAT')) },
  { name: 'bq_js_safe_convert_bytes', params: [BLOB], returns: VARCHAR, fn: ([b]) => safeConvertBytes(bytesOf(b!, 'SAFE_CONVERT_BYTES_TO_STRING')) },
  // SHA512 of a STRING's UTF-8 bytes or of BYTES (DuckDB has no SHA-512)
  {
    name: 'bq_js_sha512',
    params: [ANY],
    returns: BLOB,
    fn: ([x]) => {
      if (typeof x === 'string' || x instanceof Uint8Array) return createHash('sha512').update(x).digest();
      throw new Error('No matching signature for function SHA512: the argument must be STRING or BYTES');
    },
  },
  { name: 'bq_js_normalize', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: ([s, m]) => normalize(s as string, m as string) },
  { name: 'bq_js_normalize_casefold', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: ([s, m]) => caseFold(normalize(s as string, m as string)) },
  { name: 'bq_js_soundex', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => soundex(s as string) },
  // JSON text: a repeated key keeps its first value (PARSE_JSON, JSON_OBJECT); TO_JSON_STRING's pretty_print
  { name: 'bq_js_json_first_keys', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => firstKeysWin(s as string) },
  { name: 'bq_js_json_pretty', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => prettyJson(s as string) },
  // JSON_VALUE of text that is not valid JSON: ZetaSQL stops reading at the path's first match (json-lazy.ts)
  // PARSE_JSON's wide_number_mode: 'exact' refuses a number FLOAT64 cannot hold, 'round' rounds it (json-numbers.ts)
  { name: 'bq_js_json_wide_numbers', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: ([s, m]) => wideNumbers(s as string, m as string) },
  // TO_JSON's stringify_wide_numbers: INT64 values outside [-2^53, 2^53] as JSON strings (json-numbers.ts)
  { name: 'bq_js_json_stringify_wide', params: [VARCHAR], returns: VARCHAR, fn: ([s]) => stringifyWideIntegers(s as string) },
  { name: 'bq_js_json_lazy_value', params: [VARCHAR, VARCHAR], returns: VARCHAR, fn: ([s, p]) => lazyJsonValue(s as string, p as string) },
  // JSON_SET, JSON_REMOVE, JSON_STRIP_NULLS, JSON_ARRAY_APPEND/INSERT, JSON_KEYS: (op, json, args...)
  { name: 'bq_js_json_edit', params: [VARCHAR], varargs: true, returns: VARCHAR, fn: ([op, json, ...rest]) => jsonEdit(op as string, json as string, rest as string[]) },
];

const ONE_ARG: Record<string, (x: string) => unknown> = {
  'NET.PUBLIC_SUFFIX': publicSuffix,
  'NET.REG_DOMAIN': regDomain,
  PARSE_NUMERIC: (x) => parseDecimal(x, 'NUMERIC'),
  PARSE_BIGNUMERIC: (x) => parseDecimal(x, 'BIGNUMERIC'),
  // the refusal does not depend on the mode
  NORMALIZE_AND_CASEFOLD: caseFold,
};
function loudCheck(fn: string, x: string): bigint {
  try {
    ONE_ARG[fn]?.(x);
  } catch (e) {
    if (e instanceof Error && /not supported by the embedded BigQuery/.test(e.message)) throw e;
  }
  return 1n;
}
const loudGuard = (fn: string) => (args: string[]): string => `bq_js_loud('${fn}', ${args[0]}) = 1`;

function scalar(f: JsFunction): DuckDBScalarFunction {
  return DuckDBScalarFunction.create({
    name: f.name,
    ...(f.varargs ? { varArgsType: f.params[0]! } : { parameterTypes: f.params }),
    returnType: f.returns,
    mainFunction: (info, input, output) => {
      const vectors = Array.from({ length: input.columnCount }, (_, k) => input.getColumnVector(k));
      for (let row = 0; row < input.rowCount; row++) {
        const args = vectors.map((v) => cell(v.getItem(row)));
        try {
          const v = args.some((a) => a === null) ? null : f.fn(args);
          output.setItem(row, v instanceof Uint8Array ? new DuckDBBlobValue(v) : v);
        } catch (e) {
          info.setError(e instanceof Error ? e.message : String(e));
          return;
        }
      }
      output.flush();
    },
  });
}

/** Define the bq_js_* functions on a connection (once per database; a second call replaces nothing). */
export function registerJsFunctions(conn: DuckDBConnection): void {
  for (const f of JS_FUNCTIONS) conn.registerScalarFunction(scalar(f));
}

/** The GoogleSQL names that call them. */
export const JS_FUNCTION_CALLS = new FunctionTable();
const call = (gsql: string, duck: string, args: number): void =>
  JS_FUNCTION_CALLS.def(gsql, (a, _t, _r, name) => (argCount(a, name, args), `bq_js_${duck}(${a.all().join(', ')})`));
call('FARM_FINGERPRINT', 'farm_fingerprint', 1);
call('NET.IP_FROM_STRING', 'ip_from_string', 1);
call('NET.SAFE_IP_FROM_STRING', 'safe_ip_from_string', 1);
call('NET.IP_TO_STRING', 'ip_to_string', 1);
call('NET.IP_NET_MASK', 'ip_net_mask', 2);
call('NET.IP_TRUNC', 'ip_trunc', 2);
call('NET.IPV4_FROM_INT64', 'ipv4_from_int64', 1);
call('NET.IPV4_TO_INT64', 'ipv4_to_int64', 1);
call('NET.HOST', 'host', 1);
for (const [n, duck] of [['NET.PUBLIC_SUFFIX', 'public_suffix'], ['NET.REG_DOMAIN', 'reg_domain']] as const) {
  JS_FUNCTION_CALLS.def(n, (a) => (argCount(a, n, 1), `bq_js_${duck}(${a.sql(0)})`), loudGuard(n));
}
// dense or sparse vectors as JSON text, the distance back as FLOAT64 text
for (const [n, kind] of [['COSINE_DISTANCE', 'cosine'], ['EUCLIDEAN_DISTANCE', 'euclidean']] as const) {
  JS_FUNCTION_CALLS.def(n, (a) => (argCount(a, n, 2), `CAST(bq_js_vector_distance('${kind}', CAST(to_json(${a.sql(0)}) AS VARCHAR), CAST(to_json(${a.sql(1)}) AS VARCHAR)) AS DOUBLE)`));
}
// the value at the type's scale as text, then the engine's type (BIGNUMERIC is DECIMAL(38,19))
for (const [n, duck, type] of [['PARSE_NUMERIC', 'parse_numeric', 'DECIMAL(38,9)'], ['PARSE_BIGNUMERIC', 'parse_bignumeric', 'DECIMAL(38,19)']] as const) {
  JS_FUNCTION_CALLS.def(n, (a) => (argCount(a, n, 1), `CAST(bq_js_${duck}(${a.sql(0)}) AS ${type})`), loudGuard(n));
}
call('BIT_COUNT', 'bit_count', 1);
call('TO_BASE32', 'to_base32', 1);
call('FROM_BASE32', 'from_base32', 1);
call('SOUNDEX', 'soundex', 1);
call('SHA512', 'sha512', 1);
// the mode is a keyword (NFC when left out)
for (const [n, duck] of [['NORMALIZE', 'normalize'], ['NORMALIZE_AND_CASEFOLD', 'normalize_casefold']] as const) {
  JS_FUNCTION_CALLS.def(n, (a) => {
    argCount(a, n, 1, 2);
    const m = a.tokens[1];
    const mode = m ? (m.length === 1 ? m[0]!.value.toUpperCase() : '') : 'NFC';
    if (!NORMALIZATION_MODES.has(mode)) throw new BigQueryApiError('invalidQuery', `${n}: the normalization mode must be one of NFC, NFKC, NFD, NFKD`);
    return `bq_js_${duck}(${a.sql(0)}, '${mode}')`;
  }, n === 'NORMALIZE_AND_CASEFOLD' ? loudGuard(n) : undefined);
}
// JSON mutators: values go in as JSON text (TO_JSON's), so SQL values and JSON values alike
const named = (a: CallArgs): boolean => a.tokens.some((t) => t.some((x) => isOp(x, '=>')));
const jsonText = (v: string): string => `coalesce(CAST(to_json(${v}) AS VARCHAR), 'null')`;
const edit = (op: string, a: CallArgs, args: string[]): string => `CAST(bq_js_json_edit('${op}', CAST(${a.sql(0)} AS VARCHAR)${args.map((x) => `, ${x}`).join('')}) AS JSON)`;
JS_FUNCTION_CALLS.def('JSON_SET', (a, _t, _r, n) => {
  if (named(a)) throw unsupported(`${n} with create_if_missing`);
  if (a.tokens.length < 3 || a.tokens.length % 2 === 0) throw new BigQueryApiError('invalidQuery', `No matching signature for function ${n} with ${a.tokens.length} argument(s)`);
  return edit('set', a, a.all().slice(1).map((x, k) => (k % 2 === 0 ? x : jsonText(x))));
});
// a NULL path is skipped (the reference's JsonRemoveFunction): it goes in as NUL, which no JSONPath is
JS_FUNCTION_CALLS.def('JSON_REMOVE', (a, _t, _r, n) => (argCount(a, n, 2, 100), edit('remove', a, a.all().slice(1).map((x) => `coalesce(CAST(${x} AS VARCHAR), chr(0))`))));
JS_FUNCTION_CALLS.def('JSON_STRIP_NULLS', (a, t, _r, n) => {
  // JSON_STRIP_NULLS(json [, path] [, include_arrays => b] [, remove_empty => b]); a NULL path or option gives the JSON back
  const options: Record<string, string> = { include_arrays: 'TRUE', remove_empty: 'FALSE' };
  let path = "'$'";
  a.tokens.slice(1).forEach((arg, k) => {
    const name = isOp(arg[1], '=>') ? arg[0]!.value.toLowerCase() : undefined;
    if (name === undefined && k === 0) path = a.sql(1);
    else if (name !== undefined && name in options) options[name] = t.sub(arg.slice(2));
    else throw new BigQueryApiError('invalidQuery', `No matching signature for function ${n}`);
  });
  const args = [path, options.include_arrays!, options.remove_empty!].map((x) => `CAST(${x} AS VARCHAR)`);
  return `CASE WHEN ${args.map((x) => `${x} IS NULL`).join(' OR ')} THEN ${a.sql(0)} ELSE ${edit('strip_nulls', a, args)} END`;
});
for (const [n, op] of [['JSON_ARRAY_APPEND', 'append'], ['JSON_ARRAY_INSERT', 'insert']] as const) {
  JS_FUNCTION_CALLS.def(n, (a) => {
    if (named(a)) throw unsupported(`${n} with append_each_element or insert_each_element`);
    if (a.tokens.length < 3 || a.tokens.length % 2 === 0) throw new BigQueryApiError('invalidQuery', `No matching signature for function ${n} with ${a.tokens.length} argument(s)`);
    // a SQL ARRAY value adds its elements one by one (E), any other value (a JSON array too) is one element (O)
    return edit(op, a, a.all().slice(1).map((x, k) => (k % 2 === 0 ? x : `(CASE WHEN typeof(${x}) LIKE '%[]' THEN 'E' ELSE 'O' END || ${jsonText(x)})`)));
  });
}
JS_FUNCTION_CALLS.def('JSON_KEYS', (a, t, _r, n) => {
  // JSON_KEYS(json [, max_depth] [, mode => 'strict' | 'lax' | 'lax recursive']): a NULL max_depth is no limit, a NULL mode gives NULL
  let depth = 'NULL';
  let mode: string | undefined;
  a.tokens.slice(1).forEach((arg, k) => {
    if (isOp(arg[1], '=>') && arg[0]!.value.toLowerCase() === 'mode') mode = t.sub(arg.slice(2));
    else if (!isOp(arg[1], '=>') && k === 0) depth = a.sql(1);
    else throw new BigQueryApiError('invalidQuery', `No matching signature for function ${n}`);
  });
  const d = `coalesce(CAST(${depth} AS VARCHAR), '')`;
  const call = `CAST(CAST(bq_js_json_edit('keys', CAST(${a.sql(0)} AS VARCHAR), ${d}, ${mode === undefined ? "'strict'" : `lower(CAST(${mode} AS VARCHAR))`}) AS JSON) AS VARCHAR[])`;
  if (mode === undefined) return call;
  return `CASE WHEN (${mode}) IS NULL THEN CASE WHEN CAST(${depth} AS BIGINT) <= 0 THEN error('max_depth must be positive.') ELSE CAST(NULL AS VARCHAR[]) END ELSE ${call} END`;
});
