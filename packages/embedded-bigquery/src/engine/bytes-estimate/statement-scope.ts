/**
 * Where a table is read in a statement, and the filter conjuncts that apply to that read: the
 * WHERE of its own query block (the UNION branch it sits in), and, when the block is a derived
 * table (`FROM (SELECT ...) AS d`), the WHERE of the block around it, as BigQuery pushes a filter
 * down into a subquery; through a CTE referenced once by name, and from the query that reads a
 * view, when the column passes through unchanged. Other scopes (a CTE referenced several times, a
 * renamed column) are not followed: the estimate then counts every partition of that read.
 */
import { matchBrackets } from '../sql/brackets.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { outputNames, passesFilters } from '../select-output.js';
import type { TableReference } from '../types.js';

const CLAUSE_END = new Set(['GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT']);
const SET_OPS = new Set(['UNION', 'INTERSECT', 'EXCEPT']);
const NOT_ALIAS = new Set([
  'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'UNION', 'INTERSECT', 'EXCEPT', 'JOIN', 'INNER', 'LEFT',
  'RIGHT', 'FULL', 'CROSS', 'ON', 'USING', 'WHEN', 'SET', 'FOR', 'TABLESAMPLE', 'VALUES', 'SELECT', 'WITH', 'AS', 'OUTER',
]);

/** A conjunct: a token range [start, end) of the statement, and the qualifiers that name the table there. */
export interface Conjunct {
  start: number;
  end: number;
  qualifiers: Set<string>;
  /** The tokens [start, end) index when they are not the statement's own (a view's reading query). */
  source?: Token[];
}

/** A path of identifiers starting at `i` (`a.b.c`, `` `p.d.t` ``, `a . b`): its parts and the index after it. */
export function pathAt(tokens: Token[], i: number): { parts: string[]; next: number } | null {
  const t = tokens[i];
  if (!t || (t.kind !== 'ident' && t.kind !== 'quoted')) return null;
  const parts = t.value.split('.');
  let j = i + 1;
  while (isOp(tokens[j], '.') && (tokens[j + 1]?.kind === 'ident' || tokens[j + 1]?.kind === 'quoted')) {
    parts.push(...tokens[j + 1]!.value.split('.'));
    j += 2;
  }
  return { parts, next: j };
}

export class StatementScope {
  private readonly match: number[];
  private readonly depth: number[];

  constructor(readonly tokens: Token[]) {
    this.match = matchBrackets(tokens);
    this.depth = [];
    let d = 0;
    for (const t of tokens) {
      if (isOp(t, ')', ']')) d--;
      this.depth.push(d);
      if (isOp(t, '(', '[')) d++;
    }
  }

  /** Token indexes where the table is read (a path after FROM, JOIN, a comma, USING or MERGE INTO), with its alias. */
  occurrences(ref: TableReference): { at: number; alias: string | undefined }[] {
    const out: { at: number; alias: string | undefined }[] = [];
    for (let i = 0; i < this.tokens.length; i++) {
      const prev = this.tokens[i - 1];
      if (!(isKeyword(prev, 'FROM', 'JOIN', 'USING', 'INTO', 'UPDATE') || isOp(prev, ','))) continue;
      const p = pathAt(this.tokens, i);
      if (!p || p.parts[p.parts.length - 1] !== ref.tableId) continue;
      if (p.parts.length >= 2 && p.parts[p.parts.length - 2] !== ref.datasetId) continue;
      if (p.parts.length >= 3 && p.parts[p.parts.length - 3] !== ref.projectId) continue;
      out.push({ at: i, alias: this.aliasAt(p.next) });
      i = p.next - 1;
    }
    return out;
  }

  private aliasAt(i: number): string | undefined {
    let t = this.tokens[i];
    if (isKeyword(t, 'AS')) t = this.tokens[i + 1];
    if (!t || (t.kind !== 'ident' && t.kind !== 'quoted') || NOT_ALIAS.has(t.value.toUpperCase())) return undefined;
    return t.value.toLowerCase();
  }

