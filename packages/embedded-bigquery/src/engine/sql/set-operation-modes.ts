/**
 * Set operations with BigQuery's columns and types (query-syntax#set_operators). The query layer
 * describes each input query before translation (query/set-operation-probe.ts); here the result's
 * columns are chosen (by position, or by name: BY NAME / STRICT CORRESPONDING all the same names,
 * CORRESPONDING / INNER those in every input, FULL all of them, the first input's first and then each
 * new one in order, LEFT the first input's; ON / BY (list) that list in its order; NULL where an input
 * lacks one), typed with BigQuery's supertypes (set-operation-types.ts), and each input is written as
 * an explicit select list over that input, so DuckDB's UNION matches by position only. DuckDB's own
 * UNION BY NAME (always FULL, other order, no INTERSECT/EXCEPT) is never used. A set operation whose
 * inputs were not described is left as written when it matches by position, and fails loudly when it
 * matches by name. ORDER BY after the operation orders NaN as BigQuery does (float-order.ts), ordinals
 * included.
 */
import { BigQueryApiError } from '../types.js';
import { unsupported } from '../errors.js';
import { quoteIdent } from '../type-mapping.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { comparable, convertSql, supertype, typeName, type LiteralKind, type SetInput, type SetType } from './set-operation-types.js';
import { at, hasNameMatching, setChain, type SetChain } from './set-operations.js';
import { rewriteOrderBy } from './functions/float-order.js';
import { bigQueryColumnNames } from '../query/result-columns.js';
import { exactDecimalLiteral } from './literals.js';

// the translator takes BigQuery's supertype rules from here, for array literals too
export { arrayItems } from './array-literal-types.js';

export interface ProbedColumn {
  name: string;
  /** Undefined for a DuckDB type the set operation rules do not cover. */
  type: SetType | undefined;
}

/** What the query layer learned: each described input query's columns, by operandKey. */
export type SetOperationColumns = Map<string, ProbedColumn[]>;

export function operandKey(tokens: Token[], [a, b]: [number, number]): string {
  return `${tokens[a]!.start}:${tokens[b - 1]!.end}`;
}

/** The translator methods set operations call back into. */
export interface SetOperationContext {
  readonly tokens: Token[];
  closing(i: number): number;
  range(s: number, e: number): string;
  fresh(prefix: string): string;
  readonly env: { readonly setOperations?: SetOperationColumns };
}

interface Plan {
  names: string[];
  types: SetType[];
  /** For each input, the index of each result column in it (-1: NULL). */
  sources: number[][];
  /** Whether DuckDB's positional UNION of the inputs as written already gives BigQuery's columns. */
  asWritten: boolean;
}

const SELECT_ENDS = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT'];

/** The text of a number literal item (`1.5`, `-2`), for an exact NUMERIC of it. */
function numberText(item: Token[]): string | undefined {
  const k = item.findIndex((x) => x.kind === 'number');
  return k < 0 ? undefined : `${isOp(item[k - 1], '-') ? '-' : ''}${item[k]!.value}`;
}

/** The literal kind of one select item (`1`, `-1.5`, `'x'`, `NULL`, with or without an alias). */
function kindOf(item: Token[]): LiteralKind | undefined {
  let x = item;
  if (x.length >= 3 && isKeyword(x[x.length - 2], 'AS')) x = x.slice(0, -2);
  else if (x.length === 2 && (x[1]!.kind === 'ident' || x[1]!.kind === 'quoted') && !isOp(x[0], '-')) x = x.slice(0, -1);
  if (x.length === 2 && isOp(x[0], '-') && x[1]!.kind === 'number') x = x.slice(1);
  if (x.length !== 1) return undefined;
  const t = x[0]!;
  if (t.kind === 'number') return /^(\d+|0x[0-9a-f]+)$/i.test(t.value) ? 'int' : 'float';
  if (t.kind === 'string') return 'string';
  if (isKeyword(t, 'NULL')) return 'null';
  return undefined;
}

/** `[]`, `ARRAY[]`, or an array literal `[...]` (whose coercion to other element types is not known here). */
function arrayKind(item: Token[]): LiteralKind | undefined {
  const x = isKeyword(item[0], 'ARRAY') && isOp(item[1], '[') ? item.slice(1) : item;
  if (!isOp(x[0], '[')) return undefined;
  const close = x.findIndex((y, i) => i > 0 && isOp(y, ']'));
  const tail = x.slice(close + 1);
  if (close < 0 || !(tail.length === 0 || (tail.length === 1 && tail[0]!.kind === 'ident') || (tail.length === 2 && isKeyword(tail[0], 'AS')))) return undefined;
  return close === 1 ? 'empty-array' : 'array';
}

