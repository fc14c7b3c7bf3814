/**
 * BigQuery's array elements field access (operators#array_el_field_operator): inside UNNEST, IN
 * UNNEST and an implicit FROM path, `a.b.c` where `a` (or a field on the way) is an array reads the
 * field of every element, and a field that is itself an array is concatenated, so `UNNEST(a.b.c)`
 * is `UNNEST(FLATTEN(a.b.c))`: array order, a NULL element gives a NULL field, a NULL or empty array
 * contributes nothing. DuckDB has no such operator and the translator no types, so the query layer
 * learns the DuckDB type of the path's first part by binding a probe (`abs({'__bq_probe_<at>': a})`
 * fails with the type in its message) and the translator then writes list_transform/flatten steps.
 */
import { quoteIdent } from '../type-mapping.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { readPath } from './token-paths.js';

/** A DuckDB type as DuckDB prints it, parsed as far as paths need: lists, structs, anything else. */
export type DuckType = { kind: 'list'; element: DuckType } | { kind: 'struct'; fields: { name: string; type: DuckType }[] } | { kind: 'other'; text: string };

/** What the query layer learned about a session's paths, by ArrayPathSite.key. */
export interface ArrayPathTypes {
  /** The DuckDB type of the path's first part; null when the path is read as written. */
  readonly types: Map<string, DuckType | null>;
  /** Paths to emit as a type probe in the next translation. */
  readonly probing: Set<string>;
}

export function emptyArrayPathTypes(): ArrayPathTypes {
  return { types: new Map(), probing: new Set() };
}

const PROBE = '__bq_probe_';

/** Parses a DuckDB type from `text` at `at`; returns it and the index after it. */
function parseAt(text: string, at: number): [DuckType, number] {
  let i = at;
  const skip = (): void => {
    while (text[i] === ' ') i++;
  };
  skip();
  let type: DuckType;
  if (text.startsWith('STRUCT(', i)) {
    i += 'STRUCT('.length;
    const fields: { name: string; type: DuckType }[] = [];
    for (;;) {
      skip();
      let name = '';
      if (text[i] === '"') {
        i++;
        for (; i < text.length; i++) {
          if (text[i] === '"' && text[i + 1] === '"') {
            name += '"';
            i++;
          } else if (text[i] === '"') break;
          else name += text[i];
        }
        i++;
      } else {
        const m = /^[^\s(),]+/.exec(text.slice(i));
        name = m ? m[0] : '';
        i += name.length;
      }
      const [fieldType, next] = parseAt(text, i);
      fields.push({ name, type: fieldType });
      i = next;
      skip();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ')') i++;
      break;
    }
    type = { kind: 'struct', fields };
  } else {
    // a scalar type, with its own parentheses (DECIMAL(38,9), MAP(...), UNION(...)) kept whole
    const from = i;
    let depth = 0;
    for (; i < text.length; i++) {
      const c = text[i]!;
      if (c === '(') depth++;
      else if (c === ')') {
        if (depth === 0) break;
        depth--;
      } else if ((c === ',' || c === '[') && depth === 0) break;
    }
    type = { kind: 'other', text: text.slice(from, i).trim() };
  }
  while (text[i] === '[') {
    const close = text.indexOf(']', i);
    // ARRAY (fixed size, `T[3]`) is not a BigQuery type; only LIST (`T[]`) reaches here from BigQuery values
    type = close === i + 1 ? { kind: 'list', element: type } : { kind: 'other', text: `${JSON.stringify(type)}${text.slice(i, close + 1)}` };
    i = close + 1;
  }
  return [type, i];
}

/** SQL DuckDB refuses to bind with the type of `sql` in its message (probedType reads it back). */
export const probeSql = (at: number, sql: string): string => `abs({'${PROBE}${at}': ${sql}})`;

export function parseDuckType(text: string): DuckType {
  return parseAt(text, 0)[0];
}

/** The path whose probe DuckDB refused to bind, and the type it printed, from the error message. */
export function probedType(message: string): { at: number; type: DuckType } | undefined {
  const m = new RegExp(`STRUCT\\(${PROBE}(\\d+) `).exec(message);
  if (!m) return undefined;
  return { at: Number(m[1]), type: parseAt(message, m.index + m[0].length)[0] };
}

/** DuckDB's binder refusing `x.f` on a value that is no struct: the sign that a path reads through an array. */
export const NOT_A_STRUCT = /Cannot extract field '[^']*' from expression "[^"]*" because it is not a struct/;

/**
 * The SQL of `parts` read through arrays, given the type of its first part (`first`, as DuckDB SQL):
 * undefined when no part on the way is an array (the path reads as written) or a field is missing
 * (DuckDB then fails on the path as written, loudly).
 */