  /**
   * The conjuncts filtering the read at token `at`: its block's WHERE, then enclosing derived tables'
   * WHEREs; with the partition column, through a CTE referenced once by name that passes the column
   * on unchanged (`WITH c AS (SELECT ts, ... FROM t) SELECT ... FROM c WHERE ts > ...`), and the
   * reading query's filters on a view (`outer`) when the read is in the view's top-level query.
   */
  readFilters(at: number, alias: string | undefined, tableId: string, column?: string, outer: Conjunct[] = []): Conjunct[] {
    const out: Conjunct[] = [];
    let qualifiers = new Set([tableId.toLowerCase(), ...(alias ? [alias] : [])]);
    let pos = at;
    for (;;) {
      const [open, close] = this.block(pos);
      const [s, e] = this.segment(open + 1, close, pos);
      const where = this.findAtDepth(s, e, this.depth[pos]!, (t) => isKeyword(t, 'WHERE'));
      if (where >= 0) {
        const end = this.findAtDepth(where + 1, e, this.depth[pos]!, (t) => t.kind === 'ident' && CLAUSE_END.has(t.value.toUpperCase()));
        out.push(...this.conjuncts(where + 1, end < 0 ? e : end, qualifiers));
      }
      if (open < 0) {
        // the top level: a view's reading query filters it too, when the view passes the column on
        if (column && outer.length > 0 && this.passesColumn(this.tokens, column)) out.push(...outer);
        break;
      }
      const cte = column ? this.cteReference(open, close, column) : undefined;
      if (cte) {
        qualifiers = new Set([cte.name, ...(cte.alias ? [cte.alias] : [])]);
        pos = cte.at;
        continue;
      }
      // a derived table: `FROM ( ... ) [AS] d` passes the outer block's filter on to its rows (the column unchanged, no LIMIT above the read)
      if (!(isKeyword(this.tokens[open - 1], 'FROM', 'JOIN') || isOp(this.tokens[open - 1], ','))) break;
      if (column && !this.passesColumn(this.tokens.slice(open + 1, close), column)) break;
      const derived = this.aliasAt(close + 1);
      qualifiers = new Set(derived ? [derived] : []);
      pos = open;
    }
    return out;
  }

  /** Whether a filter on the query's output column prunes its reads: the column passed on unchanged, no LIMIT, window or set operation. */
  private passesColumn(body: Token[], column: string): boolean {
    const c = column.toLowerCase();
    return passesFilters(body) && (outputNames(body, [c])?.includes(c) ?? false);
  }

  /**
   * When [open, close] is the body of `WITH name AS ( ... )` (or `, name AS (`), referenced once by
   * name after FROM, JOIN or a comma, and the body passes the column on unchanged: that reference.
   */
  private cteReference(open: number, close: number, column: string): { name: string; alias: string | undefined; at: number } | undefined {
    const t = this.tokens;
    const nameTok = t[open - 2];
    if (!isKeyword(t[open - 1], 'AS') || !nameTok || (nameTok.kind !== 'ident' && nameTok.kind !== 'quoted')) return undefined;
    if (!(isKeyword(t[open - 3], 'WITH', 'RECURSIVE') || isOp(t[open - 3], ','))) return undefined;
    if (isKeyword(t[open - 3], 'RECURSIVE')) return undefined;
    if (!this.passesColumn(t.slice(open + 1, close), column)) return undefined;
    const name = nameTok.value.toLowerCase();
    const refs: number[] = [];
    for (let i = 0; i < t.length; i++) {
      if (i > open && i <= close) continue;
      const tok = t[i]!;
      if ((tok.kind !== 'ident' && tok.kind !== 'quoted') || tok.value.toLowerCase() !== name || isOp(t[i + 1], '.')) continue;
      if (isKeyword(t[i + 1], 'AS') && isOp(t[i + 2], '(')) continue;
      if (isKeyword(t[i - 1], 'FROM', 'JOIN') || isOp(t[i - 1], ',')) refs.push(i);
    }
    if (refs.length !== 1) return undefined;
    return { name, alias: this.aliasAt(refs[0]! + 1), at: refs[0]! };
  }