/** Whether the input query at [a, b) is a value table (`SELECT AS STRUCT` / `SELECT AS VALUE`), brackets aside. */
function isValueTable(tokens: Token[], a: number, b: number): boolean {
  let k = a;
  while (k < b && isOp(tokens[k], '(')) k++;
  if (!isKeyword(tokens[k], 'SELECT')) return false;
  if (isKeyword(tokens[k + 1], 'DISTINCT', 'ALL')) k++;
  return isKeyword(tokens[k + 1], 'AS') && isKeyword(tokens[k + 2], 'STRUCT', 'VALUE');
}

/** The literal kind of each field of a `STRUCT(...)` constructor item (aliased or not), or undefined for any other item. */
function structFields(t: SetOperationContext, item: Token[]): (LiteralKind | undefined)[] | undefined {
  if (!isKeyword(item[0], 'STRUCT') || !isOp(item[1], '(')) return undefined;
  const close = item.findIndex((x) => x === t.tokens[t.closing(t.tokens.indexOf(item[1]!))]);
  const tail = item.slice(close + 1);
  if (close < 0 || !(tail.length === 0 || (tail.length === 1 && tail[0]!.kind !== 'op') || (tail.length === 2 && isKeyword(tail[0], 'AS')))) return undefined;
  const fields: Token[][] = [[]];
  for (let k = 2; k < close; k++) {
    const x = item[k]!;
    if (isOp(x, '(', '[')) {
      const j = item.indexOf(t.tokens[t.closing(t.tokens.indexOf(x))]!);
      fields[fields.length - 1]!.push(...item.slice(k, j + 1));
      k = j;
    } else if (isOp(x, ',')) fields.push([]);
    else fields[fields.length - 1]!.push(x);
  }
  return fields.map(kindOf);
}

/** Whether the value table input starting at a is `SELECT [DISTINCT] AS VALUE`. */
function asValue(tokens: Token[], a: number): boolean {
  let k = a;
  while (isOp(tokens[k], '(')) k++;
  return tokens.slice(k, k + 4).some((x) => isKeyword(x, 'VALUE'));
}

/** For each of the n columns of the input query at [a, b), its literal kind where its select item is a literal. */
interface Literal {
  literal?: LiteralKind;
  fields?: (LiteralKind | undefined)[];
  /** A number literal's text (with its sign), for an exact NUMERIC or BIGNUMERIC of it. */
  text?: string;
}

function literalKinds(t: SetOperationContext, [from, to]: [number, number], n: number): Literal[] {
  const none: Literal[] = new Array<Literal>(n).fill({});
  const tokens = t.tokens;
  let [a, b] = [from, to];
  // a bracketed query is the same query: `(SELECT NULL AS a)` still selects a literal
  while (isOp(tokens[a], '(') && t.closing(a) === b - 1) [a, b] = [a + 1, b - 1];
  if (!isKeyword(tokens[a], 'SELECT') || isValueTable(tokens, a, b)) return none;
  for (let k = a; k < b; k++) {
    if (isOp(tokens[k], '(', '[')) k = t.closing(k);
    else if (isKeyword(tokens[k], 'UNION', 'INTERSECT', 'EXCEPT') && isKeyword(tokens[k + 1], 'ALL', 'DISTINCT')) return none;
  }
  let k = a + 1;
  if (isKeyword(tokens[k], 'DISTINCT', 'ALL')) k++;
  const items: Token[][] = [[]];
  for (; k < b; k++) {
    const x = tokens[k]!;
    if (isKeyword(x, ...SELECT_ENDS)) break;
    if (isOp(x, '(', '[')) {
      const j = t.closing(k);
      items[items.length - 1]!.push(...tokens.slice(k, j + 1));
      k = j;
    } else if (isOp(x, ',')) items.push([]);
    else items[items.length - 1]!.push(x);
  }
  const star = (item: Token[]): boolean => item.some((x, i) => isOp(x, '*') && (i === 0 || isOp(item[i - 1], '.')));
  if (items.filter(star).length > 1) return none;
  const out: Literal[] = [];
  for (const item of items) {
    if (star(item)) out.push(...new Array<Literal>(Math.max(0, n - (items.length - 1))).fill({}));
    else {
      const literal = kindOf(item) ?? arrayKind(item);
      const text = literal === 'int' || literal === 'float' ? numberText(item) : undefined;
      const fields = structFields(t, item);
      out.push({ ...(literal ? { literal } : {}), ...(text ? { text } : {}), ...(fields ? { fields } : {}) });
    }
  }
  return out.length === n ? out : none;
}

