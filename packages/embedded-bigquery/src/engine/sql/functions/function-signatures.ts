/**
 * BigQuery's signatures of the string, math, array, conditional and common aggregate functions, as
 * its reference and its "Supported signatures" texts give them, and the check of a call's arguments
 * against them. DuckDB casts or answers where BigQuery fails with "No matching signature"
 * (CONCAT('a', 1) gave 'a1', LENGTH(123) 3, SQRT('4') 2). Each argument is of a class of kinds
 * (argument-kinds.ts) with BigQuery's coercions: an INT64 goes where a NUMERIC, BIGNUMERIC or FLOAT64
 * is expected, a NUMERIC where a BIGNUMERIC or FLOAT64 is, an untyped NULL anywhere. Arguments whose
 * kind the text decides are judged when the statement is translated (a refusal fails then, as in
 * BigQuery); the others by tests over typeof(), which DuckDB folds to a constant, so an accepted
 * call runs as it was written. A refusal raises through a failing CAST (errors.ts: bq_raise), and
 * error-texts.ts adds BigQuery's "Supported signatures" and the [line:column].
 */
import { BigQueryApiError } from '../../types.js';
import { isKeyword, isOp, type Token } from '../tokenizer.js';
import type { CallArgs, TranslationContext } from '../translation-context.js';
import { KIND_NAMES, acceptedSql, staticKind, typeNameSql } from './argument-kinds.js';
import { commonSupertype } from './supertype-checks.js';
import { AGGREGATES, FORM_TEXTS } from './signature-table.js';
import { OVER_AT } from './exact-percentile.js';
import { hasAggregate } from './typed-macros.js';

/** The kinds a parameter type accepts (with BigQuery's coercions); NULL and unknown types ('0', 'o') always. */
const CLASSES: Record<string, string> = {
  STRING: 's', BYTES: 'y', INT64: 'i', NUMERIC: 'in', BIGNUMERIC: 'inN', FLOAT64: 'inNf', BOOL: 'b', INTERVAL: 'v', ARRAY: 'a',
  // MAX and MIN: orderable types (aggregate_functions#max: not ARRAY, STRUCT or JSON)
  ORDERABLE: 'syinNfbdetzvg',
  // ARRAY_AGG: any type but ARRAY (an array of arrays)
  NON_ARRAY: 'syinNfbdetzvjrg',
};

/** One signature: the classes of its fixed arguments, of its optional ones ([X]), and of a repeated last one ([X, ...]). */
interface Form {
  fixed: string[];
  optional: string[];
  repeated?: string;
}

/** The class of a type in a signature text: ARRAY<STRING> is an ARRAY. */
function classOf(type: string): string {
  const c = CLASSES[type.replace(/<.*$/, '')];
  if (c === undefined) throw new Error(`function-signatures: no class for ${type}`);
  return c;
}

/** `F(A, B, [C], [D, ...])` → its form. */
function parseForm(text: string): Form {
  const inner = /^[A-Z_0-9]+\((.*)\)$/.exec(text.trim())![1]!;
  const form: Form = { fixed: [], optional: [] };
  for (const part of inner.split(/,\s*(?![^<]*>)(?![^[]*\])/).map((p) => p.trim()).filter(Boolean)) {
    const rep = /^\[(\S+), \.\.\.\]$/.exec(part);
    const opt = /^\[(\S+)\]$/.exec(part);
    if (rep) form.repeated = classOf(rep[1]!);
    else if (opt) form.optional.push(classOf(opt[1]!));
    else form.fixed.push(classOf(part));
  }
  return form;
}

/** The forms of each function of the table, read from its texts. */
const FORMS = new Map(Object.entries(FORM_TEXTS).map(([n, text]) => [n, text.split('; ').map(parseForm)]));

/** The forms that take `count` arguments. */
function formsFor(forms: Form[], count: number): Form[] {
  return forms.filter((f) => count >= f.fixed.length && (f.repeated !== undefined || count <= f.fixed.length + f.optional.length));
}

/** The class of the k-th argument of a form. */
const classAt = (f: Form, k: number): string => f.fixed[k] ?? f.optional[k - f.fixed.length] ?? f.repeated!;

/** An argument's value tokens: without DISTINCT before it nor ORDER BY / LIMIT / {IGNORE|RESPECT} NULLS / HAVING after it. */
function valueTokens(toks: Token[], first: boolean): Token[] {
  let out = first && isKeyword(toks[0], 'DISTINCT') ? toks.slice(1) : toks;
  let depth = 0;
  for (let i = 0; i < out.length; i++) {
    if (isOp(out[i], '(', '[')) depth++;
    else if (isOp(out[i], ')', ']')) depth--;
    else if (depth === 0 && (isKeyword(out[i], 'ORDER', 'LIMIT', 'HAVING') || (isKeyword(out[i], 'IGNORE', 'RESPECT') && isKeyword(out[i + 1], 'NULLS')))) {
      out = out.slice(0, i);
      break;
    }
  }
  return out;
}

