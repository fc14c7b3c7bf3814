/** GoogleSQL constructs the translator rewrites whole: array subscripts, STRUCT literals, UNNEST in FROM. */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { CLAUSE_ENDS, NOT_FUNCTIONS } from './keywords.js';
import { INTERVAL_UNITS, type TranslationContext } from './translation-context.js';
import { intervalFromRange, intervalFromString, intervalPartAt } from './interval-literals.js';
import { isName, type ValueTableNames } from './value-table-fields.js';
import { isRangeField } from './range-type.js';
import { enclosingRangeVariables, rangeVariables } from './range-variables.js';

/** The translator methods these rewrites call back into. */
export interface ConstructContext extends TranslationContext {
  closing(i: number): number;
  range(s: number, e: number): string;
  fresh(prefix: string): string;
  angleType(lt: number): [string, number];
  path(i: number): [string[], number, boolean];
  arrayPath(from: number, to: number): string | undefined;
  readonly valueTables: ValueTableNames;
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
  let named = false;
  const fields = args.map((a, k) => {
    let name = fieldTypes?.[k]?.name;
    let exprTokens = a;
    const asAt = a.length >= 2 && isKeyword(a[a.length - 2], 'AS') ? a.length - 2 : -1;
    if (asAt >= 0) {
      name = a[a.length - 1]!.value;
      exprTokens = a.slice(0, asAt);
    } else if (!name && a.length >= 1) {
      const last = a[a.length - 1]!;
      // a bare NULL/TRUE/FALSE is a literal, not a field name (STRUCT(1, NULL, NULL) is anonymous)
      const simple = (last.kind === 'ident' || last.kind === 'quoted') && !isKeyword(last, 'NULL', 'TRUE', 'FALSE') && (a.length === 1 || isOp(a[a.length - 2], '.'));
      if (simple) name = last.value;
    }
    if (name !== undefined) named = true;
    if (name !== undefined && isRangeField(name)) throw unsupported(`A STRUCT field named ${name} (the engine's RANGE values have fields of that name)`);
    return `${quoteString(name ?? `_field_${k + 1}`)}: ${t.sub(exprTokens)}`;
  });
  // STRUCT(1, 'x') with no names at all is an anonymous struct, which DuckDB casts by position as BigQuery coerces
  // (a field read through a path, STRUCT(t.project.id), is named by its last part, as a bare name is)
  const anonymous = !fieldTypes && !named;
  // BigQuery's STRUCT() is an empty STRUCT, which DuckDB has no type for (NULL would be a different answer)
  if (fields.length === 0) throw unsupported('STRUCT() with no fields');
  const lit = anonymous ? `row(${args.map((a) => t.sub(a)).join(', ')})` : `{${fields.join(', ')}}`;
  return [fullType ? `CAST(${lit} AS ${fullType})` : lit, close + 1];
}

/**
 * `(SELECT AS VALUE STRUCT(...) ...)` as a FROM item (s: the subquery's first token, at: the STRUCT):
 * a value table of STRUCTs has the struct's fields as its columns, so `SELECT *` over it lists them.
 * Returns the select item and the index after it; undefined elsewhere.
 */
export function structValueTable(t: ConstructContext, s: number, at: number, e: number): [string, number] | undefined {
  const fromItem = isOp(t.tokens[s - 1], '(') && (isKeyword(t.tokens[s - 2], 'FROM', 'JOIN') || isOp(t.tokens[s - 2], ','));
  if (!fromItem || !isKeyword(t.tokens[at], 'STRUCT')) return undefined;
  let end = at;
  while (end < e && !isKeyword(t.tokens[end], 'FROM') && !isOp(t.tokens[end], ',') && !(t.tokens[end]!.kind === 'ident' && CLAUSE_ENDS.has(t.tokens[end]!.value.toUpperCase()))) {
    end = isOp(t.tokens[end], '(', '[') ? t.closing(end) + 1 : end + 1;
  }
  return [`UNNEST(${t.range(at, end)})`, end];
}

