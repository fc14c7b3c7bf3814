/**
 * The block structure of a GoogleSQL script. Statements arrive split on `;`, so a compound
 * statement's header shares its piece with the first inner statement (`IF c THEN stmt1`,
 * `LOOP stmt1`, `EXCEPTION WHEN ERROR THEN stmt1`): the parser peels the header off and puts
 * the rest back in front of the queue. Only tokens are regrouped here; nothing runs.
 */
import { BigQueryApiError } from '../types.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { findTop } from '../sql/ddl.js';

export type ScriptNode =
  | { kind: 'stmt'; tokens: Token[] }
  | { kind: 'if'; branches: { cond: Token[] | null; body: ScriptNode[] }[] }
  | { kind: 'case'; subject: Token[] | null; branches: { cond: Token[] | null; body: ScriptNode[] }[] }
  | { kind: 'block'; label?: string; body: ScriptNode[]; handler?: ScriptNode[] }
  | { kind: 'loop'; label?: string; body: ScriptNode[] }
  | { kind: 'while'; label?: string; cond: Token[]; body: ScriptNode[] }
  | { kind: 'repeat'; label?: string; body: ScriptNode[]; until: Token[] }
  | { kind: 'for'; label?: string; variable: string; query: Token[]; body: ScriptNode[] }
  /** CREATE PROCEDURE: the header up to BEGIN, and the body's source text (kept in the catalog). */
  | { kind: 'procedure'; header: Token[]; bodyText: string };

const syntax = (msg: string): BigQueryApiError => new BigQueryApiError('invalidQuery', `Syntax error: ${msg}`);

export function parseScript(statements: Token[][], source: string): ScriptNode[] {
  const p = new Parser(statements.map((s) => [...s]), source);
  const nodes = p.list(() => false);
  if (!p.done()) throw syntax(`unexpected ${p.peek()![0]!.text}`);
  return nodes;
}

class Parser {
  private i = 0;

  constructor(
    private readonly q: Token[][],
    private readonly source: string,
  ) {}

  done(): boolean {
    return this.i >= this.q.length;
  }

  peek(): Token[] | undefined {
    return this.q[this.i];
  }

  private take(): Token[] {
    return this.q[this.i++]!;
  }

  /** Puts the tokens after a compound header back as the next statement. */
  private rest(stmt: Token[], from: number): void {
    if (from < stmt.length) this.q.splice(this.i, 0, stmt.slice(from));
  }

  /** Nodes up to (not including) the statement `stop` accepts; errors at end of input if a stop was expected. */
  list(stop: (s: Token[]) => boolean, what?: string): ScriptNode[] {
    const out: ScriptNode[] = [];
    while (!this.done()) {
      if (stop(this.peek()!)) return out;
      out.push(this.node());
    }
    if (what) throw syntax(`missing ${what}`);
    return out;
  }

  private endOf(word: string): (s: Token[]) => boolean {
    return (s) => isKeyword(s[0], 'END') && isKeyword(s[1], word);
  }

  /** `END word [label]` closing a compound statement. */
  private closeWith(word: string): void {
    const s = this.take();
    if (s.length > 3 || (s.length === 3 && s[2]!.kind !== 'ident' && s[2]!.kind !== 'quoted')) throw syntax(`unexpected text after END ${word}`);
  }

  private node(): ScriptNode {
    const stmt = this.take();
    let label: string | undefined;
    let at = 0;
    if ((stmt[0]?.kind === 'ident' || stmt[0]?.kind === 'quoted') && isOp(stmt[1], ':')) {
      label = stmt[0].value.toLowerCase();
      at = 2;
    }
    const head = stmt[at];
    const lab = label ? { label } : {};
    if (isKeyword(head, 'IF') && at === 0) return this.ifNode(stmt);
    if (isKeyword(head, 'CASE') && at === 0) return this.caseNode(stmt);
    if (isKeyword(head, 'LOOP')) {
      this.rest(stmt, at + 1);
      const body = this.list(this.endOf('LOOP'), 'END LOOP');
      this.closeWith('LOOP');
      return { kind: 'loop', ...lab, body };
    }
    if (isKeyword(head, 'WHILE')) {
      const doAt = findTop(stmt, at + 1, stmt.length, (t) => isKeyword(t, 'DO'));
      if (doAt < 0) throw syntax('WHILE without DO');
      this.rest(stmt, doAt + 1);
      const body = this.list(this.endOf('WHILE'), 'END WHILE');
      this.closeWith('WHILE');
      return { kind: 'while', ...lab, cond: stmt.slice(at + 1, doAt), body };
    }
    if (isKeyword(head, 'REPEAT')) {
      this.rest(stmt, at + 1);
      const body = this.list((s) => isKeyword(s[0], 'UNTIL'), 'UNTIL');
      const u = this.take();
      const endAt = findTop(u, 1, u.length, (t, k) => isKeyword(t, 'END') && isKeyword(u[k + 1], 'REPEAT'));
      if (endAt < 0) throw syntax('REPEAT without END REPEAT');
      return { kind: 'repeat', ...lab, body, until: u.slice(1, endAt) };
    }
    if (isKeyword(head, 'FOR') && isKeyword(stmt[at + 2], 'IN')) {
      const doAt = findTop(stmt, at + 3, stmt.length, (t) => isKeyword(t, 'DO'));
      if (doAt < 0) throw syntax('FOR without DO');
      this.rest(stmt, doAt + 1);
      const body = this.list(this.endOf('FOR'), 'END FOR');
      this.closeWith('FOR');
      return { kind: 'for', ...lab, variable: stmt[at + 1]!.value.toLowerCase(), query: stmt.slice(at + 3, doAt), body };
    }
    if (isKeyword(head, 'BEGIN') && this.isBlock(stmt, at)) return this.block(stmt, at, label);
    if (label) throw syntax(`a label must precede BEGIN, LOOP, WHILE, REPEAT or FOR`);
    if (isKeyword(stmt[0], 'CREATE')) {
      const procAt = findTop(stmt, 1, Math.min(stmt.length, 6), (t) => isKeyword(t, 'PROCEDURE'));
      if (procAt > 0) return this.procedure(stmt);
    }
    return { kind: 'stmt', tokens: stmt };
  }

