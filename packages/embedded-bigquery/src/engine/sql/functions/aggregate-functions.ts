/** Aggregates whose GoogleSQL form DuckDB spells differently (ARRAY_AGG/STRING_AGG modifiers, ANY_VALUE HAVING, percentiles). */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { isKeyword, isOp, type Token } from '../tokenizer.js';
import type { CallArgs, TranslationContext } from '../translation-context.js';
import { FunctionTable, argCount } from './function-table.js';
import { BIGNUMERIC_TYPE, hasAggregate } from './typed-macros.js';
import { OVER_AT, contRespectNulls, discPercentile, discRespectNulls } from './exact-percentile.js';

export const AGGREGATE_FUNCTIONS = new FunctionTable();
const def = AGGREGATE_FUNCTIONS.def;

def('ARRAY_AGG', (a, t, raw) => aggregateWithModifiers(t, raw, 'ARRAY_AGG', a.windowed));
// a NULL delimiter fails (aggregate_functions#string_agg): a literal NULL when the query is analysed, a
// parameter when it runs
def('STRING_AGG', (a, t, raw) => {
  const sep = a.tokens[1];
  if (sep?.length === 1 && isKeyword(sep[0], 'NULL')) throw new BigQueryApiError('invalidQuery', 'Argument 2 to STRING_AGG must be non-NULL');
  const agg = aggregateWithModifiers(t, raw, 'STRING_AGG');
  // STRING_AGG of BYTES is BYTES in BigQuery; DuckDB's string_agg reads them as STRING: loud (a window call per row)
  const bytes = "error('STRING_AGG of BYTES values is not supported by the embedded BigQuery')";
  const first = a.tokens[0] ?? [];
  const value = first.slice(isKeyword(first[0], 'DISTINCT') ? 1 : 0, Math.min(orderAt(first), topLimitAt(first)));
  if (a.windowed) return `CASE WHEN typeof(${t.sub(value)}) = 'BLOB' THEN ${bytes} ELSE ${agg}${OVER_AT} END`;
  const checked = sep?.length === 1 && sep[0]!.kind === 'param' ? `CASE WHEN (${a.sql(1)}) IS NULL THEN error('Illegal NULL separator in STRING_AGG') ELSE ${agg} END` : agg;
  return `CASE WHEN typeof(any_value(${t.sub(value)})) = 'BLOB' THEN ${bytes} ELSE ${checked} END`;
});
def(['APPROX_COUNT_DISTINCT'], (a) => `count(DISTINCT ${a.sql(0)})`);
def('APPROX_QUANTILES', (a, t) => `quantile_disc(${a.sql(0)}, [${quantiles(a, t)}])`);
// ARRAY_CONCAT_AGG(x [ORDER BY ...] [LIMIT n]): LIMIT counts input arrays (DuckDB's aggregates take no LIMIT: slice the list)
def(['ARRAY_CONCAT_AGG'], (a, t, raw) => {
  let depth = 0;
  const limit = raw.findIndex((x) => ((depth += isOp(x, '(', '[') ? 1 : isOp(x, ')', ']') ? -1 : 0), depth === 0 && isKeyword(x, 'LIMIT')));
  if (limit < 0 || a.tokens.length !== 1) return `flatten(list(${a.sql(0)}))`;
  return `flatten(list(${t.sub(raw.slice(0, limit))})[1:${t.sub(raw.slice(limit + 1))}])`;
});
// AVG: typed (INT64/FLOAT64 → FLOAT64, NUMERIC → exact NUMERIC); DISTINCT and OVER keep DuckDB's avg,
// whose argument refuses NUMERIC loudly
def('AVG', (a, t, raw, n) => {
  argCount(a, n, 1);
  const distinct = isKeyword(raw[0], 'DISTINCT');
  const arg = t.sub(distinct ? raw.slice(1) : raw);
  if (hasAggregate(arg)) return `avg(${distinct ? 'DISTINCT ' : ''}bq_avg_arg_any(${arg}))`;
  if (a.windowed || distinct) return `avg(${distinct ? 'DISTINCT ' : ''}bq_avg_arg(${arg}))`;
  return `CASE WHEN typeof(max(${a.sql(0)})) ${BIGNUMERIC_TYPE} THEN error('AVG of BIGNUMERIC values is not supported by the embedded BigQuery') ELSE bq_avg(${a.sql(0)}) END`;
});
// COUNTIF counts TRUE values: 0 over no rows (DuckDB's count_if gives NULL there)
def('COUNTIF', (a, t, raw, n) => {
  argCount(a, n, 1);
  if (isKeyword(raw[0], 'DISTINCT')) return `count(DISTINCT CASE WHEN (${t.sub(raw.slice(1))}) THEN true END)`;
  return `count(CASE WHEN (${a.sql(0)}) THEN 1 END)`;
});