const lower = (s: string): string => s.toLowerCase();

/** One input column as the result column's type: a literal NULL or [] of that type, a number literal made exact from its text (BigQuery coerces the literal, not a DOUBLE), else a conversion. */
function valueSql(input: Partial<SetInput> & Literal, sql: string, to: SetType): string {
  if (input.literal === 'null' || input.literal === 'empty-array') return `CAST(${input.literal === 'null' ? 'NULL' : '[]'} AS ${to.duck})`;
  const exact = input.text !== undefined && to.kind === 'scalar' && (to.name === 'NUMERIC' || to.name === 'BIGNUMERIC') ? exactDecimalLiteral(input.text, to.name) : undefined;
  if (exact) return `CAST(${exact} AS ${to.duck})`;
  return convertSql(sql, input.type!, to);
}

/** Where BigQuery's result column types differ from the inputs' as written (an input needs converting). */
function typesDiffer(inputs: SetInput[][], types: SetType[], sources: number[][]): boolean {
  return sources.some((src, k) => src.some((i, j) => i < 0 || typeName(inputs[k]![i]!.type) !== typeName(types[j]!)));
}

function columnTypes(t: SetOperationContext, chain: SetChain, names: string[], inputs: SetInput[][], sources: number[][], byName: boolean): SetType[] {
  const op = chain.operators[0]!;
  const second = at(t.tokens[chain.operands[1]![0]]);
  return names.map((name, j) => {
    const column = sources.map((src, k) => (src[j]! < 0 ? { type: { kind: 'scalar', name: 'INT64', duck: 'INTEGER' } as SetType, literal: 'null' as const } : inputs[k]![src[j]!]!));
    const type = supertype(column);
    const label = byName ? name : String(j + 1);
    if (!type && column.some((c) => c.literal === 'array')) throw unsupported(`Column ${label} in ${op.op} over an array literal of another element type`);
    if (!type) {
      const list = column.map((c) => (c.literal === 'null' ? 'NULL' : typeName(c.type))).join(', ');
      throw new BigQueryApiError('invalidQuery', `Column ${label} in ${op.op} has incompatible types: ${list}${second}`);
    }
    const refused = op.op === 'UNION ALL' ? undefined : comparable(type);
    if (refused) throw new BigQueryApiError('invalidQuery', `Column ${label} in ${op.op} has type that does not support set operation comparisons: ${refused}${at(t.tokens[chain.operands[0]![0]])}`);
    return type;
  });
}

function positional(t: SetOperationContext, chain: SetChain, probed: ProbedColumn[][], inputs: SetInput[][]): Plan {
  const n = probed[0]!.length;
  const sources = probed.map(() => Array.from({ length: n }, (_, i) => i));
  const names = probed[0]!.map((c) => c.name);
  const types = columnTypes(t, chain, names, inputs, sources, false);
  return { names, types, sources, asWritten: !typesDiffer(inputs, types, sources) };
}

