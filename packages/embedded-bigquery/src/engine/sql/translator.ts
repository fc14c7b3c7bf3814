/**
 * GoogleSQL → DuckDB translation over tokens. The output keeps the input's structure; what
 * changes is literals, paths, type names, parameters and the functions in functions.ts.
 * Anything the translator cannot map faithfully throws invalidQuery instead of guessing.
 */
import { BigQueryApiError, type TableReference } from '../types.js';
import type { TranslateEnv } from './translate-env.js';
import { unsupported } from '../errors.js';
import { isKeyword, isOp, type Token } from './tokenizer.js';
import { quoteIdent, quoteString } from '../type-mapping.js';
import { translateFunction } from './functions.js';
import { divideSql } from './functions/typed-macros.js';
import { guardedParam, literalNullChecked } from './token-checks.js';
import { divisionLeft, inUnnest, rewriteSubtraction } from './functions/operators.js';
import { readAngleType, readPath } from './token-paths.js';
import { CLAUSE_ENDS, NOT_FUNCTIONS, TABLE_KEYWORDS } from './keywords.js';
import { bytesLiteral, numberLiteral } from './literals.js';
import { matchBrackets } from './brackets.js';
import { elementAliasNames, implicitArrayJoin, intervalLiteral, usingColumns, structValueTable, subscript, unnestAliasNames, unnestTable } from './constructs.js';
import type { CallArgs } from './translation-context.js';
import { PASS_THROUGH_OPS, checkTableOperand } from './table-operands.js';
import { pivotItem, unpivotItem } from './pivot.js';
import { pipePositions, pipeQuery } from './pipe.js';
import { tableSample } from './tablesample.js';
import { windowBeforeQualify } from './clause-order.js';
import { qualifyAsWhere } from './qualify-subquery.js';
import { groupByPathAliases, inlineHavingAliases } from './having-aliases.js';
import { groupingSetKeys } from './grouping-sets.js';
import { arrayPathSql, pathSite } from './array-paths.js';
import { valueTableNames, type ValueTableNames } from './value-table-fields.js';
import { nameSql, type NameContext } from './name-operands.js';
import { setOperationSql } from './set-operation-modes.js';
import { arrayLiteral } from './array-literal-types.js';
import { guardUsingNaN, usingKeyNames } from './using-nan.js';
import { structTableLevel } from './struct-levels.js';
import { likeQuantified } from './like-quantified.js';
import { havingModifierCall } from './having-modifier.js';
import { isImplicitAlias } from './implicit-alias.js';
import { castFormat, isOperandEnd, keywordOperand, withOver, type OperandContext } from './keyword-operands.js';
import { stringLiteral } from './functions/time-zones.js';
import { angleTypeEnd, endWithoutFrom, fromForStructStars, starScope, structFieldsStar } from './star-scope.js';

export type { ResolvedTable, TranslateEnv } from './translate-env.js';

export class Translator implements OperandContext, NameContext {
  readonly tables: TableReference[] = [];
  private readonly match: number[];
  private cteNames = new Set<string>();
  readonly unnestAliases: Set<string>; // `UNNEST(...) [AS] name`: in `name.field` it shadows a function parameter
  readonly elementAliases: Set<string>;
  private readonly hasPipes: boolean;
  readonly valueTables: ValueTableNames;
  private uid = 0;

  constructor(
    readonly tokens: Token[],
    readonly env: TranslateEnv,
  ) {
    likeQuantified(tokens); // x LIKE ANY|ALL (p, ...): like-quantified.ts
    windowBeforeQualify(tokens);
    qualifyAsWhere(tokens, env.udfs);
    inlineHavingAliases(tokens);
    groupByPathAliases(tokens);
    groupingSetKeys(tokens);
    fromForStructStars(tokens); // (SELECT AS STRUCT x.* EXCEPT (...)) without FROM: star-scope.ts
    this.match = matchBrackets(tokens);
    this.unnestAliases = unnestAliasNames(tokens, this.match);
    this.valueTables = valueTableNames(tokens, this.match);
    this.elementAliases = elementAliasNames(tokens, this.match, this.valueTables);
    this.hasPipes = tokens.some((x) => isOp(x, '|>'));
    for (let i = 0; i + 2 < tokens.length; i++) {
      // `name AS (` after WITH or a comma is a CTE
      if ((tokens[i]!.kind === 'ident' || tokens[i]!.kind === 'quoted') && isKeyword(tokens[i + 1], 'AS') && isOp(tokens[i + 2], '(')) {
        const prev = tokens[i - 1];
        if (isKeyword(prev, 'WITH', 'RECURSIVE') || isOp(prev, ',')) this.cteNames.add(tokens[i]!.value.toLowerCase());
      }
    }
  }