/** The number of quantiles: an integer literal or a named INT64 parameter (known when the statement is translated). */
function quantileCount(tok: Token[] | undefined, t: TranslationContext): number {
  if (tok && tok.length === 1 && tok[0]!.kind === 'number') return Number(tok[0]!.value);
  const param = tok && tok.length === 1 && tok[0]!.kind === 'param' ? t.env?.namedParamValue?.(tok[0]!) : undefined;
  if (!param || param.type !== 'INT64') throw unsupported('APPROX_QUANTILES with a non-literal number of quantiles');
  // ZetaSQL's checks of the count (approx_aggregation: invalid_0, invalid_null, invalid_huge_count)
  if (param.value === null) throw new BigQueryApiError('invalidQuery', 'The second argument to APPROX_QUANTILES function must not be NULL');
  const n = Number(param.value);
  if (!Number.isInteger(n) || n <= 0) throw new BigQueryApiError('invalidQuery', 'The second argument to APPROX_QUANTILES function must be positive');
  if (n > 100000) throw new BigQueryApiError('invalidQuery', 'The second argument to APPROX_QUANTILES function cannot be greater than 100000');
  return n;
}

function quantiles(a: CallArgs, t: TranslationContext): string {
  // `APPROX_QUANTILES(x, n IGNORE NULLS)`: the default (quantile_disc skips NULLs); RESPECT NULLS stays loud below
  const written = a.tokens[1];
  const tok = written && written.length === 3 && isKeyword(written[1], 'IGNORE') && isKeyword(written[2], 'NULLS') ? written.slice(0, 1) : written;
  if (written?.some((x) => isKeyword(x, 'RESPECT'))) throw unsupported('APPROX_QUANTILES with RESPECT NULLS');
  const n = quantileCount(tok, t);
  return Array.from({ length: n + 1 }, (_, i) => String(i / n)).join(', ');
}

