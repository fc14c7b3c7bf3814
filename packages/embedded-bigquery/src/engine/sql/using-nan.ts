/**
 * `a JOIN b USING (k)` on a FLOAT64 key: BigQuery's NaN = NaN is FALSE (data-types#floating_point_semantics),
 * so a NaN key matches nothing, where DuckDB's USING matches NaN with NaN. DuckDB's USING takes no other
 * equality, and its merged column cannot be kept with ON, so a NaN key fails loudly instead: the
 * query's WHERE gets a check on each USING column, which reads the merged column (the left input's key,
 * or the right's where the left row is missing). Keys of other types fold the check to TRUE.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { quoteIdent } from '../type-mapping.js';

/** Every column named in a `JOIN ... USING (...)` at this query level ([s, e), brackets skipped through `closing`). */
export function usingKeyNames(tokens: Token[], closing: (i: number) => number, s: number, e: number): string[] {
  const names: string[] = [];
  let sawJoin = false;
  for (let i = s; i < e; i++) {
    const tok = tokens[i]!;
    if (isOp(tok, '(', '[')) {
      const j = closing(i);
      const inner = tokens.slice(i + 1, j);
      if (sawJoin && isKeyword(tokens[i - 1], 'USING') && inner.every((x) => x.kind === 'ident' || x.kind === 'quoted' || isOp(x, ','))) {
        for (const x of inner) if (!isOp(x, ',') && !names.includes(x.value)) names.push(x.value);
      }
      i = j;
      continue;
    }
    if (isKeyword(tok, 'JOIN')) sawJoin = true;
    if (isKeyword(tok, 'UNION', 'INTERSECT', 'EXCEPT')) break;
  }
  return names;
}

const CLAUSES = /^(group|having|qualify|window|order|limit|union|intersect|except)$/i;

/** Adds the NaN check on `keys` to the WHERE of the query whose translated pieces are `out` (left alone when `out` is not a SELECT with a FROM). */
export function guardUsingNaN(out: string[], keys: string[]): void {
  const from = out.findIndex((p) => /^from$/i.test(p));
  if (keys.length === 0 || !/^select$/i.test(out[0] ?? '') || from < 0) return;
  const check = keys
    .map((k) => `CASE WHEN typeof(${quoteIdent(k)}) IN ('DOUBLE', 'FLOAT') AND isnan(TRY_CAST(${quoteIdent(k)} AS DOUBLE)) THEN error('A JOIN ... USING on a FLOAT64 key that is NaN is not supported by the embedded BigQuery (BigQuery matches no NaN key; write ON with the keys compared)') ELSE true END`)
    .join(' AND ');
  const where = out.findIndex((p, k) => k > from && /^where$/i.test(p));
  const end = (after: number): number => {
    const k = out.findIndex((p, n) => n > after && CLAUSES.test(p));
    return k < 0 ? out.length : k;
  };
  if (where >= 0) {
    const stop = end(where);
    out.splice(stop, 0, ')');
    out.splice(where + 1, 0, `${check} AND (`);
  } else {
    out.splice(end(from), 0, `WHERE ${check}`);
  }
}
