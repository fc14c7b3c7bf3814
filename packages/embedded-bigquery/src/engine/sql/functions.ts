/**
 * GoogleSQL functions → DuckDB. Only functions listed in the families under functions/ are
 * accepted: an unknown name fails with invalidQuery rather than silently running a DuckDB
 * function with other semantics (DuckDB's file readers among them).
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import type { Token } from './tokenizer.js';
import type { CallArgs, TranslationContext } from './translation-context.js';
import type { Handler, SafeGuard } from './functions/function-table.js';
import { withoutErrors } from './functions/macros.js';
import { hasAggregate } from './functions/typed-macros.js';
import { PASSTHROUGH_FUNCTIONS } from './functions/passthrough-functions.js';
import { DATE_ARITHMETIC_FUNCTIONS } from './functions/date-arithmetic.js';
import { DATE_FUNCTIONS } from './functions/date-functions.js';
import { CAST_FUNCTIONS } from './functions/cast-functions.js';
import { STRING_FUNCTIONS } from './functions/string-functions.js';
import { MATH_FUNCTIONS } from './functions/math-functions.js';
import { AGGREGATE_FUNCTIONS } from './functions/aggregate-functions.js';
import { JSON_FUNCTIONS } from './functions/json-functions.js';
import { ARRAY_FUNCTIONS } from './functions/array-functions.js';
import { FORMAT_FUNCTIONS } from './functions/format-function.js';
import { JS_FUNCTION_CALLS } from './functions/js-functions.js';
import { TIME_BUCKET_FUNCTIONS } from './functions/time-buckets.js';
import { INTERVAL_FUNCTIONS } from './functions/interval-functions.js';
import { BYTES_FUNCTIONS } from './functions/bytes-functions.js';
import { APPROX_TOP_FUNCTIONS } from './functions/approx-top.js';
import { RANGE_FUNCTIONS } from './functions/range.js';

const handlers = new Map<string, Handler>();
const safeGuards = new Map<string, SafeGuard>();
for (const family of [
  PASSTHROUGH_FUNCTIONS, DATE_ARITHMETIC_FUNCTIONS, DATE_FUNCTIONS, CAST_FUNCTIONS, STRING_FUNCTIONS,
  MATH_FUNCTIONS, AGGREGATE_FUNCTIONS, JSON_FUNCTIONS, ARRAY_FUNCTIONS, FORMAT_FUNCTIONS, JS_FUNCTION_CALLS, TIME_BUCKET_FUNCTIONS, INTERVAL_FUNCTIONS,
  BYTES_FUNCTIONS, APPROX_TOP_FUNCTIONS, RANGE_FUNCTIONS,
]) {
  for (const [name, h] of family.handlers) handlers.set(name, h);
  for (const [name, g] of family.safeGuards) safeGuards.set(name, g);
}
handlers.set('SESSION_USER', () => "'embedded@landform.local'");

/** Every GoogleSQL function name the translator accepts (upper case; `SAFE.` aside), for the feature list. */
export function knownFunctionNames(): string[] {
  return [...handlers.keys()].sort();
}

const UNSUPPORTED_PREFIXES = ['ST_', 'ML.', 'AI.', 'NET.', 'HLL_COUNT.', 'KEYS.', 'AEAD.', 'DETERMINISTIC_', 'VECTOR_SEARCH', 'EXTERNAL_QUERY', 'OBJ.'];

export function translateFunction(name: string, args: CallArgs, t: TranslationContext, raw: Token[]): string {
  let safe = false;
  let fn = name;
  if (fn.startsWith('SAFE.')) {
    safe = true;
    fn = fn.slice(5);
  }
  const h = handlers.get(fn);
  if (!h) {
    if (UNSUPPORTED_PREFIXES.some((p) => fn.startsWith(p))) throw unsupported(`Function ${fn}`);
    throw new BigQueryApiError('invalidQuery', `Function not found: ${name.toLowerCase()} (or it is not supported by the embedded BigQuery)`);
  }
  if (!safe) return h(args, t, raw, fn);
  return safeCall(h, args, t, raw, fn);
}

/**
 * SAFE.: the function's own errors become NULL, its arguments' errors still raise (SAFE.LN(1/0) fails).
 * The arguments are evaluated outside TRY by binding them to a lambda's parameter; our error() calls
 * in the function body are swapped for NULL (error() is volatile, TRY() refuses volatile functions),
 * then TRY() catches DuckDB's own errors. A handler that reads its argument tokens itself, or
 * arguments holding aggregates (not allowed in a lambda), keep the whole call inside TRY.
 */
function safeCall(h: Handler, args: CallArgs, t: TranslationContext, raw: Token[], fn: string): string {
  const guard = safeGuards.get(fn);
  // a loud refusal must not become SAFE.'s NULL: the guard raises it outside TRY
  const guarded = (tried: string, argSql: string[]): string => (guard ? `CASE WHEN coalesce(${guard(argSql)}, true) THEN ${tried} END` : tried);
  const whole = (): string => guarded(`TRY(${withoutErrors(h(args, t, raw, fn))})`, args.all());
  if (args.tokens.length === 0) return whole();
  const actual = args.all();
  if (actual.some(hasAggregate)) return whole();
  const bound: CallArgs = { ...args, sql: (k) => `bq_safe_args.a${k}`, all: () => actual.map((_, k) => `bq_safe_args.a${k}`) };
  const body = h(bound, t, raw, fn);
  if (!actual.every((_, k) => body.includes(`bq_safe_args.a${k}`))) return whole();
  const fields = actual.map((x, k) => `a${k} := ${x}`).join(', ');
  return `list_transform([struct_pack(${fields})], bq_safe_args -> ${guarded(`TRY(${withoutErrors(body)})`, bound.all())})[1]`;
}