function aggregateWithModifiers(t: TranslationContext, raw: Token[], fn: 'ARRAY_AGG' | 'STRING_AGG', windowed = false): string {
  let toks = raw;
  let limit: string | undefined;
  let ignoreNulls = false;
  const find = (pred: (x: Token, i: number) => boolean): number => {
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const x = toks[i]!;
      if (isOp(x, '(', '[')) depth++;
      else if (isOp(x, ')', ']')) depth--;
      else if (depth === 0 && pred(x, i)) return i;
    }
    return -1;
  };
  const limAt = find((x) => isKeyword(x, 'LIMIT'));
  if (limAt >= 0) {
    limit = t.sub(toks.slice(limAt + 1));
    toks = toks.slice(0, limAt);
  }
  const ignAt = find((x, i) => isKeyword(x, 'IGNORE', 'RESPECT') && isKeyword(toks[i + 1], 'NULLS'));
  if (ignAt >= 0) {
    ignoreNulls = isKeyword(toks[ignAt], 'IGNORE');
    toks = [...toks.slice(0, ignAt), ...toks.slice(ignAt + 2)];
  }
  const body = t.sub(toks);
  if (fn === 'STRING_AGG') {
    if (!limit) return `string_agg(${body})`;
    // STRING_AGG(x, sep ORDER BY ... LIMIT n): the first n values in order, joined
    const distinct = isKeyword(toks[0], 'DISTINCT');
    const ord = orderAt(toks);
    const split = (() => {
      let depth = 0;
      for (let i = distinct ? 1 : 0; i < ord; i++) {
        if (isOp(toks[i], '(', '[')) depth++;
        else if (isOp(toks[i], ')', ']')) depth--;
        else if (depth === 0 && isOp(toks[i], ',')) return i;
      }
      return -1;
    })();
    const value = t.sub(toks.slice(distinct ? 1 : 0, split < 0 ? ord : split));
    const sep = split < 0 ? "','" : t.sub(toks.slice(split + 1, ord));
    const order = ord < toks.length ? ` ${t.sub(toks.slice(ord))}` : '';
    return `array_to_string(list_slice(list(${distinct ? 'DISTINCT ' : ''}${value}${order}) FILTER (WHERE (${value}) IS NOT NULL), 1, ${limit}), ${sep})`;
  }
  const firstArg = t.sub(toks.slice(isKeyword(toks[0], 'DISTINCT') ? 1 : 0, orderAt(toks)));
  // BigQuery: an ARRAY_AGG result may not contain NULL (error) unless IGNORE NULLS drops them
  // as a window function the NULL check cannot wrap the call (DuckDB binds OVER to the outer expression)
  let e = ignoreNulls ? `list(${body}) FILTER (WHERE (${firstArg}) IS NOT NULL)` : windowed ? `list(${body})` : `bq_check_no_nulls(list(${body}))`;
  if (limit) e = `list_slice(${e}, 1, ${limit})`;
  return e;
}

function topLimitAt(toks: Token[]): number {
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    if (isOp(toks[i], '(', '[')) depth++;
    else if (isOp(toks[i], ')', ']')) depth--;
    else if (depth === 0 && isKeyword(toks[i], 'LIMIT')) return i;
  }
  return toks.length;
}

function orderAt(toks: Token[]): number {
  let depth = 0;
  for (let i = 0; i < toks.length; i++) {
    const x = toks[i]!;
    if (isOp(x, '(', '[')) depth++;
    else if (isOp(x, ')', ']')) depth--;
    else if (depth === 0 && isKeyword(x, 'ORDER') && isKeyword(toks[i + 1], 'BY')) return i;
  }
  return toks.length;
}