/** `sql` when `ok` holds, else BigQuery's "No matching signature" naming the argument types. */
export function guarded(sql: string, ok: string, what: string, items: string[]): string {
  const names = items.map((x) => {
    const k = staticKind(x);
    return k !== undefined && KIND_NAMES[k] ? `'${KIND_NAMES[k]}'` : typeNameSql(x);
  });
  const message = what.endsWith(' is not defined for arguments of type ')
    ? `'${what}' || ${names.join(" || ', ' || ")}`
    : `'No matching signature for ${what} for argument types: ' || ${names.join(" || ', ' || ")}`;
  return `CASE WHEN ${ok} THEN ${sql} WHEN CAST(${message} || ' bq_raise' AS INTEGER) = 0 THEN NULL END`;
}

/** The refusal when the statement is translated, for arguments whose types the text decides. */
function refuse(what: string, items: string[]): never {
  const types = items.map((x) => KIND_NAMES[staticKind(x)!]).join(', ');
  // error-texts.ts (refineOwn) adds the supported signatures and the call's [line:column]
  throw new BigQueryApiError('invalidQuery', what.endsWith(' is not defined for arguments of type ') ? `${what}${types}` : `No matching signature for ${what} for argument types: ${types}`);
}

/** The call `sql` of function `fn` (its arguments `a`), checked against BigQuery's signatures of fn. */
export function checkSignature(fn: string, a: CallArgs, t: TranslationContext, sql: string): string {
  const conditional = fn === 'COALESCE' || fn === 'IFNULL' || fn === 'IF';
  const all = FORMS.get(fn);
  if ((!all && !conditional) || a.tokens.length === 0) return sql;
  const aggregate = AGGREGATES.has(fn);
  const items = a.tokens.map((toks, k) => {
    if (!aggregate) return a.sql(k);
    const value = valueTokens(toks, k === 0);
    return value.length === toks.length ? a.sql(k) : t.sub(value);
  });
  // a subquery's SQL would be bound again for each check; an aggregate's argument holding one is read elsewhere
  if (items.some((x) => /\bselect\b/i.test(x) || x.includes('->') || (aggregate && hasAggregate(x)))) return sql;
  const call = a.windowed && !sql.includes(OVER_AT) ? `${sql}${OVER_AT}` : sql;
  if (conditional) return checkConditional(fn, items, call, sql);
  const forms = formsFor(all!, items.length);
  if (forms.length === 0) return sql;
  // an aggregate's argument is read inside an aggregate (a plain column outside one would need GROUP BY); a window call's per row
  const probe = (x: string): string => (aggregate && !a.windowed ? `any_value(${x})` : x);
  // each possible form's classes at the positions of unknown arguments
  const unknown = items.map((x, k) => (staticKind(x) === undefined ? k : -1)).filter((k) => k >= 0);
  const possible = forms.filter((f) => items.every((x, k) => {
    const kind = staticKind(x);
    return kind === undefined || kind === '0' || classAt(f, k).includes(kind);
  }));
  if (possible.length > 0 && unknown.length === 0) return sql;
  // a form whose classes another's contain adds nothing (ABS(FLOAT64) takes all ABS takes)
  const covers = (f: Form, g: Form): boolean => unknown.every((k) => [...classAt(g, k)].every((c) => classAt(f, k).includes(c)));
  const kept = possible.filter((g, j) => !possible.some((f, i) => i !== j && covers(f, g) && (!covers(g, f) || i < j)));
  const alternatives = kept.map((f) => unknown.map((k) => acceptedSql(probe(items[k]!), classAt(f, k))).join(' AND '));
  const what = fn === 'MAX' || fn === 'MIN' ? `${fn} is not defined for arguments of type ` : `${aggregate ? 'aggregate function' : 'function'} ${fn}`;
  if (alternatives.length === 0 && items.every((x) => staticKind(x) !== undefined)) refuse(what, items);
  const ok = alternatives.length === 0 ? 'false' : alternatives.map((x) => `(${x})`).join(' OR ');
  return guarded(call, ok, what, items.map(probe));
}

/** COALESCE and IFNULL: every argument; IF: a BOOL condition and its two branches. */
function checkConditional(fn: string, items: string[], call: string, sql: string): string {
  const what = `function ${fn}`;
  const values = fn === 'IF' ? items.slice(1) : items;
  if (fn === 'IF' && items.length !== 3) return sql;
  const verdict = commonSupertype(values);
  const checks: string[] = [];
  let refused = 'known' in verdict && !verdict.known;
  if ('sql' in verdict) checks.push(verdict.sql);
  if (fn === 'IF') {
    const k = staticKind(items[0]!);
    if (k === undefined) checks.push(acceptedSql(items[0]!, 'b'));
    else if (k !== 'b' && k !== '0') refused = true;
  }
  if (refused && items.every((x) => staticKind(x) !== undefined)) refuse(what, items);
  if (!refused && checks.length === 0) return sql;
  return guarded(call, refused ? 'false' : checks.join(' AND '), what, items);
}
