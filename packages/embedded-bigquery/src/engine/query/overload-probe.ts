/**
 * Before a statement runs: the types of the arguments of its typed-macro calls (typed-macros.ts
 * typedCall), learned only when DuckDB refuses the statement's query with "has multiple overloads
 * that match". DuckDB binds a macro with several typed overloads without the type of a column of an
 * enclosing query (a correlated subquery, EXISTS, a lateral UNNEST), so such a call cannot pick its
 * overload; a builtin sees the column's type. The query is bound again with every unlearned call
 * written as a probe (`abs({'__bq_probe_<n>': row(x, ...)})`, which fails naming the row's
 * types); each round learns the first call DuckDB binds, innermost first, and the calls of its scope
 * (overload-groups.ts). The translator then names
 * the call's single-overload twin. Where DuckDB binds a call by the other operand's type instead
 * (`t.f * 3` took the INT64 form), the form it picked fails to bind (typed-macros.ts bq_bound_as), so
 * that statement is probed too. A statement without a subquery or UNNEST, or without such calls, costs
 * nothing more than one translation, one that binds one bind more; where nothing is learned the call
 * stays loud.
 */
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { overloadSites, WRONG_OVERLOAD } from '../sql/functions/typed-macros.js';
import { bindError } from './array-path-probe.js';
import { groupProbes, probedRows } from './overload-groups.js';
import type { QuerySession } from './session.js';
import { unsupported } from '../errors.js';

/** Rounds of probing per statement; each learns one call site or more. */
const MAX_ROUNDS = 32;

/** DuckDB's binder refusing a call of an overloaded macro it cannot type. */
export const MULTIPLE_OVERLOADS = /has multiple overloads that match the supplied arguments/;

/** The macros with typed overloads whose calls typedCall writes, and their SAFE. twins (the sign that a statement may need probes). */
const OVERLOADED = /\bbq_(divide|times|minus|minus_once|sign|json_query|json_query_array|left|right|lpad|rpad|reverse|repeat|starts_with|ends_with|strpos|substr|to_code_points|trim|ltrim|rtrim|generate_array|generate_range_array|hex_of|unhex_as)(_safe)?\(/;

/**
 * The statement's query: from its first SELECT or WITH outside brackets to its end, or the bracketed
 * query of `AS (SELECT ...)` (CREATE [TEMP] TABLE ... AS (...), HTTP Archive's report operations).
 */
function statementQuery(tokens: Token[]): Token[] | undefined {
  let depth = 0;
  let bracketed: Token[] | undefined;
  for (let k = 0; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(')) {
      if (depth === 0 && !bracketed && isKeyword(tokens[k - 1], 'AS') && isKeyword(tokens[k + 1], 'SELECT', 'WITH')) bracketed = inside(tokens, k);
      depth++;
    } else if (isOp(x, ')')) depth--;
    else if (depth === 0 && isKeyword(x, 'SELECT', 'WITH')) return tokens.slice(k);
  }
  return bracketed;
}

/** The tokens between the bracket at `open` and its match. */
function inside(tokens: Token[], open: number): Token[] | undefined {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    if (isOp(tokens[k]!, '(')) depth++;
    else if (isOp(tokens[k]!, ')') && --depth === 0) return tokens.slice(open + 1, k);
  }
  return undefined;
}

/** The GoogleSQL functions and operators translated to overloaded macros (typed-macros.ts typedCall). */
const TYPED_NAMES = new Set(['LEFT', 'RIGHT', 'LPAD', 'RPAD', 'REVERSE', 'REPEAT', 'STARTS_WITH', 'ENDS_WITH', 'STRPOS', 'SUBSTR', 'SUBSTRING', 'TO_CODE_POINTS', 'TRIM', 'LTRIM', 'RTRIM', 'ARRAY_TO_STRING', 'SIGN', 'JSON_QUERY', 'JSON_EXTRACT', 'JSON_QUERY_ARRAY', 'JSON_EXTRACT_ARRAY', 'GENERATE_ARRAY', 'GENERATE_RANGE_ARRAY', 'SAFE_DIVIDE']);
const TYPED_OPS = new Set(['*', '/', '-']);

/** A `*` that is no product: COUNT(*), SELECT *, t.*, a list's `, *`. */
function isStar(tokens: Token[], k: number): boolean {
  const before = tokens[k - 1];
  return tokens[k]!.value === '*' && (before === undefined || isOp(before, '(') || isOp(before, ',') || isOp(before, '.') || isKeyword(before, 'SELECT', 'DISTINCT', 'ALL'));
}

/**
 * Whether a query may call a typed macro over a value of an enclosing query: a subquery (or an UNNEST's
 * argument, or EXISTS's) holding one of the operators or functions written as typed macros.
 */