def('ANY_VALUE', (_a, t, raw, n) => {
  const havingAt = raw.findIndex((x) => isKeyword(x, 'HAVING'));
  if (havingAt < 0) return `any_value(${t.sub(raw)})`;
  const dir = raw[havingAt + 1]?.value.toUpperCase();
  if (dir !== 'MAX' && dir !== 'MIN') throw new BigQueryApiError('invalidQuery', `Syntax error: ${n}(x HAVING MAX|MIN y)`);
  // the value from a row with the greatest (least) y, NULL if that row's value is NULL (arg_max would skip to another row)
  return `arg_${dir.toLowerCase()}_null(${t.sub(raw.slice(0, havingAt))}, ${t.sub(raw.slice(havingAt + 2))})`;
});
// MAX_BY(x, y) / MIN_BY(x, y) are ANY_VALUE(x HAVING MAX|MIN y) (aggregate_functions#max_by)
def(['MAX_BY', 'MIN_BY'], (a, _t, _r, n) => {
  argCount(a, n, 2);
  return `arg_${n === 'MAX_BY' ? 'max' : 'min'}_null(${a.sql(0)}, ${a.sql(1)})`;
});
def(['PERCENTILE_CONT', 'PERCENTILE_DISC'], (a, t, _r, n) => {
  argCount(a, n, 2);
  if (!a.windowed) throw new BigQueryApiError('invalidQuery', `${n} must be used with an OVER clause`);
  let p = a.tokens[1]!;
  // p IGNORE NULLS is the default; p RESPECT NULLS counts the NULLs, sorted first (navigation_functions#percentile_cont)
  const nulls = p.length > 2 && isKeyword(p[p.length - 1], 'NULLS') ? p[p.length - 2]!.value.toUpperCase() : undefined;
  if (nulls === 'RESPECT' || nulls === 'IGNORE') p = p.slice(0, -2);
  if (p.some((x) => isKeyword(x, 'RESPECT', 'IGNORE'))) throw unsupported(`${n} with this NULLS clause`);
  if (nulls === 'RESPECT') {
    if (p.length !== 1 || p[0]!.kind !== 'number') throw unsupported(`${n} with RESPECT NULLS and a percentile that is not a literal`);
    const exact = discPercentile(p[0]!.value);
    return n === 'PERCENTILE_DISC' ? discRespectNulls(a.sql(0), exact) : contRespectNulls(a.sql(0), exact);
  }
  if (n === 'PERCENTILE_DISC' && p.length === 1 && p[0]!.kind === 'number') return `quantile_disc(${a.sql(0)}, ${discPercentile(p[0]!.value)})`;
  if (n === 'PERCENTILE_DISC') return `quantile_disc(${a.sql(0)}, ${t.sub(p)})`;
  // DuckDB interpolates NUMERIC through FLOAT64 (digits lost beyond 15-17); BigQuery interpolates in NUMERIC
  // (the percentiles 0 and 1 are the least and greatest values, exact in any type)
  const end = endpoint(p);
  const decimal = end ? `${end}(${a.sql(0)})${OVER_AT}` : "error('PERCENTILE_CONT of NUMERIC or BIGNUMERIC values is not supported by the embedded BigQuery')";
  // BigQuery sorts NaN before -inf, DuckDB's quantile_cont after +inf (the result must keep x's type, NUMERIC
  // or FLOAT64, which rules out reordering in a list here). Over c NaNs among n values, at position p × (n - 1)
  // between indexes lo and hi, both orders give NaN when lo < c and hi >= n - c; any other window holding a
  // NaN fails loudly.
  const [x, pc] = [a.sql(0), t.sub(p)];
  const c = `count_if(isnan(TRY_CAST(${x} AS DOUBLE)))${OVER_AT}`;
  const count = `count(${x})${OVER_AT}`;
  const nan = `${c} > 0 AND NOT (floor((${pc}) * (${count} - 1)) < ${c} AND ceil((${pc}) * (${count} - 1)) >= ${count} - ${c})`;
  return `CASE WHEN max(typeof(${a.sql(0)}))${OVER_AT} LIKE 'DECIMAL%' THEN ${decimal} WHEN ${nan} THEN error('PERCENTILE_CONT over a FLOAT64 NaN is not supported by the embedded BigQuery') ELSE quantile_cont(${a.sql(0)}, ${t.sub(p)})${OVER_AT} END`;
});

