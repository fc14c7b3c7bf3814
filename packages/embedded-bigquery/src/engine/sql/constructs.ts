/** GoogleSQL constructs the translator rewrites whole: array subscripts, STRUCT literals, UNNEST in FROM. */
import { unsupported } from '../errors.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { isKeyword, isOp } from './tokenizer.js';
import { CLAUSE_ENDS, NOT_FUNCTIONS } from './keywords.js';
import type { TranslationContext } from './translation-context.js';

/** The translator methods these rewrites call back into. */
export interface ConstructContext extends TranslationContext {
  closing(i: number): number;
  range(s: number, e: number): string;
  fresh(prefix: string): string;
  angleType(lt: number): [string, number];
}

/** arr[OFFSET(i)] and friends; OFFSET/ORDINAL fail out of bounds as BigQuery does, SAFE_ variants give NULL. */
export function subscript(t: ConstructContext, base: string, s: number, e: number): string {
  const first = t.tokens[s];
  if (first && first.kind === 'ident' && isOp(t.tokens[s + 1], '(') && t.closing(s + 1) === e - 1) {
    const inner = t.range(s + 2, e - 1);
    switch (first.value.toUpperCase()) {
      case 'OFFSET':
        return `bq_offset(${base}, ${inner})`;
      case 'SAFE_OFFSET':
        return `${base}[(${inner}) + 1]`;
      case 'ORDINAL':
        return `bq_offset(${base}, (${inner}) - 1)`;
      case 'SAFE_ORDINAL':
        return `${base}[${inner}]`;
      default:
        break;
    }
  }
  const inner = t.range(s, e);
  // json['field'] (a string subscript only exists on JSON in GoogleSQL)
  if (t.tokens[s]?.kind === 'string' && e === s + 1) return `json_extract(${base}, ${quoteString(`$."${t.tokens[s]!.value.replace(/"/g, '\\"')}"`)})`;
  return `bq_offset(${base}, ${inner})`;
}

export function struct(t: ConstructContext, i: number): [string, number] {
  let j = i + 1;
  let fieldTypes: { name: string; duck: string }[] | undefined;
  let fullType = '';
  if (isOp(t.tokens[j], '<')) {
    const [type, next] = t.angleType(j);
    fullType = type;
    fieldTypes = parseStructFieldNames(type);
    j = next;
  }
  if (!isOp(t.tokens[j], '(')) throw unsupported('STRUCT type outside CAST');
  const close = t.closing(j);
  const args = close === j + 1 ? [] : t.splitArgs(j + 1, close);
  const fields = args.map((a, k) => {
    let name = fieldTypes?.[k]?.name;
    let exprTokens = a;
    const asAt = a.length >= 2 && isKeyword(a[a.length - 2], 'AS') ? a.length - 2 : -1;
    if (asAt >= 0) {
      name = a[a.length - 1]!.value;
      exprTokens = a.slice(0, asAt);
    } else if (!name && a.length >= 1) {
      const last = a[a.length - 1]!;
      const simple = (last.kind === 'ident' || last.kind === 'quoted') && (a.length === 1 || isOp(a[a.length - 2], '.'));
      if (simple) name = last.value;
    }
    return `${quoteString(name ?? `_field_${k + 1}`)}: ${t.sub(exprTokens)}`;
  });
  // STRUCT(1, 'x') with no names at all is an anonymous struct, which DuckDB casts by position as BigQuery coerces
  const anonymous = !fieldTypes && args.every((a) => !(a.length >= 2 && isKeyword(a[a.length - 2], 'AS'))) && args.every((a) => !(a.length === 1 && (a[0]!.kind === 'ident' || a[0]!.kind === 'quoted')));
  const lit = fields.length === 0 ? 'NULL' : anonymous ? `row(${args.map((a) => t.sub(a)).join(', ')})` : `{${fields.join(', ')}}`;
  return [fullType ? `CAST(${lit} AS ${fullType})` : lit, close + 1];
}

/** UNNEST(...) [AS] alias [WITH OFFSET [AS] off] in FROM. */
export function unnestTable(t: ConstructContext, i: number): [string, number] {
  const close = t.closing(i + 1);
  const arr = t.range(i + 2, close);
  let j = close + 1;
  let alias: string | undefined;
  if (isKeyword(t.tokens[j], 'AS')) j++;
  const a = t.tokens[j];
  if (a && (a.kind === 'quoted' || (a.kind === 'ident' && !NOT_FUNCTIONS.has(a.value.toUpperCase()) && !CLAUSE_ENDS.has(a.value.toUpperCase()) && !isKeyword(a, 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'FULL', 'WITH')))) {
    alias = a.value;
    j++;
  }
  let offset: string | undefined;
  if (isKeyword(t.tokens[j], 'WITH') && isKeyword(t.tokens[j + 1], 'OFFSET')) {
    j += 2;
    offset = 'offset';
    if (isKeyword(t.tokens[j], 'AS')) j++;
    const o = t.tokens[j];
    if (o && (o.kind === 'quoted' || (o.kind === 'ident' && !NOT_FUNCTIONS.has(o.value.toUpperCase()) && !CLAUSE_ENDS.has(o.value.toUpperCase())))) {
      offset = o.value;
      j++;
    }
  }
  const tableAlias = t.fresh('_unnest');
  // `[LEFT|INNER] JOIN UNNEST(arr)` without ON joins each row to its own elements (DuckDB needs the ON)
  const on = isKeyword(t.tokens[i - 1], 'JOIN') && !isKeyword(t.tokens[i - 2], 'CROSS') && !isKeyword(t.tokens[j], 'ON', 'USING') ? ' ON true' : '';
  if (!alias) {
    // BigQuery exposes the fields of an unaliased array of structs as columns
    const cols = offset ? `, generate_subscripts(${tableAlias}_a.a, 1) - 1 AS ${quoteIdent(offset)}` : '';
    return [`(SELECT UNNEST(${tableAlias}_a.a, max_depth := 2)${cols} FROM (SELECT ${arr} AS a) AS ${tableAlias}_a) AS ${tableAlias}${on}`, j];
  }
  const cols = offset ? `, generate_subscripts(${tableAlias}_a.a, 1) - 1 AS ${quoteIdent(offset)}` : '';
  return [`(SELECT UNNEST(${tableAlias}_a.a) AS ${quoteIdent(alias)}${cols} FROM (SELECT ${arr} AS a) AS ${tableAlias}_a) AS ${quoteIdent(alias)}${on}`, j];
}

function parseStructFieldNames(duckStruct: string): { name: string; duck: string }[] {
  // duckStruct is STRUCT("a" T, "b" U) as produced by translateTypeTokens
  const inner = duckStruct.replace(/^STRUCT\(/, '').replace(/\)$/, '');
  const out: { name: string; duck: string }[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of inner) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(splitField(cur));
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(splitField(cur));
  return out;
}

function splitField(s: string): { name: string; duck: string } {
  const m = /^\s*"((?:[^"]|"")*)"\s+(.*)$/.exec(s);
  if (m) return { name: m[1]!.replace(/""/g, '"'), duck: m[2]! };
  return { name: '', duck: s.trim() };
}