/** The result columns of a set operation matching by name, with BigQuery's errors for inputs that cannot be matched. */
function byName(t: SetOperationContext, chain: SetChain, probed: ProbedColumn[][], inputs: SetInput[][]): Plan {
  const op = chain.operators[0]!;
  const word = op.modifier === 'BY NAME' ? 'BY NAME' : 'CORRESPONDING';
  const operator = at(t.tokens[op.from]);
  const query = (k: number): string => at(t.tokens[chain.operands[k]![0]]);
  // with a BY / ON list only the listed columns must be named once; the others are not read
  const listed = op.columns ? new Set(op.columns.map(lower)) : undefined;
  probed.forEach((cols, k) => {
    if (isValueTable(t.tokens, ...chain.operands[k]!)) throw new BigQueryApiError('invalidQuery', `Value table type not allowed in set operations when ${word} is used: query ${k + 1}${operator}`);
    cols.forEach((c, i) => {
      if (!listed && bigQueryColumnNames([c.name])[0] !== c.name) throw new BigQueryApiError('invalidQuery', `Anonymous columns are not allowed in set operations when ${word} is used: query ${k + 1}, column ${i + 1}${query(k)}`);
    });
    const seen = new Set<string>();
    for (const c of cols) {
      if (seen.has(lower(c.name)) && (!listed || listed.has(lower(c.name)))) throw new BigQueryApiError('invalidQuery', `Duplicate columns found when using ${word} in set operations: ${c.name} in query ${k + 1}${query(k)}`);
      seen.add(lower(c.name));
    }
  });
  const sets = probed.map((cols) => cols.map((c) => lower(c.name)));
  const has = (k: number, name: string): boolean => sets[k]!.includes(lower(name));
  const spelled = (name: string): string => {
    const k = sets.findIndex((s) => s.includes(lower(name)));
    return k < 0 ? name : probed[k]![sets[k]!.indexOf(lower(name))]!.name;
  };
  const shareWithFirst = (list: string[]): void => {
    for (let k = 1; k < probed.length; k++) {
      if (!list.some((c) => has(k, c))) throw new BigQueryApiError('invalidQuery', `Query ${k + 1} of the set operation with LEFT mode does not share any common columns with query 1${at(t.tokens[chain.operators[k - 1]!.keyword])}`);
    }
  };
  let names: string[];
  if (op.columns) {
    const listName = word === 'BY NAME' ? 'BY NAME ON' : 'CORRESPONDING BY';
    const must = op.mode === 'strict' || op.mode === 'inner' ? probed.map((_, k) => k) : op.mode === 'left' ? [0] : [];
    for (const k of must) {
      const missing = op.columns.findIndex((c) => !has(k, c));
      if (missing >= 0) throw new BigQueryApiError('invalidQuery', `The column name ${op.columns[missing]} from the ${listName} list does not appear in query ${k + 1}. All columns in the BY list must appear in each input query unless FULL ${word} or LEFT ${word} is specified${at(t.tokens[op.columnsAt![missing]!])}`);
    }
    const nowhere = op.columns.findIndex((c) => !probed.some((_, k) => has(k, c)));
    if (nowhere >= 0) throw new BigQueryApiError('invalidQuery', `The column name ${op.columns[nowhere]} from the ${listName} list does not appear in any input query${at(t.tokens[op.columnsAt![nowhere]!])}`);
    // LEFT with a list: a later query may hold none of the listed columns (its rows are all NULL)
    names = op.columns.map(spelled);
  } else if (op.mode === 'strict') {
    const first = [...sets[0]!].sort().join(',');
    sets.forEach((s, k) => {
      if ([...s].sort().join(',') !== first) {
        const list = (i: number): string => probed[i]!.map((c) => c.name).join(', ');
        throw new BigQueryApiError('invalidQuery', `${op.modifier} requires all input queries to have identical column names, but query 1 has [${list(0)}] and query ${k + 1} has [${list(k)}]${operator}`);
      }
    });
    names = probed[0]!.map((c) => c.name);
  } else if (op.mode === 'inner') {
    names = probed[0]!.map((c) => c.name).filter((c) => probed.every((_, k) => has(k, c)));
    if (names.length === 0) throw new BigQueryApiError('invalidQuery', `Queries of the set operation using ${word} do not have any columns in common${operator}`);
  } else if (op.mode === 'left') {
    names = probed[0]!.map((c) => c.name);
    shareWithFirst(names);
  } else {
    names = [];
    for (const cols of probed) for (const c of cols) if (!names.some((x) => lower(x) === lower(c.name))) names.push(c.name);
  }
  const sources = sets.map((s) => names.map((c) => s.indexOf(lower(c))));
  const types = columnTypes(t, chain, names, inputs, sources, true);
  return { names, types, sources, asWritten: false };
}

/** `ORDER BY keys [LIMIT ...]` after the operation, over its result: ordinals as the result's column names, NaN ordered as BigQuery does. */
function orderSql(t: SetOperationContext, chain: SetChain, names: string[]): string {
  const tokens = t.tokens;
  let listEnd = chain.end;
  for (let k = chain.suffix + 2; k < chain.end; k++) {
    if (isOp(tokens[k], '(', '[')) k = t.closing(k);
    else if (isKeyword(tokens[k], 'LIMIT')) {
      listEnd = k;
      break;
    }
  }
  const unique = new Set(names.map(lower)).size === names.length;
  const pieces = ['ORDER', 'BY'];
  let from = chain.suffix + 2;
  const key = (a: number, b: number): void => {
    let cut = b;
    while (cut > a + 1 && isKeyword(tokens[cut - 1], 'ASC', 'DESC', 'NULLS', 'FIRST', 'LAST')) cut--;
    const ordinal = cut === a + 1 && tokens[a]!.kind === 'number' && /^\d+$/.test(tokens[a]!.value) ? Number(tokens[a]!.value) : undefined;
    if (pieces.length > 2) pieces.push(',');
    if (ordinal !== undefined && unique && ordinal >= 1 && ordinal <= names.length) pieces.push(quoteIdent(names[ordinal - 1]!));
    else pieces.push(t.range(a, cut));
    for (let k = cut; k < b; k++) pieces.push(tokens[k]!.value.toUpperCase());
  };
  for (let k = from; k < listEnd; k++) {
    if (isOp(tokens[k], '(', '[')) k = t.closing(k);
    else if (isOp(tokens[k], ',')) {
      key(from, k);
      from = k + 1;
    }
  }
  key(from, listEnd);
  rewriteOrderBy(pieces);
  return `${pieces.join(' ')}${listEnd < chain.end ? ` ${t.range(listEnd, chain.end)}` : ''}`;
}

