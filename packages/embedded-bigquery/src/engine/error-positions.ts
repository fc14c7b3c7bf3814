/**
 * Where in the GoogleSQL text an error points, as BigQuery writes it: ` at [line:column]`, both
 * 1-based, in the whole script text. Each finder returns '' when it cannot place the error.
 */

/** ` at [line:column]` of a 0-based character offset in `sql`. */
export function atOffset(sql: string, offset: number): string {
  const before = sql.slice(0, offset).split('\n');
  return ` at [${before.length}:${before[before.length - 1]!.length + 1}]`;
}

/** `text` as a literal inside a RegExp. */
export function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text with string literals, quoted identifiers and comments blanked out (same length), so searches skip them. */
export function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*|#[^\n]*|\/\*[\s\S]*?\*\/|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*"|`(?:\\.|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

/** Offset of the first match of `re` in the code (outside strings and comments), or -1. */
export function offsetOf(sql: string, re: RegExp, from = 0): number {
  const code = codeOnly(sql);
  const flags = re.flags.includes('g') ? re.flags : `${re.flags}g`;
  const global = new RegExp(re.source, flags);
  global.lastIndex = from;
  const m = global.exec(code);
  return m ? m.index : -1;
}

/** [line:column] of the first use of `name` as an identifier in the GoogleSQL text, as BigQuery reports it. */
export function positionOf(sql: string | undefined, name: string): string {
  if (!sql) return '';
  const re = new RegExp(`(?<![\\w.\`'"])${escapeRe(name)}(?![\\w\`'"])`, 'i');
  const at = sql.search(re);
  return at < 0 ? '' : atOffset(sql, at);
}

/** Position of the first match of `re` outside strings and comments (optionally from an offset). */
export function positionOfCode(sql: string | undefined, re: RegExp, from = 0): string {
  if (!sql) return '';
  const at = offsetOf(sql, re, from);
  return at < 0 ? '' : atOffset(sql, at);
}

/** Start of the operand that ends just before `end` (a literal, a path, a call or a parenthesised group). */
function operandStart(sql: string, end: number): number {
  let i = end;
  while (i > 0 && /\s/.test(sql[i - 1]!)) i--;
  const last = sql[i - 1];
  if (last === "'" || last === '"') {
    const open = sql.lastIndexOf(last, i - 2);
    i = open < 0 ? i - 1 : open;
    // a typed literal: DATE '...', b'...'
    const typed = /(?:\b(?:DATE|DATETIME|TIME|TIMESTAMP|NUMERIC|BIGNUMERIC|JSON|INTERVAL)\s+|\b[rRbB]{1,2})$/i.exec(sql.slice(0, i));
    return typed ? i - typed[0].length : i;
  }
  if (last === ')' || last === ']') {
    let depth = 0;
    for (let j = i - 1; j >= 0; j--) {
      const c = sql[j]!;
      if (c === ')' || c === ']') depth++;
      if (c === '(' || c === '[') depth--;
      if (depth === 0) {
        i = j;
        break;
      }
    }
  }
  while (i > 0 && /[\w.`]/.test(sql[i - 1]!)) i--;
  return i;
}

/**
 * Position of a binary operator expression `left op right` (its left operand's start), for the
 * first `op` in the code; a unary operator (nothing but `(`, `,` or a keyword before it) points at itself.
 */
export function operatorPosition(sql: string | undefined, op: string): string {
  if (!sql) return '';
  const word = /^[A-Z]/i.test(op);
  const re = word ? new RegExp(`\\b${escapeRe(op)}\\b`, 'i') : new RegExp(`(?<![<>=!|*/+-])${escapeRe(op)}(?![=>|])`);
  const at = offsetOf(sql, re);
  if (at < 0) return '';
  const before = sql.slice(0, at).trimEnd();
  if (before === '' || /(?:[(,=<>+*/-]|\b(?:SELECT|WHERE|AND|OR|NOT|ON|WHEN|THEN|ELSE|BY|RETURN|AS|IF))$/i.test(before)) return atOffset(sql, at);
  return atOffset(sql, operandStart(sql, at));
}

/** Position just past the script's last character, where BigQuery places "Unexpected end of script". */
export function endPosition(sql: string | undefined): string {
  return sql ? atOffset(sql, sql.replace(/[\s;]+$/, '').length) : '';
}

/** GoogleSQL's reserved keywords (lexical#reserved_keywords): as names they are written in backticks. */
const RESERVED = new Set('ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN'.split(' '));

/** A name as ZetaSQL's messages write it (ToIdentifierLiteral): bare when it is a plain identifier, else in backticks. */
export function identifierLiteral(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase()) ? name : `\`${name.replace(/[`\\]/g, '\\$&')}\``;
}

/** [line:column] of a name used bare or in backticks. */
export function namePosition(sql: string | undefined, name: string): string {
  if (!sql) return '';
  const quoted = sql.indexOf(`\`${name}\``);
  // a reserved word or a name with other characters is only a name in backticks
  if (identifierLiteral(name) !== name) return quoted < 0 ? '' : atOffset(sql, quoted);
  return positionOf(sql, name) || (quoted < 0 ? '' : atOffset(sql, quoted));
}
