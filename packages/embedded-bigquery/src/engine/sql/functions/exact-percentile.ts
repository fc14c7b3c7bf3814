/**
 * PERCENTILE_DISC's index as ZetaSQL computes it (functions/percentile.cc): floor(p × n) on the exact
 * binary value of the FLOAT64 percentile, one less when that product is a whole number. DuckDB's
 * quantile_disc gives ceil(p × n) − 1, the same rule, exactly when p is a DECIMAL but in floating
 * point when p is a DOUBLE, so a literal 0.9 over 10 rows gave the 9th value where the binary 0.9
 * (a little above 0.9) gives the 10th. The literal is handed over as a DECIMAL of S digits, cut from
 * its exact binary value; S is chosen so that for every n the DECIMAL product does not overflow on,
 * the cut changes no index: no k/n lies between the cut and the exact value (their gap is under
 * 10^-S, while a nonzero p − k/n is at least 1/(2^j n) for p = m/2^j), and the cut times n is never
 * a whole number. An n beyond that range overflows, which DuckDB reports as an error.
 */
import { unsupported } from '../../errors.js';

/** p = m / 2^j in lowest terms (p in [0, 1]). */
function binary(p: number): { m: bigint; j: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, p);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  let j: bigint;
  if (e === 0) j = 1074n;
  else {
    m |= 1n << 52n;
    j = BigInt(1075 - e);
  }
  if (m === 0n) return { m: 0n, j: 0n };
  while (j > 0n && (m & 1n) === 0n) {
    m >>= 1n;
    j -= 1n;
  }
  return { m, j };
}

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

/** The SQL DECIMAL that makes quantile_disc pick ZetaSQL's index for the FLOAT64 literal `text`. */
export function discPercentile(text: string): string {
  const p = Number(text);
  if (!(p >= 0 && p <= 1)) return text;
  const { m, j } = binary(p);
  // p = m·5^j / 10^j exactly: j decimals
  const exact = m * 5n ** j;
  const decimal = (digits: bigint, s: number): string => `CAST('${digits / 10n ** BigInt(s)}.${(digits % 10n ** BigInt(s)).toString().padStart(s, '0')}' AS DECIMAL(38, ${s}))`;
  if (j === 0n) return `CAST(${m} AS DECIMAL(38, 1))`;
  if (j <= 37n) return decimal(exact, Number(j));
  // cut to S digits with 2^j ≤ 10^(2S − 38): no k/n between the cut and p for n < 10^(38 − S)
  const s = Math.ceil((38 + Number(j) * Math.log10(2)) / 2) + 1;
  const cut = exact / 10n ** (j - BigInt(s));
  const wholeAt = 10n ** BigInt(s) / gcd(cut === 0n ? 10n ** BigInt(s) : cut, 10n ** BigInt(s));
  if (s > 37 || cut === 0n || wholeAt < 10n ** BigInt(38 - s)) {
    throw unsupported(`PERCENTILE_DISC with the FLOAT64 percentile ${text} (its index cannot be computed exactly)`);
  }
  return decimal(cut, s);
}

/**
 * Where a window call's OVER clause goes when the call's SQL reads its window aggregate's result
 * (the translator puts ` OVER (...)` there instead of after the whole call).
 */
export const OVER_AT = '/*OVER*/';

/**
 * PERCENTILE_DISC(x, p RESPECT NULLS) OVER (...) (navigation_functions#percentile_disc): NULLs count
 * and sort first, so the percentile may land on one (NULL). quantile_disc over (x IS NOT NULL, x)
 * sorts the NULLs first and keeps ZetaSQL's index (exact p, as above).
 */
export function discRespectNulls(value: string, percentile: string): string {
  return `(quantile_disc({'k': (${value}) IS NOT NULL, 'v': ${value}}, ${percentile})${OVER_AT}).v`;
}

/**
 * PERCENTILE_CONT(x, p RESPECT NULLS) OVER (...) as ZetaSQL computes it (functions/percentile.h,
 * ComputePercentileCont): over the n values with k NULLs first, index i and right weight w from the
 * exact p × (n − 1); within the values, a[i−k]·(1 − w) + a[i−k+1]·w (the smaller weight rounded from
 * the exact fraction, the other 1 minus it); between the last NULL and the least value, that value;
 * among the NULLs, NULL; NULL when all are NULL. NaNs sort before numbers. FLOAT64 result; a NUMERIC
 * x (BigQuery interpolates exactly in NUMERIC) fails loudly.
 */
export function contRespectNulls(value: string, percentile: string): string {
  const all = `list(${value})${OVER_AT}`;
  const at = (i: string): string => `s[${i} + 1]`;
  const interpolate = `CASE WHEN f = 0 THEN ${at('i - k')} WHEN f > 0.5 THEN ${at('i - k')} * CAST(1 - f AS DOUBLE) + ${at('i - k + 1')} * (1 - CAST(1 - f AS DOUBLE)) ELSE ${at('i - k')} * (1 - CAST(f AS DOUBLE)) + ${at('i - k + 1')} * CAST(f AS DOUBLE) END`;
  const pick = `CASE WHEN len(s) = 0 THEN NULL WHEN i >= k THEN ${interpolate} WHEN i = k - 1 AND f <> 0 THEN s[1] ELSE NULL END`;
  // bind i (index), f (exact fraction), s (sorted numbers, NaNs first), k (NULL count) once each
  const withIndex = `list_transform([${percentile} * (len(l) - 1)], pos -> list_transform([{'i': CAST(floor(pos) AS BIGINT), 'f': pos - floor(pos)}], q -> list_transform([q.i], i -> list_transform([q.f], f -> ${pick})[1])[1])[1])[1]`;
  const sorted = `list_transform([list_transform(list_filter(l, v -> v IS NOT NULL), v -> CAST(v AS DOUBLE))], d -> list_concat(list_filter(d, v -> isnan(v)), list_sort(list_filter(d, v -> NOT isnan(v)))))[1]`;
  const body = `list_transform([${sorted}], s -> list_transform([len(l) - len(s)], k -> ${withIndex})[1])[1]`;
  return `list_transform([${all}], l -> CASE WHEN typeof(l) LIKE 'DECIMAL%' THEN error('PERCENTILE_CONT of a NUMERIC or BIGNUMERIC with RESPECT NULLS is not supported by the embedded BigQuery') ELSE ${body} END)[1]`;
}
