/**
 * Runs a parsed script (script-tree.ts): IF, CASE, blocks with EXCEPTION WHEN ERROR handlers,
 * LOOP / WHILE / REPEAT / FOR ... IN, BREAK / LEAVE / CONTINUE / ITERATE (with labels), RETURN
 * and RAISE. Control flow is carried by signal objects thrown up to the construct they target,
 * so a BREAK deep inside nested IFs leaves exactly the loop it names.
 */
import { BigQueryApiError } from '../types.js';
import { mapDuckError } from '../errors.js';
import { isKeyword, isOp, type Token } from '../sql/tokenizer.js';
import { quoteIdent } from '../type-mapping.js';
import type { ScriptNode } from './script-tree.js';
import type { QuerySession, StatementOutcome } from './session.js';
import { raiseMessage } from './format-literal.js';
import { createProcedure } from './procedures.js';
import { rollback } from '../rollback.js';
import { prepareRoutines } from './functions.js';
import { prepareCatalogReads } from './catalog-reads.js';

class LoopSignal {
  constructor(
    readonly kind: 'break' | 'continue',
    readonly label: string | undefined,
  ) {}
}
class ReturnSignal {}

export type RunStatement = (stmt: Token[]) => Promise<StatementOutcome>;

/** BigQuery's cap on loop iterations is the job's time limit; this one stops a runaway loop with a clear error. */
const MAX_ITERATIONS = 1_000_000;

export class ScriptExecutor {
  private forCounter = 0;

  constructor(
    private readonly s: QuerySession,
    private readonly statement: RunStatement,
    private readonly record: (o: StatementOutcome) => void,
    /** The script's text, for `@@error.statement_text` (the statement as written). */
    private readonly source: string,
  ) {}

  /** Runs a whole script or procedure body: RETURN ends it; a BREAK or CONTINUE no loop took is an error. */
  async runScript(nodes: ScriptNode[]): Promise<void> {
    try {
      await this.run(nodes);
    } catch (e) {
      if (e instanceof ReturnSignal) return;
      if (e instanceof LoopSignal) {
        throw new BigQueryApiError('invalidQuery', e.label ? `${e.kind === 'break' ? 'LEAVE' : 'ITERATE'} ${e.label}: no enclosing ${e.kind === 'break' ? 'loop or block' : 'loop'} has that label` : `${e.kind === 'break' ? 'BREAK' : 'CONTINUE'} is only allowed inside a loop`);
      }
      throw e;
    }
  }

  private async run(nodes: ScriptNode[]): Promise<void> {
    for (const n of nodes) await this.node(n);
  }

  private async truth(cond: Token[]): Promise<boolean> {
    this.s.preparedTables.clear();
    this.s.pseudoColumns.clear();
    this.s.preparedReads.length = 0;
    await prepareRoutines(this.s, cond);
    await prepareCatalogReads(this.s, cond);
    const r = await this.s.select(cond, 'SELECT', true);
    this.record({ statementType: 'SELECT', bytes: r.bytes });
    return r.rows?.[0]?.f[0]?.v === 'true';
  }

  private async node(n: ScriptNode): Promise<void> {
    switch (n.kind) {
      case 'stmt':
        return this.simple(n.tokens);
      case 'procedure':
        this.record(await createProcedure(this.s, n.header, n.bodyText));
        return;
      case 'if':
        for (const b of n.branches) {
          if (b.cond === null || (await this.truth(b.cond))) return this.run(b.body);
        }
        return;
      case 'case':
        for (const b of n.branches) {
          if (b.cond === null) return this.run(b.body);
          // CASE x WHEN v THEN ...: the branch is taken when x = v (NULL never matches, as in BigQuery)
          const cond = n.subject ? [...wrap(n.subject), { ...b.cond[0]!, kind: 'op', value: '=', text: '=' } as Token, ...wrap(b.cond)] : b.cond;
          if (await this.truth(cond)) return this.run(b.body);
        }
        return;
      case 'block':
        return this.block(n);
      case 'loop':
        return this.iterate(n.label, async () => true, n.body);
      case 'while':
        return this.iterate(n.label, () => this.truth(n.cond), n.body);
      case 'repeat': {
        let first = true;
        return this.iterate(n.label, async () => {
          if (first) {
            first = false;
            return true;
          }
          return !(await this.truth(n.until));
        }, n.body);
      }
      case 'for':
        return this.forIn(n);
    }
  }

  private async block(n: Extract<ScriptNode, { kind: 'block' }>): Promise<void> {
    const declaredBefore = new Set(this.s.variables);
    try {
      await this.run(n.body);
    } catch (e) {
      if (e instanceof LoopSignal && n.label !== undefined && e.label === n.label && e.kind === 'break') return;
      if (e instanceof LoopSignal || e instanceof ReturnSignal || !n.handler) throw e;
      if (this.s.options.signal?.aborted) throw e;
      const err = mapDuckError(e, this.source);
      if (this.s.inTransaction && !this.s.transactionAborted && !(await this.s.conn.run('SELECT 1').then(() => true, () => false))) {
        await rollback(this.s.conn);
        this.s.transactionAborted = true;
      }
      this.s.errors.push({ error: err, statementText: this.s.statementText });
      try {
        await this.run(n.handler);
      } finally {
        this.s.errors.pop();
      }
    } finally {
      // variables declared in a block end with it (BigQuery scopes DECLARE to its block)
      for (const v of [...this.s.variables]) {
        if (declaredBefore.has(v)) continue;
        this.s.variables.delete(v);
        await this.s.conn.run(`RESET VARIABLE ${quoteIdent(v)}`).catch(() => undefined);
      }
    }
  }