export function throughArraysSql(first: string, parts: string[], type: DuckType): string | undefined {
  let sql = first;
  let current = type;
  let elements = false;
  for (let k = 1; k < parts.length; k++) {
    if (!elements && current.kind === 'list') {
      elements = true;
      current = current.element;
    }
    if (current.kind !== 'struct') return undefined;
    const name = parts[k]!.toLowerCase();
    const field = current.fields.find((f) => f.name.toLowerCase() === name);
    if (!field) return undefined;
    if (!elements) {
      sql = `${sql}.${quoteIdent(field.name)}`;
      current = field.type;
      continue;
    }
    const e = `__bq_e${k}`;
    const each = `list_transform(${sql}, ${e} -> ${e}.${quoteIdent(field.name)})`;
    // a field that is an array itself: each element's array, concatenated (a NULL one contributes nothing)
    if (field.type.kind === 'list') {
      sql = `flatten(${each})`;
      current = field.type.element;
    } else {
      sql = each;
      current = field.type;
    }
  }
  return elements ? sql : undefined;
}

const siteKey = (at: number, parts: string[]): string => `${at}:${parts.join('.').toLowerCase()}`;

export interface ArrayPathSite {
  /** Source offset of the path's first token (the probe's name). */
  at: number;
  /** The offset and the path, lower case: the key of ArrayPathTypes. */
  key: string;
  /** Token index of the path's first token and the index after it. */
  from: number;
  to: number;
  parts: string[];
}

/** The path of two or more parts that [from, to) is exactly, if it is one. */
export function pathSite(tokens: Token[], from: number, to: number): ArrayPathSite | undefined {
  const first = tokens[from];
  if (!first || (first.kind !== 'ident' && first.kind !== 'quoted') || to <= from) return undefined;
  const [parts, next] = readPath(tokens, from);
  if (next !== to || parts.length < 2) return undefined;
  return { at: first.start, key: siteKey(first.start, parts), from, to, parts };
}

/**
 * The SQL for a path where BigQuery reads fields through arrays (UNNEST's argument, IN UNNEST's,
 * an implicit FROM path), when the query layer has learned that it does; else undefined (as written).
 * `plainFirst`: the first part is an ordinary name (not a variable or parameter).
 */
export function arrayPathSql(types: ArrayPathTypes | undefined, site: ArrayPathSite, tokens: Token[], plainFirst: boolean): string | undefined {
  if (!types || !plainFirst) return undefined;
  const first = quoteIdent(site.parts[0]!);
  if (types.probing.has(site.key)) return probeSql(site.at, first);
  const type = types.types.get(site.key);
  if (!type) return undefined;
  const sql = throughArraysSql(first, site.parts, type);
  // a subscript after a path read through arrays applies to each element's array (FLATTEN(a.b[OFFSET(0)])), not to the concatenation
  if (sql && isOp(tokens[site.to], '[')) throw unsupported('A subscript on a field read through an array (a.b[OFFSET(n)] inside UNNEST)');
  return sql;
}

/** Every path that may read through arrays: UNNEST's argument when it is one path, and a path of two or more parts after a FROM-list comma or JOIN. */
export function arrayPathSites(tokens: Token[]): ArrayPathSite[] {
  const out: ArrayPathSite[] = [];
  const closeOf = new Map<number, number>();
  const openOf = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((x, k) => {
    if (isOp(x, '(')) stack.push(k);
    else if (isOp(x, ')') && stack.length > 0) {
      const open = stack.pop()!;
      closeOf.set(open, k);
      openOf.set(k, open);
    }
  });
  // whether the comma at k separates FROM items: the nearest clause keyword before it at its depth is FROM
  const inFrom = (k: number): boolean => {
    for (let j = k - 1; j >= 0; j--) {
      const y = tokens[j]!;
      if (isOp(y, ')')) j = openOf.get(j) ?? j;
      else if (isOp(y, '(')) return false;
      else if (isKeyword(y, 'FROM')) return true;
      else if (isKeyword(y, 'SELECT', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'ORDER', 'WINDOW', 'ON', 'USING', 'SET', 'VALUES', 'BY')) return false;
    }
    return false;
  };
  for (let k = 0; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isKeyword(x, 'UNNEST') && isOp(tokens[k + 1], '(')) {
      const close = closeOf.get(k + 1);
      const site = close === undefined ? undefined : pathSite(tokens, k + 2, close);
      if (site) out.push(site);
      continue;
    }
    if (((isOp(x, ',') && inFrom(k)) || isKeyword(x, 'JOIN')) && (tokens[k + 1]?.kind === 'ident' || tokens[k + 1]?.kind === 'quoted') && !isKeyword(tokens[k + 1], 'UNNEST')) {
      const [parts, next] = readPath(tokens, k + 1);
      if (parts.length >= 2 && !isOp(tokens[next], '(')) out.push({ at: tokens[k + 1]!.start, key: siteKey(tokens[k + 1]!.start, parts), from: k + 1, to: next, parts });
    }
  }
  return out;
}