  fresh(prefix: string): string {
    return `${prefix}${++this.uid}`;
  }

  closing(i: number): number {
    const j = this.match[i];
    if (j === undefined || j < 0) throw new BigQueryApiError('invalidQuery', `Unbalanced bracket near "${this.tokens[i]?.text ?? ''}"`);
    return j;
  }

  translateAll(): string {
    return this.range(0, literalNullChecked(this.tokens));
  }

  /** Split [s, e) on top-level commas. */
  splitArgs(s: number, e: number): Token[][] {
    const out: Token[][] = [];
    let cur: Token[] = [];
    for (let i = s; i < e; i++) {
      const t = this.tokens[i]!;
      if (isOp(t, '(', '[')) {
        const j = this.closing(i);
        cur.push(...this.tokens.slice(i, j + 1));
        i = j;
        continue;
      }
      // the commas of a type's fields (`[STRUCT<a STRING, b INT64>(...), ...]`) are not the list's
      const typeEnd = angleTypeEnd(this.tokens, i, e);
      if (typeEnd > i) {
        cur.push(...this.tokens.slice(i, typeEnd + 1));
        i = typeEnd;
        continue;
      }
      if (isOp(t, ',')) {
        out.push(cur);
        cur = [];
        continue;
      }
      cur.push(t);
    }
    if (cur.length > 0 || out.length > 0) out.push(cur);
    return out;
  }

  /** Translate a token list that is a sub-slice of this statement (shares bracket matching by identity). */
  sub(tokens: Token[]): string {
    if (tokens.length === 0) return '';
    const s = this.tokens.indexOf(tokens[0]!);
    if (s >= 0 && this.tokens[s + tokens.length - 1] === tokens[tokens.length - 1]) return this.range(s, s + tokens.length);
    const t = new Translator([...tokens], this.env);
    t.cteNames = this.cteNames;
    const out = t.translateAll();
    this.tables.push(...t.tables);
    return out;
  }