  private async iterate(label: string | undefined, more: () => Promise<boolean>, body: ScriptNode[]): Promise<void> {
    for (let k = 0; ; k++) {
      if (k >= MAX_ITERATIONS) throw new BigQueryApiError('invalidQuery', `A loop ran more than ${MAX_ITERATIONS} iterations`);
      if (this.s.options.signal?.aborted) throw new BigQueryApiError('stopped', 'Job execution was cancelled');
      if (!(await more())) return;
      try {
        await this.run(body);
      } catch (e) {
        if (!(e instanceof LoopSignal) || (e.label !== undefined && e.label !== label)) throw e;
        if (e.kind === 'break') return;
      }
    }
  }

  private async forIn(n: Extract<ScriptNode, { kind: 'for' }>): Promise<void> {
    if (this.s.variables.has(n.variable)) throw new BigQueryApiError('invalidQuery', `Variable ${n.variable} is already declared`);
    const query = isOp(n.query[0], '(') && isOp(n.query[n.query.length - 1], ')') ? n.query.slice(1, -1) : n.query;
    const t = this.s.translator(query);
    const sql = t.translateAll();
    this.record({ statementType: 'SELECT', bytes: await this.s.checkReads(t.tables, query) });
    // the rows are fixed when the loop starts (BigQuery evaluates the query once); a table keeps the
    // query's ORDER BY as its insertion order (DuckDB preserves it), which rowid numbers from 0
    const tmp = `_bq_for_${++this.forCounter}_${n.variable}`;
    await this.s.exec(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(tmp)} AS ${sql}`);
    try {
      const count = Number((await this.s.conn.runAndReadAll(`SELECT count(*) FROM temp.main.${quoteIdent(tmp)}`)).getRows()[0]![0]);
      let row = 0;
      this.s.variables.add(n.variable);
      this.s.rowVariables.add(n.variable);
      await this.iterate(n.label, async () => {
        if (++row > count) return false;
        await this.s.conn.run(`SET VARIABLE ${quoteIdent(n.variable)} = (SELECT r FROM (SELECT * FROM temp.main.${quoteIdent(tmp)} WHERE rowid = ${row - 1}) r)`);
        return true;
      }, n.body);
    } finally {
      this.s.variables.delete(n.variable);
      this.s.rowVariables.delete(n.variable);
      await this.s.conn.run(`RESET VARIABLE ${quoteIdent(n.variable)}`).catch(() => undefined);
      await this.s.conn.run(`DROP TABLE IF EXISTS temp.main.${quoteIdent(tmp)}`).catch(() => undefined);
    }
  }

  private async simple(stmt: Token[]): Promise<void> {
    const head = stmt[0];
    if (isKeyword(head, 'BREAK', 'LEAVE', 'CONTINUE', 'ITERATE') && stmt.length <= 2) {
      const label = stmt[1]?.value.toLowerCase();
      throw new LoopSignal(isKeyword(head, 'BREAK', 'LEAVE') ? 'break' : 'continue', label);
    }
    if (isKeyword(head, 'RETURN') && stmt.length === 1) throw new ReturnSignal();
    this.s.statementText = this.source.slice(stmt[0]!.start, stmt[stmt.length - 1]!.end);
    if (isKeyword(head, 'RAISE')) return this.raise(stmt);
    const o = await this.statement(stmt);
    if (o.affected !== undefined) this.s.rowCount = o.affected;
    this.record(o);
  }

  /** `RAISE;` re-raises the error being handled; `RAISE USING MESSAGE = expr` raises a new one. */
  private async raise(stmt: Token[]): Promise<never> {
    if (stmt.length === 1) {
      const current = this.s.errors[this.s.errors.length - 1];
      if (!current) throw new BigQueryApiError('invalidQuery', 'RAISE without a message is only allowed inside an exception handler');
      throw current.error;
    }
    if (!isKeyword(stmt[1], 'USING') || !isKeyword(stmt[2], 'MESSAGE') || !isOp(stmt[3], '=')) {
      throw new BigQueryApiError('invalidQuery', 'Syntax error: expected RAISE or RAISE USING MESSAGE = <string>');
    }
    throw new BigQueryApiError('invalidQuery', await raiseMessage(this.s, stmt.slice(4)));
  }
}

/** A condition in parentheses, so `subject = (cond)` keeps its precedence. */
function wrap(tokens: Token[]): Token[] {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  return [{ ...first, kind: 'op', value: '(', text: '(' }, ...tokens, { ...last, kind: 'op', value: ')', text: ')' }];
}