function nests(tokens: Token[]): boolean {
  const stack: number[] = [];
  let nested = 0;
  for (let k = 0; k < tokens.length; k++) {
    const x = tokens[k]!;
    if (isOp(x, '(')) {
      const opens = isKeyword(tokens[k + 1], 'SELECT', 'WITH') || isKeyword(tokens[k - 1], 'UNNEST', 'EXISTS');
      stack.push(opens ? 1 : 0);
      nested += opens ? 1 : 0;
    } else if (isOp(x, ')')) nested -= stack.pop() ?? 0;
    else if (nested > 0 && ((x.kind === 'op' && TYPED_OPS.has(x.value) && !isStar(tokens, k)) || (x.kind === 'ident' && TYPED_NAMES.has(x.value.toUpperCase().replace(/^SAFE\./, '')) && isOp(tokens[k + 1], '(')))) return true;
  }
  return false;
}

/** DuckDB's binder refusing a name: the statement's own error (BigQuery's "Unrecognized name"), which a typed-macro call hides behind "multiple overloads". */
const UNKNOWN_COLUMN = /Referenced column "[^"]+" not found/;

/** DuckDB's bind error for the query as translated now (undefined when it binds), its probes grouped first where `group` (and whether that changed any). */
async function bindProbes(s: QuerySession, query: Token[], group: boolean): Promise<{ message: string | undefined; grouped: boolean }> {
  if (!group) return { message: await bindError(s, query), grouped: false };
  let sql: string;
  let grouped: string;
  try {
    sql = s.translator(query).translateAll();
    grouped = groupProbes(sql);
  } catch (e) {
    return { message: e instanceof Error ? e.message : String(e), grouped: false };
  } finally {
    s.binder.reset();
  }
  try {
    (await s.conn.prepare(grouped)).destroySync();
    return { message: undefined, grouped: grouped !== sql };
  } catch (e) {
    return { message: e instanceof Error ? e.message : String(e), grouped: grouped !== sql };
  }
}

/**
 * Binds the query with its unlearned sites as probes, learning each round the sites the refused probe
 * names (several of one scope: overload-groups.ts), until a bind names no probe. Returns that bind's
 * error: undefined when the query binds, or the error the probes no longer hide. A grouped bind that
 * fails otherwise is repeated as written, and the rounds after it stay one site each.
 */
async function probeRounds(s: QuerySession, query: Token[]): Promise<string | undefined> {
  const sites = overloadSites(s.arrayPaths);
  let message: string | undefined;
  let group = true;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    sites.probing = true;
    let found: { id: number; types: string[] }[];
    try {
      const bound = await bindProbes(s, query, group);
      message = bound.message;
      found = message === undefined ? [] : probedRows(message);
      if (bound.grouped && found.length === 0) {
        group = false;
        message = (await bindProbes(s, query, false)).message;
        found = message === undefined ? [] : probedRows(message).slice(0, 1);
      }
    } finally {
      sites.probing = false;
    }
    const keys = found.map((f) => ({ key: [...sites.ids].find(([, id]) => id === f.id)?.[0], types: f.types }));
    if (keys.length === 0 || keys.some((k) => k.key === undefined)) return message;
    keys.forEach(({ key, types }, k) => {
      sites.types.set(key!, types);
      // the probe DuckDB refused is typed where it stands; the others of its group are checked where they run
      if (k > 0) sites.grouped.add(key!);
    });
  }
  return message;
}

export async function prepareOverloads(s: QuerySession, tokens: Token[]): Promise<void> {
  const sites = overloadSites(s.arrayPaths);
  // learned per statement: an operator's key is its operands' text, which another statement may give other types
  sites.types.clear();
  sites.ids.clear();
  sites.grouped.clear();
  const query = statementQuery(tokens);
  if (!query || !nests(query)) return;
  let sql: string;
  try {
    sql = s.translator(query).translateAll();
  } catch {
    return;
  } finally {
    s.binder.reset();
  }
  if (!OVERLOADED.test(sql)) return;
  const first = await bindError(s, query);
  if (first === undefined || !(MULTIPLE_OVERLOADS.test(first) || first.includes(WRONG_OVERLOAD))) return;
  const rest = await probeRounds(s, query);
  // a name no table has, inside a typed call: DuckDB's own error for it (errors.ts: BigQuery's Unrecognized name)
  if (rest !== undefined && UNKNOWN_COLUMN.test(rest)) throw new Error(rest);
  // a form still picked for other types (a key two sites of other types share): refused in our words
  const last = await bindError(s, query);
  if (last?.includes(WRONG_OVERLOAD)) throw unsupported('An operator or function over values of an enclosing query (a correlated subquery or UNNEST) whose operand types the embedded BigQuery could not tell apart');
}

/**
 * The error to report for a statement that failed with `e`. DuckDB refuses a typed-macro call whose
 * argument names no column with "has multiple overloads that match" (anywhere, not only over an
 * enclosing query's values, so prepareOverloads never saw it): binding the statement with its calls as
 * probes finds the name, which is the error BigQuery gives ("Unrecognized name"). Otherwise `e`.
 */
export async function overloadFailure(s: QuerySession, tokens: Token[], e: unknown): Promise<unknown> {
  if (!MULTIPLE_OVERLOADS.test(e instanceof Error ? e.message : String(e))) return e;
  const query = statementQuery(tokens);
  if (!query) return e;
  try {
    const rest = await probeRounds(s, query);
    return rest !== undefined && UNKNOWN_COLUMN.test(rest) ? new Error(rest) : e;
  } catch {
    return e;
  }
}