const ON_ENDS = ['JOIN', 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'FULL', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT'];

/** After `LEFT [OUTER] JOIN UNNEST(...) [AS x] [WITH OFFSET o]` ending at `j`: an `ON cond` that names neither x nor o, as SQL, and where it ends. */
function leftJoinOuterCondition(t: ConstructContext, i: number, j: number, names: (string | undefined)[]): [string, number] | undefined {
  if (!isLeftJoin(t, i) || !isKeyword(t.tokens[j], 'ON')) return undefined;
  const own = new Set(names.filter((n): n is string => n !== undefined).map((n) => n.toLowerCase()));
  let end = j + 1;
  while (end < t.tokens.length) {
    const tk = t.tokens[end]!;
    if (isOp(tk, '(')) {
      end = t.closing(end) + 1;
      continue;
    }
    if (isOp(tk, ')') || isOp(tk, ',') || isOp(tk, ';') || ON_ENDS.some((k) => isKeyword(tk, k))) break;
    end++;
  }
  for (let k = j + 1; k < end; k++) {
    const tk = t.tokens[k]!;
    if ((tk.kind === 'ident' || tk.kind === 'quoted') && own.has(tk.value.toLowerCase()) && !isOp(t.tokens[k - 1], '.')) return undefined;
  }
  return end > j + 1 ? [`(${t.range(j + 1, end)})`, end] : undefined;
}

/**
 * UNNEST(...) [AS] alias [WITH OFFSET [AS] off] in FROM. The third value says the UNNEST is written as a
 * CROSS JOIN in place of the `LEFT [OUTER] JOIN` before it (the caller replaces those words).
 */
export function unnestTable(t: ConstructContext, i: number): [string, number, boolean] {
  const close = t.closing(i + 1);
  let arr = t.arrayPath(i + 2, close) ?? t.range(i + 2, close);
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
  // `LEFT JOIN UNNEST(arr) AS x ON cond` where cond does not read x (DuckDB refuses such a condition on a
  // lateral join): the array is empty for a row cond does not hold for, which leaves that row once with NULL
  const outerOn = leftJoinOuterCondition(t, i, j, [alias, offset]);
  if (outerOn) [arr, j] = [`CASE WHEN ${outerOn[0]} THEN ${arr} END`, outerOn[1]];
  // `LEFT JOIN UNNEST(arr)` with no ON of its own is a CROSS JOIN with an array never empty (one NULL for
  // an empty or NULL one, offset NULL): DuckDB's lateral LEFT JOIN gives a row's elements in reverse order,
  // its CROSS JOIN in array order, as BigQuery does in practice
  const crossed = isLeftJoin(t, i) && !isKeyword(t.tokens[j], 'ON', 'USING');
  const whole = arr;
  if (crossed) arr = `(CASE WHEN len(${whole}) > 0 THEN ${whole} ELSE [NULL] END)`;
  // `[INNER] JOIN UNNEST(arr)` without ON joins each row to its own elements (DuckDB needs the ON)
  const on = !crossed && isKeyword(t.tokens[i - 1], 'JOIN') && !isKeyword(t.tokens[i - 2], 'CROSS') && !isKeyword(t.tokens[j], 'ON', 'USING') ? ' ON true' : '';
  // UNNEST straight in the lateral subquery (no inner FROM): DuckDB then keeps each row's elements in
  // array order through the join, as BigQuery does in practice (an inner derived table reverses them)
  const positions = crossed ? `UNNEST(CASE WHEN len(${whole}) > 0 THEN range(len(${whole})) ELSE [NULL] END)` : `generate_subscripts(${arr}, 1) - 1`;
  const cols = offset ? `, ${positions} AS ${quoteIdent(offset)}` : '';
  // BigQuery exposes the fields of an unaliased array of structs as columns
  if (!alias) return [`(SELECT UNNEST(${arr}, max_depth := 2)${cols}) AS ${tableAlias}${on}`, j, crossed];
  // an aliased array of STRUCTs is a value table: its fields are columns too (`key`, `fp.key`, USING (key), `*`).
  // Each element wrapped as {alias: e} and unpacked one level deeper gives the fields for a STRUCT and one
  // column named alias otherwise, whatever the type. The alias then reads as DuckDB's row of the table,
  // which is the struct except in an aggregate or for a NULL element: so only where the alias is never used bare.
  // Another UNNEST's alias read bare is written qualified (value-table-fields.ts), so DuckDB cannot take it for a field of this one.
  if (!offset && t.valueTables.exposed.has(i)) {
    return [`(SELECT UNNEST(list_transform(${arr}, e -> {${quoteString(alias)}: e}), max_depth := 3)) AS ${quoteIdent(alias)}${on}`, j, crossed];
  }
  // the column named by the table alias's column list, so `UNNEST(value) AS value` reads the outer `value`
  if (!offset) return [`(SELECT UNNEST(${arr})) AS ${quoteIdent(alias)}(${quoteIdent(alias)})${on}`, j, crossed];
  return [`(SELECT UNNEST(${arr}) AS ${quoteIdent(alias)}${cols}) AS ${quoteIdent(alias)}${on}`, j, crossed];
}

/** Whether the UNNEST at token i follows `LEFT [OUTER] JOIN`. */
export function isLeftJoin(t: ConstructContext, i: number): boolean {
  return isKeyword(t.tokens[i - 1], 'JOIN') && (isKeyword(t.tokens[i - 2], 'LEFT') || (isKeyword(t.tokens[i - 2], 'OUTER') && isKeyword(t.tokens[i - 3], 'LEFT')));
}

/** The aliases (lower case) of every `UNNEST(...) [AS] name` in the statement; `match` pairs its brackets. */
export function unnestAliasNames(tokens: Token[], match: number[]): Set<string> {
  const out = new Set<string>();
  tokens.forEach((x, k) => {
    if (!isKeyword(x, 'UNNEST') || !isOp(tokens[k + 1], '(')) return;
    const a = (match[k + 1] ?? -2) + 1;
    const name = tokens[isKeyword(tokens[a], 'AS') ? a + 1 : a];
    if (a > 0 && isName(name)) out.add(name!.value.toLowerCase());
  });
  return out;
}

/**
 * The aliases (lower case) of the UNNESTs unnestTable writes with the element as one column named by
 * the alias (`AS a(a)`, or `AS a` with columns a and the offset), not as its fields: every UNNEST of
 * that alias in the statement, which is not in a FROM clause or exposes its fields, is such.
 */
export function elementAliasNames(tokens: Token[], match: number[], valueTables: ValueTableNames): Set<string> {
  const element = new Set<string>();
  const fields = new Set<string>();
  tokens.forEach((x, k) => {
    if (!isKeyword(x, 'UNNEST') || !isOp(tokens[k + 1], '(')) return;
    const a = (match[k + 1] ?? -2) + 1;
    const at = isKeyword(tokens[a], 'AS') ? a + 1 : a;
    const name = tokens[at];
    if (a <= 0 || !isName(name)) return;
    const offset = isKeyword(tokens[at + 1], 'WITH') && isKeyword(tokens[at + 2], 'OFFSET');
    const inFrom = isOp(tokens[k - 1], ',') || isKeyword(tokens[k - 1], 'FROM', 'JOIN');
    (inFrom && (offset || !valueTables.exposed.has(k)) ? element : fields).add(name!.value.toLowerCase());
  });
  for (const f of fields) element.delete(f);
  return element;
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

/**
 * `FROM t AS p, p.items AS it` and `LEFT JOIN p.items`: a path after a comma or JOIN that starts with
 * a range variable of the same FROM clause is that row's array, joined as UNNEST(p.items) is
 * (query-syntax#correlated_join); so is `(SELECT ... FROM t.items)` in a query whose FROM names t. Returns the SQL and the index after the operand (and its alias).
 */
export function implicitArrayJoin(t: ConstructContext, i: number, parts: string[], next: number): { sql: string; next: number; crossed: boolean } | undefined {
  const before = t.tokens[i - 1];
  if (parts.length < 2) return undefined;
  const first = parts[0]!.toLowerCase();
  // a range variable of this FROM clause (after a comma or JOIN), or of an enclosing query (a correlated path, FROM first too)
  const own = (isOp(before, ',') || isKeyword(before, 'JOIN')) && rangeVariables(t, i).has(first);
  if (!own && !((isOp(before, ',') || isKeyword(before, 'JOIN', 'FROM')) && enclosingRangeVariables(t, i).has(first))) return undefined;
  let j = next;
  if (isKeyword(t.tokens[j], 'AS')) j++;
  const named = isName(t.tokens[j]);
  const alias = named ? t.tokens[j++]!.value : parts[parts.length - 1]!;
  if (!named && j !== next) throw unsupported('AS without an alias');
  let offset: string | undefined;
  if (isKeyword(t.tokens[j], 'WITH') && isKeyword(t.tokens[j + 1], 'OFFSET')) {
    // WITH OFFSET [AS] name: the element's 0-based position, as for UNNEST(path) WITH OFFSET
    j += 2;
    if (isKeyword(t.tokens[j], 'AS')) j++;
    offset = isName(t.tokens[j]) ? t.tokens[j++]!.value : 'offset';
    // a USING (offset) over two correlated paths lists its columns in DuckDB's order under SELECT AS STRUCT *
    if (!own) throw unsupported('A correlated FROM path (a path from an enclosing query) WITH OFFSET');
  }
  // LEFT JOIN p.items with no ON of its own: a CROSS JOIN over a never-empty array, as for LEFT JOIN UNNEST (unnestTable)
  const crossed = isLeftJoin(t, i) && !isKeyword(t.tokens[j], 'ON', 'USING');
  const on = !crossed && isKeyword(before, 'JOIN') && !isKeyword(t.tokens[i - 2], 'CROSS') && !isKeyword(t.tokens[j], 'ON', 'USING') ? ' ON true' : '';
  const whole = t.arrayPath(i, next) ?? parts.map(quoteIdent).join('.');
  const path = crossed ? `(CASE WHEN len(${whole}) > 0 THEN ${whole} ELSE [NULL] END)` : whole;
  const positions = crossed ? `UNNEST(CASE WHEN len(${whole}) > 0 THEN range(len(${whole})) ELSE [NULL] END)` : `generate_subscripts(${path}, 1) - 1`;
  if (offset) return { sql: `(SELECT UNNEST(${path}) AS ${quoteIdent(alias)}, ${positions} AS ${quoteIdent(offset)}) AS ${quoteIdent(alias)}${on}`, next: j, crossed };
  return { sql: `(SELECT UNNEST(${path}) AS ${quoteIdent(alias)}) AS ${quoteIdent(alias)}${on}`, next: j, crossed };
}

/** INTERVAL <expr> <unit> → DuckDB interval expression. */
export function intervalLiteral(t: ConstructContext, i: number): [string, number] {
  let j = i + 1;
  const tok = t.tokens[j];
  if (!tok) throw new BigQueryApiError('invalidQuery', 'Syntax error: INTERVAL without a value');
  let valueEnd: number;
  if (isOp(tok, '(')) valueEnd = t.closing(j) + 1;
  else if (isOp(tok, '-')) valueEnd = j + 2;
  else {
    const [, next] = tok.kind === 'ident' || tok.kind === 'quoted' ? t.path(j) : [[], j + 1];
    valueEnd = next as number;
  }
  const unitAt = t.tokens[valueEnd]?.kind === 'ident' && INTERVAL_UNITS.has(t.tokens[valueEnd]!.value.toUpperCase()) ? valueEnd : intervalPartAt(t.tokens, j, (k) => t.closing(k), INTERVAL_UNITS);
  if (unitAt !== undefined) valueEnd = unitAt;
  const value = t.range(j, valueEnd);
  j = valueEnd;
  const unit = t.tokens[j];
  if (!unit || unit.kind !== 'ident' || !INTERVAL_UNITS.has(unit.value.toUpperCase())) {
    throw unsupported(`INTERVAL without a single date part (near "${unit?.text ?? ''}")`);
  }
  const u = unit.value.toUpperCase();
  // a STRING literal is read now (interval-literals.ts); INTERVAL <expr> <from> TO <to> takes only a literal
  const text = valueEnd === i + 2 && tok.kind === 'string' ? tok.value : undefined;
  if (isKeyword(t.tokens[j + 1], 'TO')) {
    const end = t.tokens[j + 2];
    if (text === undefined || end?.kind !== 'ident') throw unsupported('INTERVAL ... TO ... of a value that is not a STRING literal');
    return [intervalFromRange(text, u, end.value.toUpperCase()), j + 3];
  }
  if (text !== undefined) return [intervalFromString(text, u), j + 1];
  if (u === 'QUARTER') return [`(INTERVAL 3 MONTH * (${value}))`, j + 1];
  if (u === 'WEEK') return [`(INTERVAL 7 DAY * (${value}))`, j + 1];
  return [`(INTERVAL 1 ${u} * (${value}))`, j + 1];
}

/**
 * Columns of the `JOIN ... USING (a, b)` at this query level: GoogleSQL's `SELECT *` lists them first,
 * DuckDB lists them where the left input has them. 'several' when more than one join uses USING.
 */
export function usingColumns(t: ConstructContext, s: number, e: number): string[] | 'several' | undefined {
  let found: string[] | undefined;
  let sawJoin = false;
  for (let i = s; i < e; i++) {
    const tok = t.tokens[i]!;
    if (isOp(tok, '(', '[')) {
      const j = t.closing(i);
      if (sawJoin && isKeyword(t.tokens[i - 1], 'USING')) {
        const inner = t.tokens.slice(i + 1, j);
        if (inner.every((x) => x.kind === 'ident' || x.kind === 'quoted' || isOp(x, ','))) {
          if (found) return 'several';
          found = inner.filter((x) => !isOp(x, ',')).map((x) => x.value);
        }
      }
      i = j;
      continue;
    }
    if (isKeyword(tok, 'JOIN')) sawJoin = true;
    if (isKeyword(tok, 'UNION', 'INTERSECT') || (isKeyword(tok, 'EXCEPT') && isKeyword(t.tokens[i + 1], 'DISTINCT', 'ALL'))) break;
  }
  return found;
}