  /** Conjuncts of a clause that starts after `keyword` at the top level and ends at one of `ends` (MERGE ... ON, UPDATE ... WHERE). */
  topLevelFilters(keyword: string, ends: readonly string[], qualifiers: Set<string>): Conjunct[] {
    const at = this.findAtDepth(0, this.tokens.length, 0, (t) => isKeyword(t, keyword));
    if (at < 0) return [];
    const end = this.findAtDepth(at + 1, this.tokens.length, 0, (t) => t.kind === 'ident' && ends.includes(t.value.toUpperCase()));
    return this.conjuncts(at + 1, end < 0 ? this.tokens.length : end, qualifiers);
  }

  /** Whether a `*` of the select list in the block that reads at token `at` expands this read's columns (`*`, `t.*`). */
  starReads(at: number, alias: string | undefined, tableId: string): boolean {
    const [open, close] = this.block(at);
    const [s, e] = this.segment(open + 1, close, at);
    const d = this.depth[at]!;
    for (let j = s; j < e; j++) {
      if (this.depth[j] !== d || !isOp(this.tokens[j], '*')) continue;
      const prev = this.tokens[j - 1];
      if (isKeyword(prev, 'SELECT', 'DISTINCT', 'ALL') || isOp(prev, ',')) return true;
      if (isOp(prev, '.')) {
        const q = this.tokens[j - 2]?.value.toLowerCase();
        if (q === alias || q === tableId.toLowerCase()) return true;
      }
      // `t.*` tokenized as one path ending in a dot
      if (prev && (prev.kind === 'ident' || prev.kind === 'quoted') && /\.$/.test(prev.text)) return true;
    }
    return false;
  }

  /** The parentheses around token `i` (-1 and the length at the top level). */
  private block(i: number): [number, number] {
    const d = this.depth[i]!;
    for (let j = i - 1; j >= 0; j--) if (this.depth[j] === d - 1 && isOp(this.tokens[j], '(')) return [j, this.match[j]!];
    return [-1, this.tokens.length];
  }

  /** The set-operation branch of [s, e) that holds `i`. */
  private segment(s: number, e: number, i: number): [number, number] {
    const d = this.depth[i]!;
    let start = s;
    let end = e;
    for (let j = s; j < e; j++) {
      const t = this.tokens[j]!;
      if (this.depth[j] !== d || t.kind !== 'ident' || !SET_OPS.has(t.value.toUpperCase())) continue;
      if (j < i) start = j + 1;
      else {
        end = j;
        break;
      }
    }
    return [start, end];
  }

  private findAtDepth(s: number, e: number, d: number, pred: (t: Token) => boolean): number {
    for (let j = s; j < e; j++) if (this.depth[j] === d && pred(this.tokens[j]!)) return j;
    return -1;
  }

  /** Splits [s, e) on top-level AND (not the AND of a BETWEEN); a conjunct holding an OR stays whole. */
  conjuncts(s: number, e: number, qualifiers: Set<string>): Conjunct[] {
    const out: Conjunct[] = [];
    const d = this.depth[s] ?? 0;
    let start = s;
    let between = false;
    for (let j = s; j < e; j++) {
      const t = this.tokens[j]!;
      if (this.depth[j] !== d) continue;
      if (isKeyword(t, 'BETWEEN')) between = true;
      else if (isKeyword(t, 'AND')) {
        if (between) between = false;
        else {
          out.push({ start, end: j, qualifiers });
          start = j + 1;
        }
      }
    }
    if (start < e) out.push({ start, end: e, qualifiers });
    return out;
  }
}