  /** `fromItem`: [s, e) is the inside of a parenthesized join, `FROM (a JOIN b ON ...)`, so it starts with a table operand. */
  range(s: number, e: number, fromItem = false): string {
    const out: string[] = [];
    const pipes = this.hasPipes ? pipePositions(this, s, e) : [];
    const whole = pipes.length > 0 ? pipeQuery(this, s, e, pipes) : setOperationSql(this, s, e); // set-operation-modes.ts
    if (whole !== undefined) return whole;
    const using = usingColumns(this, s, e);
    let clause = fromItem ? 'from' : '';
    let prevSig: Token | undefined;
    let afterStar = false;
    // set by FROM, JOIN, a FROM-list comma and MERGE ... USING: the next token must start a table operand
    let expectTable = fromItem;
    // the index just past the last table path of a FROM clause (TABLESAMPLE may follow it)
    let afterTable: number | undefined;
    let i = s;
    // `/` becomes divideSql(left, right): BigQuery's result type, and division by zero fails (DuckDB: Infinity/NULL)
    let divLeft: string | undefined;
    let divSign = '';
    const emit = (text: string, t: Token | undefined): void => {
      prevSig = t;
      if (divLeft !== undefined) {
        if ((text === '-' || text === '+') && divSign === '') {
          divSign = text;
          return;
        }
        out.push(divideSql(divLeft, `${divSign}${text}`, this.env.arrayPaths));
        divLeft = undefined;
        divSign = '';
        return;
      }
      out.push(text);
    };
    while (i < e) {
      const t = this.tokens[i]!;
      const up = t.kind === 'ident' ? t.value.toUpperCase() : '';
      if (t.kind === 'eof') break;
      const tablePosition = expectTable;
      expectTable = false;
      if (tablePosition) {
        const named = t.kind === 'ident' || t.kind === 'quoted' ? this.path(i) : undefined;
        // a catalog table function (a macro the session defined for this statement) may be called here; nothing else may
        const tableFunction = named !== undefined && this.env.tableFunctions?.has(named[0].join('.').toLowerCase()) === true;
        checkTableOperand(this.tokens, i, named && !tableFunction ? named[1] : undefined);
      }
      if (t.kind === 'string') {
        emit(stringLiteral(t.value, this.env.timeZone, this.tokens, i), t);
        i++;
        continue;
      }
      if (t.kind === 'bytes') {
        emit(bytesLiteral(t.value), t);
        i++;
        continue;
      }
      if (t.kind === 'number') {
        // INT64 factors are BIGINT, so 100000 * 100000 does not overflow INT32 (sums of literals of up to
        // 9 digits cannot; longer literals are BIGINT already). DATE + 1 needs INTEGER, so only '*' counts.
        const arithmetic = isOp(this.tokens[i - 1], '*') || isOp(this.tokens[i + 1], '*');
        // -9223372036854775808 is the INT64 minimum; its digits alone do not fit in INT64
        if (t.value === '9223372036854775808' && out[out.length - 1] === '-' && isOp(prevSig, '-') && !isOperandEnd(this.tokens[i - 2])) {
          out[out.length - 1] = '(-9223372036854775807 - 1)';
          i++;
          continue;
        }
        emit(arithmetic && /^\d+$/.test(t.value) ? `CAST(${t.value} AS BIGINT)` : numberLiteral(t.value), t);
        i++;
        continue;
      }
      if (t.kind === 'param' || t.kind === 'positional') {
        emit(guardedParam(this.env.bindParam(t), prevSig, this.tokens[i + 1]), t);
        i++;
        continue;
      }
      if (t.kind === 'sysvar') throw unsupported(`System variable @@${t.value}`);
      if (t.kind === 'op') {
        // GoogleSQL's ^ is bitwise XOR, DuckDB's is a power (6 ^ 3 gave 216 where BigQuery gives 5)
        if (t.value === '^') throw unsupported('The bitwise XOR operator ^');
        if (t.value === '(') {
          const j = this.closing(i);
          // `FROM (a JOIN b ...)` starts with a table operand; `FROM (SELECT ...)` is a subquery (nested parentheses decide one level down)
          const join = tablePosition && !isKeyword(this.tokens[i + 1], 'SELECT', 'WITH');
          emit(`(${this.range(i + 1, j, join)})`, this.tokens[j]);
          i = j + 1;
          continue;
        }
        if (t.value === '[') {
          const j = this.closing(i);
          const isSubscript = prevSig !== undefined && (prevSig.kind === 'ident' || prevSig.kind === 'quoted' || prevSig.kind === 'string' || isOp(prevSig, ')', ']')) && !isKeyword(prevSig, 'ARRAY', 'SELECT', 'AND', 'OR', 'NOT', 'IN', 'THEN', 'ELSE', 'WHEN', 'RETURN');
          if (isSubscript) {
            out[out.length - 1] = subscript(this, out[out.length - 1] ?? '', i + 1, j);
            prevSig = this.tokens[j];
          } else {
            emit(arrayLiteral(this, this.splitArgs(i + 1, j)), this.tokens[j]);
          }
          i = j + 1;
          continue;
        }
        if (t.value === '*') {
          // pseudo-columns (a wildcard table's _TABLE_SUFFIX) are real columns here but not part of BigQuery's *
          // `expr.*` / `alias.column.*` (a STRUCT's fields, as columns): DuckDB's UNNEST of a STRUCT (star-scope.ts)
          const fields = isOp(prevSig, '.') && out[out.length - 1] === '.' ? structFieldsStar(this.tokens, i, out[out.length - 2] ?? '') : undefined;
          if (fields !== undefined) {
            out.pop();
            out.pop();
            emit(fields, t);
            i++;
            continue;
          }
          const pseudo = this.env.pseudoColumns && this.env.pseudoColumns.size > 0 ? [...this.env.pseudoColumns] : undefined;
          const scope = pseudo || isOp(prevSig, '.') ? starScope(this.tokens, i) : 'other';
          // `(SELECT AS STRUCT s.*, ...)` without FROM: the STRUCT column's fields (DuckDB's UNNEST of a STRUCT)
          if (scope === 'column-fields' && out[out.length - 1] === '.') {
            if (isKeyword(this.tokens[i + 1], 'EXCEPT', 'REPLACE')) throw unsupported('x.* EXCEPT/REPLACE of a STRUCT column in a SELECT without FROM');
            out.pop();
            emit(`UNNEST(${out.pop() ?? ''})`, t);
            i++;
            continue;
          }
          if (pseudo && (isKeyword(prevSig, 'SELECT', 'DISTINCT', 'ALL') || isOp(prevSig, ',', '.')) && scope !== 'ctes') {
            if (isKeyword(this.tokens[i + 1], 'EXCEPT', 'REPLACE')) throw unsupported('t.* and * EXCEPT/REPLACE in a query over a wildcard table');
            // t.*: DuckDB's pattern on a qualified star leaves the pseudo-columns out (and matches nothing in a table without them)
            if (isOp(prevSig, '.')) {
              if (endWithoutFrom(this.tokens, i) >= 0) throw unsupported('t.* of a wildcard or ingestion-time table in a SELECT without FROM');
              emit(`* NOT SIMILAR TO ${quoteString(pseudo.join('|'))}`, t);
              i++;
              continue;
            }
            emit(`COLUMNS(c -> c NOT IN (${pseudo.map(quoteString).join(', ')}))`, t);
            i++;
            continue;
          }
          if (using && isKeyword(prevSig, 'SELECT', 'DISTINCT', 'ALL')) {
            if (using === 'several') throw unsupported('SELECT * over several JOIN ... USING');
            if (isKeyword(this.tokens[i + 1], 'EXCEPT', 'REPLACE')) throw unsupported('SELECT * EXCEPT/REPLACE over JOIN ... USING');
            const cols = using.map(quoteIdent).join(', ');
            emit(`${cols}, * EXCLUDE (${cols})`, t);
            i++;
            continue;
          }
          afterStar = true;
          emit('*', t);
          i++;
          continue;
        }
        if (t.value === ',' && clause !== 'from') afterStar = false;
        // a comma at this level after a JOIN's ON condition starts the next FROM item (`a LEFT JOIN UNNEST(x) ON c, UNNEST(y)`)
        if (t.value === ',' && clause === 'on') clause = 'from';
        if (t.value === ',' && clause === 'from') expectTable = true;
        if (!PASS_THROUGH_OPS.has(t.value)) throw new BigQueryApiError('invalidQuery', `Syntax error: Unexpected "${t.text}" at position ${t.start}`);
        if (t.value === '/' && out.length > 0) {
          divLeft = divisionLeft(out, this.env.arrayPaths);
          prevSig = t;
          i++;
          continue;
        }
        if (t.value === '!=') {
          emit('<>', t);
          i++;
          continue;
        }
        emit(t.text, t);
        i++;
        continue;
      }
      // identifiers and keywords
      if (t.kind === 'ident') {
        // `a IS DISTINCT FROM b` is a comparison, not a FROM clause
        if (up === 'FROM' && !isKeyword(this.tokens[i - 1], 'DISTINCT')) {
          clause = 'from';
          expectTable = true;
        } else if (up === 'JOIN' || (up === 'USING' && !isOp(this.tokens[i + 1], '('))) expectTable = true;
        // GoogleSQL's PIVOT/UNPIVOT follow a FROM item; DuckDB's statement forms (`PIVOT t ON ...`) would name tables unchecked
        if ((up === 'PIVOT' && !isOp(this.tokens[i + 1], '(')) || (up === 'UNPIVOT' && !isOp(this.tokens[i + 1], '(') && !isKeyword(this.tokens[i + 1], 'INCLUDE', 'EXCLUDE'))) {
          throw new BigQueryApiError('invalidQuery', `Syntax error: ${up} must be followed by "(" (the PIVOT/UNPIVOT operator of a FROM item)`);
        }
        if ((up === 'PIVOT' || up === 'UNPIVOT') && clause === 'from' && out.length > 0) {
          if (isKeyword(this.tokens[i - 2], 'AS')) throw unsupported(`${up} after a FROM item with an alias (alias the ${up} instead)`);
          const [sql, next] = (up === 'PIVOT' ? pivotItem : unpivotItem)(this, out.pop()!, i);
          emit(sql, this.tokens[next - 1]);
          i = next;
          continue;
        }
        else if (CLAUSE_ENDS.has(up) || up === 'SELECT') clause = up.toLowerCase();
        if (up === 'EXCEPT' && afterStar) {
          emit('EXCLUDE', t);
          i++;
          continue;
        }
        if (up === 'REPLACE' && afterStar && isOp(this.tokens[i + 1], '(')) {
          const j = this.closing(i + 1);
          emit(`REPLACE (${this.range(i + 2, j)})`, this.tokens[j]);
          i = j + 1;
          continue;
        }
        if (up !== 'EXCEPT') afterStar = false;
        if (up === 'AS' && isKeyword(this.tokens[i + 1], 'STRUCT', 'VALUE') && isKeyword(prevSig, 'SELECT', 'DISTINCT', 'ALL')) {
          if (isKeyword(this.tokens[i + 1], 'VALUE')) {
            // SELECT AS VALUE x: a one-column query is already a table of values here (constructs.ts: FROM items)
            const valueTable = structValueTable(this, s, i + 2, e);
            if (valueTable) {
              emit(valueTable[0], this.tokens[valueTable[1] - 1]);
              i = valueTable[1];
              continue;
            }
            i += 2;
            continue;
          }
          // SELECT [DISTINCT] AS STRUCT a, b ...: DuckDB yields a row as a struct when the table alias is selected; right after FROM/JOIN,
          // and as the statement's result (a table: one column per field), a value table whose columns are the fields
          if (structTableLevel(this.tokens, s)) {
            i += 2; // each operand of a set operation alike (struct-levels.ts)
            continue;
          }
          if (!(out.length === 1 || (out.length === 2 && /^(distinct|all)$/i.test(out[1]!))) || !isKeyword(this.tokens[s], 'SELECT')) throw unsupported('SELECT AS STRUCT after a WITH clause');
          const [alias, rest, head] = [this.fresh('_as_struct'), this.range(i + 2, e), out.join(' ')];
          return `SELECT ${alias} FROM (${head} ${rest}) AS ${alias}`;
        }
        const operand = keywordOperand(this, i, up, prevSig, tablePosition); // keyword-operands.ts
        if (operand) {
          emit(operand[0], this.tokens[operand[1] - 1]);
          i = operand[1];
          continue;
        }
        if (up === 'IN' && isKeyword(this.tokens[i + 1], 'UNNEST') && isOp(this.tokens[i + 2], '(')) {
          const j = this.closing(i + 2);
          const arr = this.arrayPath(i + 3, j) ?? this.range(i + 3, j);
          // `x IN UNNEST(arr)` as a list test where x's extent is certain (DuckDB cannot correlate UNNEST in a subquery)
          if (inUnnest(out, arr)) prevSig = this.tokens[j];
          else emit(`IN (SELECT UNNEST(${arr}))`, this.tokens[j]);
          i = j + 1;
          continue;
        }
        if (up === 'TABLESAMPLE' && clause === 'from') {
          i = tableSample(this.tokens, i, afterTable)[1];
          continue;
        }
        if (up === 'UNNEST' && isOp(this.tokens[i + 1], '(') && (clause === 'from' || isKeyword(prevSig, 'JOIN'))) {
          const [sql, next, crossed] = unnestTable(this, i);
          // LEFT [OUTER] JOIN becomes CROSS JOIN (constructs.ts: a never-empty array keeps the array's order)
          if (crossed) this.crossJoin(out, i);
          emit(sql, this.tokens[next - 1]);
          i = next;
          continue;
        }
        if (up === 'ARRAY' && isOp(this.tokens[i + 1], '[')) {
          i++;
          continue;
        }
      }
      const [parts, next, anyQuoted] = this.path(i);
      const prevUp = prevSig?.kind === 'ident' ? prevSig.value.toUpperCase() : '';
      const tableContext = tablePosition || (TABLE_KEYWORDS.has(prevUp) && !isKeyword(this.tokens[i - 2], 'DISTINCT')) || (clause === 'from' && isOp(prevSig, ','));
      // a call, backticked or not, goes through the function list: DuckDB's own functions are never reachable by name
      if (isOp(this.tokens[next], '(') && !(tableContext && ['INTO', 'TABLE', 'INSERT', 'UPDATE', 'MERGE', 'VIEW'].includes(prevUp)) && !NOT_FUNCTIONS.has(parts.join('.').toUpperCase())) {
        const j = this.closing(next);
        const cast = parts.length === 1 && (up === 'CAST' || up === 'SAFE_CAST') ? castFormat(this, i, next) : undefined;
        const [sql, end] = cast ?? withOver(this, this.call(parts.join('.').toUpperCase(), next, j), j + 1);
        emit(sql, this.tokens[end - 1]);
        i = end;
        continue;
      }
      if (tableContext && !parts.some((p) => this.cteNames.has(p.toLowerCase()) && parts.length === 1) && !NOT_FUNCTIONS.has(up) && !(up === 'UNNEST')) {
        // where a table must stand, a path DuckDB would resolve against its own catalog is resolved strictly instead
        const resolved = implicitArrayJoin(this, i, parts, next) ?? this.env.resolveTable(parts, !isOp(prevSig, ',')) ?? (tablePosition ? this.env.resolveTable(parts, true) : null);
        if (resolved) {
          if ('crossed' in resolved && resolved.crossed) this.crossJoin(out, i);
          if ('ref' in resolved && resolved.ref) this.tables.push(resolved.ref);
          afterTable = 'next' in resolved ? undefined : next;
          emit(resolved.sql, this.tokens[('next' in resolved ? resolved.next : next) - 1]);
          i = 'next' in resolved ? resolved.next : next;
          continue;
        }
      }
      const name = nameSql(this, i, parts, next, anyQuoted, prevSig);
      if (!name.plain) {
        // a select item that is such a path is named by its last field, as BigQuery does (GROUP BY may read that name)
        const item = name.element && clause === 'select' && (next >= e || isOp(this.tokens[next], ',') || isKeyword(this.tokens[next], 'FROM'));
        emit(item ? `${name.sql} AS ${quoteIdent(parts[parts.length - 1]!)}` : name.sql, this.tokens[next - 1]);
        i = next;
        continue;
      }
      // `expr value`: DuckDB takes no unreserved keyword as an alias without AS (implicit-alias.ts)
      const pathSql = isImplicitAlias(this.tokens, i, next, e, prevSig) ? quoteIdent(parts[0]!) : name.sql;
      if (out.length >= 2 && out[out.length - 1] === '.' && divLeft === undefined) {
        // (expr).field: keep the whole access one piece, so a following subscript applies to all of it
        out.pop();
        out.push(`${out.pop() ?? ''}.${pathSql}`);
        prevSig = this.tokens[next - 1];
      } else {
        emit(pathSql, this.tokens[next - 1]);
      }
      i = next;
    }
    // a NaN USING key fails loudly (BigQuery matches no NaN key, DuckDB's USING matches NaN with NaN): using-nan.ts
    if (!fromItem) guardUsingNaN(out, usingKeyNames(this.tokens, (k) => this.closing(k), s, e));
    // DATE - DATE and TIMESTAMP - TIMESTAMP are INTERVALs in BigQuery (functions/operators.ts)
    return rewriteSubtraction(out, this.env.arrayPaths).join(' ');
  }