// Statistical aggregates (statistical_aggregate_functions): NULL with fewer than 2 (POP: 1) non-NULL values or
// pairs, NaN when one is ±inf or NaN (DuckDB: NaN, 0 or ±inf there), NUMERIC/BIGNUMERIC computed stably then
// converted (DuckDB converts each value first and loses the digits beyond FLOAT64's). A window call places
// its OVER clause after each aggregate (OVER_AT); the list for NUMERIC is empty for FLOAT64 inputs.
const STATS: Record<string, { pop: boolean; sqrt?: boolean; corr?: boolean; pair?: boolean }> = {
  VAR_POP: { pop: true }, VAR_SAMP: { pop: false }, VARIANCE: { pop: false },
  STDDEV_POP: { pop: true, sqrt: true }, STDDEV_SAMP: { pop: false, sqrt: true }, STDDEV: { pop: false, sqrt: true },
  COVAR_POP: { pop: true, pair: true }, COVAR_SAMP: { pop: false, pair: true }, CORR: { pop: false, corr: true, pair: true },
};
def(Object.keys(STATS), (a, t, raw, n) => {
  const s = STATS[n]!;
  const over = a.windowed ? OVER_AT : '';
  const distinct = !s.pair && isKeyword(raw[0], 'DISTINCT') ? 'DISTINCT ' : '';
  argCount(a, n, s.pair ? 2 : 1);
  const [y, x] = s.pair ? [a.sql(0), a.sql(1)] : [distinct ? t.sub(raw.slice(1)) : a.sql(0), ''];
  const present = s.pair ? `(${y}) IS NOT NULL AND (${x}) IS NOT NULL` : `(${y}) IS NOT NULL`;
  const sides = s.pair ? [y, x] : [y];
  const notFinite = sides.map((v) => `NOT isfinite(CAST(${v} AS DOUBLE))`).join(' OR ');
  const decimal = sides.map((v) => `typeof(${v}) LIKE 'DECIMAL%'`).join(' OR ');
  const pairs = `list(${distinct}{'y': ${y}, 'x': ${s.pair ? x : y}}) FILTER (WHERE (${decimal}) AND ${present})${over}`;
  const decimalInput = sides.map((v) => `max(typeof(${v}))${over} LIKE 'DECIMAL%'`).join(' OR ');
  const ratio = s.corr ? "CASE WHEN m.vy = 0 OR m.vx = 0 THEN CAST('nan' AS DOUBLE) ELSE m.c / (sqrt(m.vy) * sqrt(m.vx)) END" : `m.c / (m.n - ${s.pop ? 0 : 1})`;
  const exact = `list_transform([bq_moments(${pairs})], m -> ${s.sqrt ? `sqrt(${ratio})` : ratio})[1]`;
  // DuckDB's var/stddev raise on a non-finite input even in the CASE branch not taken (they read NULL there),
  // and on a square beyond FLOAT64: inputs beyond 1e150 aggregate scaled by 2^-600, the result scaled back
  // (BigQuery: a variance beyond FLOAT64 is +inf, its standard deviation finite)
  const fn = s.corr ? 'corr' : n === 'STDDEV' ? 'stddev_samp' : n === 'VARIANCE' ? 'var_samp' : n.toLowerCase();
  const dbl = (v: string): string => `CASE WHEN isfinite(CAST(${v} AS DOUBLE)) THEN CAST(${v} AS DOUBLE) END`;
  const small = (v: string): string => `CASE WHEN abs(CAST(${v} AS DOUBLE)) <= 1e150 THEN ${v} END`;
  const huge = sides.map((v) => `max(abs(${dbl(v)}))${over} > 1e150`).join(' OR ');
  const scaled = `${fn}(${distinct}${sides.map((v) => `${dbl(v)} * pow(2.0, -600)`).join(', ')})${over}`;
  const back = s.corr ? '' : s.sqrt ? ' * pow(2.0, 600)' : ' * pow(2.0, 600) * pow(2.0, 600)';
  const native = `CASE WHEN ${huge} THEN ${scaled}${back} ELSE ${fn}(${distinct}${sides.map((v) => small(`CASE WHEN isfinite(CAST(${v} AS DOUBLE)) THEN ${v} END`)).join(', ')})${over} END`;
  return `CASE WHEN count(${distinct}CASE WHEN ${present} THEN ${s.pair ? 1 : y} END)${over} < ${s.pop ? 1 : 2} THEN CAST(NULL AS DOUBLE)
    WHEN bool_or(${present} AND (${notFinite}))${over} THEN CAST('nan' AS DOUBLE) WHEN ${decimalInput} THEN ${exact} ELSE ${native} END`;
});

/** 'min' for a literal percentile 0, 'max' for 1 (a number, or NUMERIC/BIGNUMERIC '0' / '1'). */
function endpoint(p: Token[]): 'min' | 'max' | undefined {
  const lit = p.length === 1 && p[0]!.kind === 'number' ? p[0]!.value : p.length === 2 && isKeyword(p[0], 'NUMERIC', 'BIGNUMERIC') && p[1]!.kind === 'string' ? p[1]!.value : undefined;
  if (lit === undefined || !/^[0-9.eE+-]+$/.test(lit.trim())) return undefined;
  const v = Number(lit);
  return v === 0 ? 'min' : v === 1 ? 'max' : undefined;
}