const matching = new WeakMap<Token[], boolean>();

/** Whether the statement matches columns by name anywhere (once per statement's tokens). */
function nameMatching(tokens: Token[]): boolean {
  let known = matching.get(tokens);
  if (known === undefined) matching.set(tokens, (known = hasNameMatching(tokens)));
  return known;
}

/**
 * The set operation at the top level of [s, e) with BigQuery's columns, types and order, or undefined
 * where it is left to the translator as written (none there; matched by position and already typed as
 * BigQuery types it, with no ORDER BY after it; or not described by the query layer).
 */
export function setOperationSql(t: SetOperationContext, s: number, e: number): string | undefined {
  if ((t.env.setOperations?.size ?? 0) === 0 && !nameMatching(t.tokens)) return undefined;
  const chain = setChain(t.tokens, s, e, (i) => t.closing(i));
  if (!chain) return undefined;
  const op = chain.operators[0]!;
  const matchByName = op.mode !== 'position';
  // a SELECT AS VALUE input came out as a one-field STRUCT column (`select as value 1 union all ...` read as STRUCTs)
  if (!matchByName && chain.operands.some((o) => isValueTable(t.tokens, ...o) && asValue(t.tokens, o[0]))) throw unsupported(`SELECT AS VALUE in ${op.op}`);
  const probed = chain.operands.map((o) => t.env.setOperations?.get(operandKey(t.tokens, o)));
  if (probed.some((p) => !p || p.some((c) => c.type === undefined))) {
    if (matchByName) throw unsupported(`${op.op} ${op.modifier} over an input query the embedded BigQuery could not describe (one that reads columns of an enclosing query or a recursive CTE, or a column of a type it does not match)`);
    return undefined;
  }
  const described = probed as ProbedColumn[][];
  const inputs = described.map((cols, k) => {
    const kinds = literalKinds(t, chain.operands[k]!, cols.length);
    return cols.map((c, i) => ({ type: c.type!, ...kinds[i] }));
  });
  // value tables by position stay as written (a STRUCT value table's fields are its columns)
  if (!matchByName && chain.operands.some((o) => isValueTable(t.tokens, ...o))) return undefined;
  // inputs of other widths by position: DuckDB's error, which error-texts.ts gives BigQuery's words and position
  if (!matchByName && described.some((cols) => cols.length !== described[0]!.length)) return undefined;
  const plan = matchByName ? byName(t, chain, described, inputs) : positional(t, chain, described, inputs);
  const ordered = chain.suffix < e && isKeyword(t.tokens[chain.suffix], 'ORDER');
  if (plan.asWritten && !ordered) return undefined;
  const start = chain.operands[0]![0];
  const prefix = start > s ? `${t.range(s, start)} ` : '';
  let body: string;
  if (plan.asWritten) body = t.range(start, chain.suffix);
  else {
    body = chain.operands
      .map((o, k) => {
        const alias = t.fresh('_bq_set');
        const columns = described[k]!.map((_, i) => `_c${i + 1}`);
        const items = plan.names.map((name, j) => {
          const i = plan.sources[k]![j]!;
          const to = plan.types[j]!;
          const input = i < 0 ? { literal: 'null' as const } : inputs[k]![i]!;
          const value = valueSql(input, `${alias}._c${i + 1}`, to);
          return `${value} AS ${quoteIdent(name)}`;
        });
        return `SELECT ${items.join(', ')} FROM (${t.range(o[0], o[1])}) AS ${alias}(${columns.join(', ')})`;
      })
      .join(` ${op.op} `);
  }
  if (ordered) return `${prefix}SELECT * FROM (${body}) AS ${t.fresh('_bq_set')} ${orderSql(t, chain, plan.names)}`;
  return `${prefix}${body}${chain.suffix < e ? ` ${t.range(chain.suffix, e)}` : ''}`;
}