  /** The `LEFT [OUTER] JOIN` just emitted before the FROM item at token i, as `CROSS JOIN` (constructs.ts: LEFT JOIN of an array in order). */
  private crossJoin(out: string[], i: number): void {
    const words = isKeyword(this.tokens[i - 2], 'OUTER') ? 3 : 2;
    out.splice(out.length - words, words, 'CROSS JOIN');
  }

  /** [from, to) as a path that reads fields through arrays (array-paths.ts), when the query layer learned it does. */
  arrayPath(from: number, to: number): string | undefined {
    const site = pathSite(this.tokens, from, to);
    if (!site) return undefined;
    const first = site.parts[0]!.toLowerCase();
    const plain = !this.env.variables.has(first) && !this.env.functionParams?.has(first) && !this.env.rowVariables?.has(first);
    return arrayPathSql(this.env.arrayPaths, site, this.tokens, plain);
  }

  /** A dotted name starting at i: ident/quoted parts separated by '.'; backticked parts split on dots. */
  path(i: number): [string[], number, boolean] {
    return readPath(this.tokens, i);
  }

  call(name: string, open: number, close: number): string {
    const argTokens = close === open + 1 ? [] : this.splitArgs(open + 1, close);
    const cache = new Map<number, string>();
    const args: CallArgs = {
      tokens: argTokens,
      windowed: isKeyword(this.tokens[close + 1], 'OVER'),
      sql: (k: number) => {
        if (!cache.has(k)) cache.set(k, this.sub(argTokens[k] ?? []));
        return cache.get(k)!;
      },
      all: () => argTokens.map((_, k) => args.sql(k)),
    };
    if (this.env.udfs?.has(name.toLowerCase())) return `${quoteIdent(`bq_udf_${name.toLowerCase()}`)}(${args.all().join(', ')})`;
    const having = havingModifierCall(this, name, open, close); // AGG(x HAVING MAX|MIN y): having-modifier.ts
    if (having !== undefined) return having;
    return translateFunction(name, args, this, this.tokens.slice(open + 1, close));
  }

  /** INTERVAL <expr> <unit> → DuckDB interval expression. */
  interval(i: number): [string, number] {
    return intervalLiteral(this, i);
  }

  /** `<...>` type after ARRAY/STRUCT: returns the DuckDB type and the index after '>'. */
  angleType(lt: number): [string, number] {
    return readAngleType(this.tokens, lt);
  }
}
