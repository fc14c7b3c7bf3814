/**
 * A select item's alias written without AS (`SELECT CAST(NULL AS NUMERIC) value`). DuckDB's grammar
 * takes only plain identifiers there, not its unreserved keywords (value, key, name, type, year, ...),
 * which GoogleSQL leaves free; the translator quotes such an alias, which names the column the same.
 */
import { isKeyword, isOp, type Token } from './tokenizer.js';

/** GoogleSQL's reserved keywords (lexical#reserved_keywords): never an unquoted alias. */
const RESERVED = new Set(
  ('ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE CURRENT DEFAULT ' +
    'DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING ' +
    'GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT ' +
    'NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET ' +
    'SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN').split(' '),
);

/** Reserved words that still end an operand (`CASE ... END alias`, `NULL alias`). */
const OPERAND_WORDS = new Set(['END', 'NULL', 'TRUE', 'FALSE']);

/** Whether a token ends an operand, so that a name after it is that select item's alias. */
function endsOperand(x: Token | undefined): boolean {
  if (x === undefined) return false;
  if (x.kind === 'ident') return OPERAND_WORDS.has(x.value.toUpperCase()) || !RESERVED.has(x.value.toUpperCase());
  return ['number', 'string', 'bytes', 'quoted', 'param', 'positional'].includes(x.kind) || isOp(x, ')', ']');
}

/** Words that end a select list (or start a clause a select list is not in), read backwards from a name. */
const NOT_SELECT_LIST = new Set(['FROM', 'WHERE', 'GROUP', 'HAVING', 'QUALIFY', 'WINDOW', 'ORDER', 'LIMIT', 'ON', 'USING', 'SET', 'UNION', 'INTERSECT', 'EXCEPT', 'VALUES', 'BY']);

/** Whether token i is in a select list: a SELECT at its bracket depth before it, and no clause between. */
function inSelectList(tokens: Token[], i: number): boolean {
  let depth = 0;
  for (let k = i - 1; k >= 0; k--) {
    const x = tokens[k]!;
    if (isOp(x, ')', ']')) depth++;
    else if (isOp(x, '(', '[')) {
      if (depth === 0) return false;
      depth--;
    } else if (depth === 0 && isOp(x, '|>', ';')) return false;
    else if (depth === 0 && x.kind === 'ident') {
      const up = x.value.toUpperCase();
      if (up === 'SELECT') return true;
      // `a IS DISTINCT FROM b` and `* EXCEPT (...)` stay in the list
      if (up === 'FROM' && isKeyword(tokens[k - 1], 'DISTINCT')) continue;
      if (up === 'EXCEPT' && isOp(tokens[k + 1], '(') && isOp(tokens[k - 1], '*')) continue;
      if (NOT_SELECT_LIST.has(up)) return false;
    }
  }
  return false;
}

/**
 * Whether the unquoted one-part name at token i (ending before `next`; `end` closes the range being
 * translated) is a select item's alias written without AS: in the select list, after an operand, and
 * followed by the end of the item.
 */
export function isImplicitAlias(tokens: Token[], i: number, next: number, end: number, prevSig: Token | undefined): boolean {
  const t = tokens[i]!;
  if (t.kind !== 'ident' || next !== i + 1 || RESERVED.has(t.value.toUpperCase()) || !endsOperand(prevSig) || prevSig !== tokens[i - 1]) return false;
  const after = tokens[next];
  const itemEnds = next >= end || after === undefined || after.kind === 'eof' || isOp(after, ',', ')', ';') || (after.kind === 'ident' && NOT_SELECT_LIST.has(after.value.toUpperCase()));
  return itemEnds && inSelectList(tokens, i);
}
