/**
 * What a query's select list outputs of a table's columns: the names it gives them when it passes
 * them on unchanged (`*`, `t.*`, `* EXCEPT (...)`, `c`, `t.c`, `c AS x`), for the checks that
 * follow a column out of a view or a CTE by name.
 */
import { isKeyword, isOp, type Token } from './sql/tokenizer.js';

/** The names a query's select list gives the columns `names` (`*`, `t.*`, `c`, `t.c`, `c AS x`); undefined when it outputs none. */
export function outputNames(tokens: Token[], names: string[]): string[] | undefined {
  let depth = 0;
  let select = -1;
  for (let i = 0; i < tokens.length && select < 0; i++) {
    if (isOp(tokens[i], '(', '[')) depth++;
    else if (isOp(tokens[i], ')', ']')) depth--;
    else if (depth === 0 && isKeyword(tokens[i], 'SELECT')) select = i;
  }
  if (select < 0) return undefined;
  let s = select + 1;
  while (isKeyword(tokens[s], 'DISTINCT', 'ALL')) s++;
  const end = selectEnd(tokens, s);
  const out: string[] = [];
  for (const [a, b] of splitCommas(tokens, s, end)) {
    const item = tokens.slice(a, b);
    const last = item[item.length - 1];
    if (isOp(last, '*')) {
      out.push(...names);
      continue;
    }
    if (item.some((t) => isKeyword(t, 'EXCEPT', 'REPLACE')) && item.some((t) => isOp(t, '*'))) {
      const inside = new Set(item.flatMap((t) => (t.kind === 'ident' || t.kind === 'quoted' ? [t.value.toLowerCase()] : [])));
      out.push(...names.filter((n) => !inside.has(n)));
      continue;
    }
    // a path (its dotted parts in one token or several) naming the column, with an optional alias
    let j = 0;
    const parts: string[] = [];
    while (j < item.length && (item[j]!.kind === 'ident' || item[j]!.kind === 'quoted')) {
      parts.push(...item[j]!.value.split('.'));
      j++;
      if (isOp(item[j], '.')) j++;
      else break;
    }
    const column = parts[parts.length - 1]?.toLowerCase();
    if (!column || !names.includes(column)) continue;
    if (j === item.length) out.push(column);
    else if (isKeyword(item[j], 'AS') && j + 2 === item.length) out.push(item[j + 1]!.value.toLowerCase());
    else if (j + 1 === item.length && (item[j]!.kind === 'ident' || item[j]!.kind === 'quoted')) out.push(item[j]!.value.toLowerCase());
  }
  return out.length > 0 ? out : undefined;
}

/** The end of a select list: its FROM, a clause keyword or a closing bracket at its depth, or the end. */
function selectEnd(tokens: Token[], s: number): number {
  let depth = 0;
  for (let i = s; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'eof' || isOp(t, ';')) return i;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']') && --depth < 0) return i;
    else if (depth === 0 && isKeyword(t, 'FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT')) return i;
  }
  return tokens.length;
}

/** [s, e) split at depth-0 commas. */
function splitCommas(tokens: Token[], s: number, e: number): Array<[number, number]> {
  const parts: Array<[number, number]> = [];
  let depth = 0;
  let from = s;
  for (let i = s; i < e; i++) {
    if (isOp(tokens[i], '(', '[')) depth++;
    else if (isOp(tokens[i], ')', ']')) depth--;
    else if (depth === 0 && isOp(tokens[i], ',')) {
      parts.push([from, i]);
      from = i + 1;
    }
  }
  parts.push([from, e]);
  return parts;
}

/**
 * Whether a filter on the query's output applies to its rows as read (BigQuery pushes it down):
 * no LIMIT, window function or set operation at its top level. The column must also be one
 * `outputNames` finds (a grouping key or a plain column, not an aggregate of it).
 */
export function passesFilters(tokens: Token[]): boolean {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isOp(t, '(', '[')) depth++;
    else if (isOp(t, ')', ']')) depth--;
    else if (depth !== 0) continue;
    else if (isKeyword(t, 'LIMIT', 'OVER', 'UNION', 'INTERSECT')) return false;
    else if (isKeyword(t, 'EXCEPT') && isKeyword(tokens[i + 1], 'DISTINCT', 'ALL')) return false;
  }
  return true;
}