  /** `BEGIN [TRANSACTION]` alone starts a transaction; BEGIN followed by statements and a matching END is a block. */
  private isBlock(stmt: Token[], at: number): boolean {
    if (isKeyword(stmt[at + 1], 'TRANSACTION')) return false;
    if (stmt.length > at + 1) return true;
    return this.q.slice(this.i).some((s) => s.length === 1 && isKeyword(s[0], 'END'));
  }

  private block(stmt: Token[], at: number, label: string | undefined): ScriptNode {
    this.rest(stmt, at + 1);
    const isEnd = (s: Token[]): boolean => isKeyword(s[0], 'END') && (s.length === 1 || (s.length === 2 && !isKeyword(s[1], 'IF', 'LOOP', 'WHILE', 'FOR', 'CASE', 'REPEAT')));
    const isHandler = (s: Token[]): boolean => isKeyword(s[0], 'EXCEPTION') && isKeyword(s[1], 'WHEN');
    const body = this.list((s) => isEnd(s) || isHandler(s), 'END');
    let handler: ScriptNode[] | undefined;
    if (isHandler(this.peek()!)) {
      const h = this.take();
      if (!isKeyword(h[2], 'ERROR') || !isKeyword(h[3], 'THEN')) throw syntax('expected EXCEPTION WHEN ERROR THEN');
      this.rest(h, 4);
      handler = this.list(isEnd, 'END');
    }
    this.take();
    return { kind: 'block', ...(label ? { label } : {}), body, ...(handler ? { handler } : {}) };
  }

  private procedure(stmt: Token[]): ScriptNode {
    const beginAt = findTop(stmt, 1, stmt.length, (t) => isKeyword(t, 'BEGIN'));
    // no BEGIN: a procedure in another language (WITH CONNECTION ... LANGUAGE python), refused by CREATE itself
    if (beginAt < 0) return { kind: 'stmt', tokens: stmt };
    const startPos = this.i;
    // parse the body only to find its END (nested blocks and handlers included)
    const body = this.block(stmt, beginAt, undefined);
    void body;
    const first = stmt[beginAt + 1] ?? this.q[startPos]?.[0];
    const endTok = this.q[this.i - 1]![0]!;
    const bodyText = first && first.start < endTok.start ? this.source.slice(first.start, endTok.start) : '';
    return { kind: 'procedure', header: stmt.slice(0, beginAt), bodyText };
  }

  private ifNode(stmt: Token[]): ScriptNode {
    const branches: { cond: Token[] | null; body: ScriptNode[] }[] = [];
    let cur = stmt;
    let kw = 1;
    const stop = (s: Token[]): boolean => isKeyword(s[0], 'ELSEIF', 'ELSE') || this.endOf('IF')(s);
    for (;;) {
      if (kw === 0) {
        this.rest(cur, 1);
        branches.push({ cond: null, body: this.list(this.endOf('IF'), 'END IF') });
        break;
      }
      const thenAt = findTop(cur, 1, cur.length, (t) => isKeyword(t, 'THEN'));
      if (thenAt < 0) throw syntax('IF without THEN');
      this.rest(cur, thenAt + 1);
      branches.push({ cond: cur.slice(1, thenAt), body: this.list(stop, 'END IF') });
      const next = this.peek()!;
      if (this.endOf('IF')(next)) break;
      cur = this.take();
      kw = isKeyword(cur[0], 'ELSEIF') ? 1 : 0;
    }
    this.closeWith('IF');
    return { kind: 'if', branches };
  }

  /** CASE [expr] WHEN x THEN stmts ... [ELSE stmts] END CASE (the statement, not the expression). */
  private caseNode(stmt: Token[]): ScriptNode {
    const whenAt = findTop(stmt, 1, stmt.length, (t) => isKeyword(t, 'WHEN'));
    if (whenAt < 0) throw syntax('CASE without WHEN');
    const subject = whenAt > 1 ? stmt.slice(1, whenAt) : null;
    const branches: { cond: Token[] | null; body: ScriptNode[] }[] = [];
    const stop = (s: Token[]): boolean => isKeyword(s[0], 'WHEN', 'ELSE') || this.endOf('CASE')(s);
    let cur = stmt.slice(whenAt);
    for (;;) {
      if (isKeyword(cur[0], 'ELSE')) {
        this.rest(cur, 1);
        branches.push({ cond: null, body: this.list(this.endOf('CASE'), 'END CASE') });
        break;
      }
      const thenAt = findTop(cur, 1, cur.length, (t) => isKeyword(t, 'THEN'));
      if (thenAt < 0) throw syntax('WHEN without THEN');
      this.rest(cur, thenAt + 1);
      branches.push({ cond: cur.slice(1, thenAt), body: this.list(stop, 'END CASE') });
      if (this.endOf('CASE')(this.peek()!)) break;
      cur = this.take();
    }
    this.closeWith('CASE');
    return { kind: 'case', subject, branches };
  }
}
