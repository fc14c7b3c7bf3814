/**
 * BigQuery's (ZetaSQL's) messages for the error classes DuckDB words in its own way: the analyzer's
 * texts of zetasql/analyzer (resolver*.cc) and the evaluator's of zetasql/public/functions, with
 * ` at [line:column]` where BigQuery gives one. `first` is DuckDB's first line, its class prefix kept.
 */
import { BigQueryApiError } from './types.js';
import { atOffset, codeOnly, endPosition, escapeRe, identifierLiteral, namePosition, offsetOf, operatorPosition, positionOfCode } from './error-positions.js';

const AGGREGATES = 'ANY_VALUE|ARRAY_AGG|ARRAY_CONCAT_AGG|AVG|BIT_AND|BIT_OR|BIT_XOR|COUNT|COUNTIF|LOGICAL_AND|LOGICAL_OR|MAX|MAX_BY|MIN|MIN_BY|STRING_AGG|SUM|STDDEV|STDDEV_POP|STDDEV_SAMP|VARIANCE|VAR_POP|VAR_SAMP|CORR|COVAR_POP|COVAR_SAMP|APPROX_COUNT_DISTINCT|APPROX_QUANTILES|APPROX_TOP_COUNT|APPROX_TOP_SUM';
const ANALYTIC_ONLY = new Set(['row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead', 'first_value', 'last_value', 'nth_value', 'percentile_cont', 'percentile_disc']);

/** BigQuery's "Supported signatures" of the operators and common functions, in its order (operators#arithmetic_operators). */
const SIGNATURES: Record<string, string> = {
  '+': 'INT64 + INT64; NUMERIC + NUMERIC; BIGNUMERIC + BIGNUMERIC; FLOAT64 + FLOAT64; DATE + INT64; INT64 + DATE; TIMESTAMP + INTERVAL; INTERVAL + TIMESTAMP; DATE + INTERVAL; INTERVAL + DATE; DATETIME + INTERVAL; INTERVAL + DATETIME; INTERVAL + INTERVAL',
  '-': 'INT64 - INT64; NUMERIC - NUMERIC; BIGNUMERIC - BIGNUMERIC; FLOAT64 - FLOAT64; DATE - INT64; DATE - DATE; TIMESTAMP - TIMESTAMP; DATETIME - DATETIME; TIME - TIME; TIMESTAMP - INTERVAL; DATE - INTERVAL; DATETIME - INTERVAL; INTERVAL - INTERVAL',
  '*': 'INT64 * INT64; NUMERIC * NUMERIC; BIGNUMERIC * BIGNUMERIC; FLOAT64 * FLOAT64; INTERVAL * INT64; INT64 * INTERVAL',
  '/': 'FLOAT64 / FLOAT64; NUMERIC / NUMERIC; BIGNUMERIC / BIGNUMERIC; INTERVAL / INT64',
  'unary -': '-(INT64); -(NUMERIC); -(BIGNUMERIC); -(FLOAT64); -(INTERVAL)',
  UPPER: 'UPPER(STRING); UPPER(BYTES)',
  LOWER: 'LOWER(STRING); LOWER(BYTES)',
  LENGTH: 'LENGTH(STRING); LENGTH(BYTES)',
  SUBSTR: 'SUBSTR(STRING, INT64, [INT64]); SUBSTR(BYTES, INT64, [INT64])',
  SUBSTRING: 'SUBSTRING(STRING, INT64, [INT64]); SUBSTRING(BYTES, INT64, [INT64])',
  TRIM: 'TRIM(STRING, [STRING]); TRIM(BYTES, BYTES)',
  CONCAT: 'CONCAT(STRING, [STRING, ...]); CONCAT(BYTES, [BYTES, ...])',
  SUM: 'SUM(INT64); SUM(NUMERIC); SUM(BIGNUMERIC); SUM(FLOAT64); SUM(INTERVAL)',
  AVG: 'AVG(INT64); AVG(NUMERIC); AVG(BIGNUMERIC); AVG(FLOAT64); AVG(INTERVAL)',
};

/** GoogleSQL's statement keywords: a statement starting with another word is a syntax error. */
const STATEMENT_KEYWORDS = /^(SELECT|WITH|FROM|INSERT|UPDATE|DELETE|MERGE|CREATE|DROP|ALTER|TRUNCATE|DECLARE|SET|BEGIN|COMMIT|ROLLBACK|IF|LOOP|WHILE|REPEAT|FOR|CALL|EXECUTE|RAISE|RETURN|BREAK|LEAVE|CONTINUE|ITERATE|EXPORT|LOAD|GRANT|REVOKE|ASSERT|EXPLAIN|DESCRIBE|SHOW|CASE|END|UNDROP|\()/i;

/**
 * GoogleSQL functions (reference pages dlp_functions, range-functions, search_functions,
 * text-analysis-functions, geography_functions, aead_encryption_functions, hll/kll_functions, ML and
 * AI, conditional_expressions' ZEROIFNULL/NULLIFZERO) that BigQuery has and the embedded BigQuery lacks: a call is "not supported", never "not found".
 */
const GOOGLESQL_UNIMPLEMENTED = /^(dlp_\w+|range|range_\w+|generate_range_array|search|vector_search|text_analyze|tf_idf|bag_of_words|st_\w+|s2_\w+|keys\.\w+|aead\.\w+|deterministic_\w+|hll_count\.\w+|kll_quantiles\.\w+|ml\.\w+|ai\.\w+|obj\.\w+|external_query|external_object_transform|appends|changes|gap_fill|zeroifnull|nullifzero)$/i;

const AGGREGATE_NAMES = new Set(AGGREGATES.split('|'));

/** DuckDB's type names → GoogleSQL's, for signature messages. */
export function bigQueryTypeName(duck: string): string {
  const t = duck.trim();
  if (t.endsWith('[]')) return `ARRAY<${bigQueryTypeName(t.slice(0, -2))}>`;
  if (/^DECIMAL\(\d+,19\)$/.test(t)) return 'BIGNUMERIC';
  if (/^DECIMAL/.test(t)) return 'NUMERIC';
  const names: Record<string, string> = {
    VARCHAR: 'STRING', STRING_LITERAL: 'STRING', INTEGER_LITERAL: 'INT64', BIGINT: 'INT64', INTEGER: 'INT64', HUGEINT: 'INT64', SMALLINT: 'INT64', TINYINT: 'INT64',
    DOUBLE: 'FLOAT64', FLOAT: 'FLOAT64', BOOLEAN: 'BOOL', BLOB: 'BYTES', TIMESTAMP: 'DATETIME', 'TIMESTAMP WITH TIME ZONE': 'TIMESTAMP', NULL: 'INT64', '"NULL"': 'INT64',
  };
  return names[t] ?? (t.startsWith('STRUCT') ? 'STRUCT' : t);
}

/** "No matching signature for function F for argument types: A, B. Supported signatures: ... at [l:c]". */
export function signatureMessage(name: string, types: string[], sql: string | undefined): string {
  const upper = name.toUpperCase();
  const kind = AGGREGATE_NAMES.has(upper) ? 'aggregate function' : 'function';
  const tail = SIGNATURES[upper] ? `. Supported signatures: ${SIGNATURES[upper]}` : '';
  return `No matching signature for ${kind} ${upper} for argument types: ${types.join(', ')}${tail}${positionOfCode(sql, new RegExp(`\\b${upper}\\s*\\(`, 'i'))}`;
}

/** "No matching signature for operator + for argument types: STRING, STRING. Supported signatures: ...". */
export function operatorMessage(op: string, types: string[], sql: string | undefined): string {
  const key = types.length === 1 ? `unary ${op}` : op;
  const tail = SIGNATURES[key] ? `. Supported signatures: ${SIGNATURES[key]}` : '';
  return `No matching signature for operator ${op} for argument types: ${types.join(', ')}${tail}${operatorPosition(sql, op)}`;
}

/** The query that a set operation's n-th branch starts (0-based offsets of each branch's SELECT). */
function setBranches(sql: string): { op: string; starts: number[] } | undefined {
  const code = codeOnly(sql);
  const re = /\b(UNION|INTERSECT|EXCEPT)\s+(ALL|DISTINCT)\b/gi;
  let m: RegExpExecArray | null;
  let op = '';
  const starts = [offsetOf(sql, /\bSELECT\b/i)];
  while ((m = re.exec(code))) {
    op ||= `${m[1]!.toUpperCase()} ${m[2]!.toUpperCase()}`;
    const next = offsetOf(sql, /\S/, m.index + m[0].length);
    starts.push(next);
  }
  return starts.length > 1 && starts[0]! >= 0 ? { op, starts } : undefined;
}

/** Columns of the SELECT list starting at `start`, or undefined when it has a star (unknowable here). */
function selectWidth(sql: string, start: number): number | undefined {
  const code = codeOnly(sql);
  let i = code.slice(start).search(/\bSELECT\b/i);
  if (i < 0) return undefined;
  i += start + 6;
  let depth = 0;
  let commas = 0;
  let j = i;
  for (; j < code.length; j++) {
    const c = code[j]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) commas++;
    else if (depth === 0 && /^\s(FROM|WHERE|GROUP|HAVING|QUALIFY|WINDOW|ORDER|LIMIT|UNION|INTERSECT|EXCEPT)\b/i.test(code.slice(j - 1, j + 10)) && /\s/.test(code[j - 1]!)) break;
  }
  const list = code.slice(i, j);
  if (/(^|[\s,.])\*(\s|,|$)/.test(list)) return undefined;
  return list.trim().replace(/,\s*$/, '') === '' ? undefined : commas + 1 - (/,\s*$/.test(list) ? 1 : 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function unionMismatch(sql: string | undefined): BigQueryApiError | undefined {
  const branches = sql ? setBranches(sql) : undefined;
  if (!sql || !branches) return undefined;
  const widths = branches.starts.map((s) => selectWidth(sql, s));
  const first = widths[0];
  const other = widths.findIndex((w) => w !== first);
  if (first === undefined || other < 0 || widths[other] === undefined) return new BigQueryApiError('invalidQuery', `Queries in ${branches.op} have mismatched column count${atOffset(sql, branches.starts[1]!)}`);
  return new BigQueryApiError('invalidQuery', `Queries in ${branches.op} have mismatched column count; query 1 has ${plural(first, 'column')}, query ${other + 1} has ${plural(widths[other]!, 'column')}${atOffset(sql, branches.starts[other]!)}`);
}

/** The clause a column reference sits in, as BigQuery names it in "... which is neither grouped nor aggregated". */
function clauseOf(sql: string, name: string): { label: string; at: string } {
  const at = offsetOf(sql, new RegExp(`(?<![\\w.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\w)`, 'i'), Math.max(0, offsetOf(sql, /\bSELECT\b/i)));
  const before = codeOnly(sql).slice(0, Math.max(0, at));
  const clauses = [...before.matchAll(/\b(SELECT|FROM|HAVING|ORDER\s+BY|QUALIFY|WHERE|GROUP\s+BY)\b/gi)];
  const last = clauses.length ? clauses[clauses.length - 1]![1]!.toUpperCase().replace(/\s+/g, ' ') : 'SELECT';
  const label = last === 'HAVING' ? 'HAVING clause' : last === 'ORDER BY' ? 'ORDER BY clause' : last === 'QUALIFY' ? 'QUALIFY clause' : 'SELECT list';
  return { label, at: at < 0 ? '' : atOffset(sql, at) };
}

/** ORDER BY's ordinal that is out of range, and where it is. */
function orderOrdinal(sql: string, count: number): string | undefined {
  const code = codeOnly(sql);
  const re = /\bORDER\s+BY\s+/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(code))) {
    const items = /^[^;)]*/.exec(code.slice(m.index + m[0].length))![0];
    let offset = m.index + m[0].length;
    for (const item of items.split(',')) {
      const n = /^\s*(-?\d+)\s*(?:ASC|DESC)?\s*(?:NULLS\s+(?:FIRST|LAST))?\s*(?:LIMIT\b.*)?$/i.exec(item);
      const lead = item.length - item.trimStart().length;
      if (n && (Number(n[1]) < 1 || Number(n[1]) > count)) {
        const at = atOffset(sql, offset + lead);
        return Number(n[1]) < 1
          ? `ORDER BY column number item is out of range. Column numbers must be greater than or equal to one. Found : ${n[1]}${at}`
          : `ORDER BY column number exceeds input table column count: ${n[1]} vs ${count}${at}`;
      }
      offset += item.length + 1;
    }
  }
  return undefined;
}

function groupOrdinal(sql: string, count: number): string | undefined {
  const code = codeOnly(sql);
  const m = /\bGROUP\s+BY\s+/i.exec(code);
  if (!m) return undefined;
  let offset = m.index + m[0].length;
  for (const item of /^[^;)]*/.exec(code.slice(offset))![0].split(',')) {
    const n = /^\s*(-?\d+)\s*$/.exec(item.replace(/\b(HAVING|ORDER|LIMIT|QUALIFY|WINDOW)\b[\s\S]*$/i, ''));
    if (n && (Number(n[1]) < 1 || Number(n[1]) > count)) return `GROUP BY is out of SELECT column number range: ${n[1]}${atOffset(sql, offset + item.length - item.trimStart().length)}`;
    offset += item.length + 1;
  }
  return undefined;
}

/** A DuckDB Binder/Catalog/Parser error of a class BigQuery words otherwise, or undefined. */
export function mapDuckClass(first: string, sql: string | undefined): BigQueryApiError | undefined {
  const q = (message: string): BigQueryApiError => new BigQueryApiError('invalidQuery', message);
  const text = sql ?? '';
  let m: RegExpExecArray | null;
  if (/^Parser Error/.test(first) && /\bSELECT\s+WITH\s+DIFFERENTIAL_PRIVACY\b/i.test(text)) return q('SELECT WITH DIFFERENTIAL_PRIVACY is not supported by the embedded BigQuery');
  if ((m = /^Binder Error: Referenced table "([^"]+)" not found/.exec(first))) return q(`Unrecognized name: ${identifierLiteral(m[1]!)}${namePosition(sql, m[1]!)}`);
  if ((m = /^Binder Error: Duplicate column name "([^"]+)" in INSERT/.exec(first))) {
    const re = new RegExp(`(?<=\\([^)]*)\\b${escapeRe(m[1]!)}\\b`, 'i');
    return q(`INSERT has columns with duplicate name: ${m[1]}${positionOfCode(sql, re, offsetOf(text, re) + 1)}`);
  }
  if ((m = /^Binder Error: column "?([^"\s]+)"? must appear in the GROUP BY clause/.exec(first))) {
    const name = m[1]!;
    const star = offsetOf(text, /\bSELECT\s+(?:DISTINCT\s+)?\*/i);
    const named = offsetOf(text, new RegExp(`(?<![\\w.])${escapeRe(name)}(?!\\w)`, 'i'), Math.max(0, offsetOf(text, /\bSELECT\b/i)));
    const fromAt = offsetOf(text, /\bFROM\b/i);
    if (star >= 0 && (named < 0 || named > fromAt)) {
      return q(`SELECT * expression references column ${name} which is neither grouped nor aggregated${atOffset(text, text.indexOf('*', star))}`);
    }
    const c = clauseOf(text, name);
    return q(`${c.label} expression references column ${name} which is neither grouped nor aggregated${c.at}`);
  }
  if (/^Binder Error: (WHERE|HAVING|JOIN) clause cannot contain aggregates/.test(first)) {
    const where = Math.max(0, offsetOf(text, /\bWHERE\b/i));
    const at = offsetOf(text, new RegExp(`\\b(${AGGREGATES})\\s*\\(`, 'i'), where);
    const name = at >= 0 ? /^\w+/.exec(text.slice(at))![0].toUpperCase() : 'function';
    return q(`Aggregate function ${name} not allowed in WHERE clause${at >= 0 ? atOffset(text, at) : ''}`);
  }
  if (/^Binder Error: WHERE clause cannot contain window functions/.test(first)) {
    return q(`Analytic function not allowed in WHERE clause${positionOfCode(sql, /\b\w+\s*\([^()]*\)\s*OVER\b/i, Math.max(0, offsetOf(text, /\bWHERE\b/i)))}`);
  }
  if ((m = /^Binder Error: ORDER term out of range - should be between 1 and (\d+)/.exec(first))) {
    const message = orderOrdinal(text, Number(m[1]));
    if (message) return q(message);
  }
  if ((m = /^Binder Error: GROUP BY term out of range - should be between 1 and (\d+)/.exec(first))) {
    const message = groupOrdinal(text, Number(m[1]));
    if (message) return q(message);
  }
  if (/^Binder Error: Set operations can only apply to expressions with the same number of result columns/.test(first)) return unionMismatch(sql);
  if ((m = /^(?:Parser|Binder) Error: Duplicate CTE name "([^"]+)"/.exec(first))) {
    const re = new RegExp(`(?<![\\w.])${escapeRe(m[1]!)}\\s+AS\\s*\\(`, 'i');
    const once = offsetOf(text, re);
    return q(`Duplicate alias ${m[1]} for WITH subquery${once >= 0 ? positionOfCode(sql, re, once + 1) : ''}`);
  }
  if ((m = /^\w+ Error: window "([^"]+)" does not exist/.exec(first))) return q(`Unrecognized window alias ${m[1]}${positionOfCode(sql, new RegExp(`(?<=\\bOVER\\s+)${escapeRe(m[1]!)}\\b`, 'i'))}`);
  if (/^Binder Error: aggregate function calls cannot be nested/.test(first)) {
    return q(`Aggregations of aggregations are not allowed${positionOfCode(sql, new RegExp(`\\b(${AGGREGATES})\\s*\\(\\s*(?:DISTINCT\\s+)?(${AGGREGATES})\\s*\\(`, 'i'))}`);
  }
  if ((m = /^Binder Error: Column "([^"]+)" in EXCLUDE list not found/.exec(first))) {
    return q(`Column ${m[1]} in SELECT * EXCEPT list does not exist${positionOfCode(sql, new RegExp(`(?<=\\bEXCEPT\\s*\\([^)]*)\\b${escapeRe(m[1]!)}\\b`, 'i'))}`);
  }
  if (/^Binder Error: Subquery returns \d+ columns - expected 1/.test(first)) {
    return q(`Scalar subquery cannot have more than one column unless using SELECT AS STRUCT to build STRUCT values${positionOfCode(sql, /\(\s*SELECT\b/i)}`);
  }
  if (/More than one row returned by a subquery used as an expression/.test(first)) return q('Scalar subquery produced more than one element');
  if ((m = /^Binder Error: Could not find key "([^"]+)" in struct/.exec(first))) {
    // DuckDB's error does not carry the STRUCT's type, so its field list is not given
    return q(`Field name ${m[1]} does not exist in STRUCT${positionOfCode(sql, new RegExp(`(?<=\\.)${escapeRe(m[1]!)}\\b`, 'i'))}`);
  }
  if ((m = /^Binder Error: (?:Column name\/value mismatch for insert on \S+: expected (\d+) columns but (\d+) values were supplied|table \S+ has (\d+) columns but (\d+) values were supplied)/.exec(first))) {
    const [expected, has] = m[1] ? [m[1], m[2]] : [m[3], m[4]];
    return q(`Inserted row has wrong column count; Has ${has}, expected ${expected}${positionOfCode(sql, /(?<=\bVALUES\s*)\(/i)}`);
  }
  if ((m = /^Binder Error: Table "[^"]+" does not have a column with name "([^"]+)"/.exec(first))) {
    const table = /\bINSERT\s+(?:INTO\s+)?(`[^`]+`|[\w.-]+)/i.exec(text)?.[1]?.replace(/`/g, '') ?? '';
    return q(`Column ${m[1]} is not present in table ${table}${positionOfCode(sql, new RegExp(`(?<=\\([^)]*)\\b${escapeRe(m[1]!)}\\b`, 'i'))}`);
  }
  if ((m = /^Binder Error: Referenced update column (\S+) not found in table/.exec(first))) return q(`Unrecognized name: ${m[1]}${positionOfCode(sql, new RegExp(`(?<=\\bSET\\b[^;]*)\\b${escapeRe(m[1]!)}\\s*=`, 'i'))}`);
  if ((m = /^(?:Binder|Catalog) Error: Column with name (\S+) already exists/.exec(first)) && /^\s*CREATE\b/i.test(text)) {
    const re = new RegExp(`[(,]\\s*${escapeRe(m[1]!)}\\s+\\w`, 'gi');
    const hits = [...codeOnly(text).matchAll(re)];
    const at = hits[1] ? atOffset(text, hits[1].index + hits[1][0].search(/\w/)) : '';
    return q(`Duplicate column name ${m[1]} in CREATE TABLE${at}`);
  }
  if ((m = /^Catalog Error: Scalar Function with name (\w+) does not exist/.exec(first)) && ANALYTIC_ONLY.has(m[1]!.toLowerCase())) {
    return q(`Analytic function ${m[1]!.toUpperCase()} cannot be called without an OVER clause${positionOfCode(sql, new RegExp(`\\b${escapeRe(m[1]!)}\\s*\\(`, 'i'))}`);
  }
  if ((m = /^Binder Error: (?:Could not choose a best candidate function for the function call|No function matches the given name and argument types) ["']([+*/-])\((.*)\)["']/.exec(first))) {
    return q(operatorMessage(m[1]!, splitTypes(m[2]!), sql));
  }
  if (/^Binder Error: SELECT clause without selection list|^Parser Error: SELECT clause without selection list/.test(first)) {
    return q(`Syntax error: SELECT list must not be empty${positionOfCode(sql, /(?<=\bSELECT\s+)FROM\b/i)}`);
  }
  return undefined;
}

/** Split a DuckDB argument-type list on top-level commas (STRUCT(a INT, b INT) keeps its commas) into BigQuery names. */
export function splitTypes(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur);
  return out.map(bigQueryTypeName);
}

/** Top-level comma-separated items of the parenthesised list starting at `open` in the code text. */
function listItems(sql: string, code: string, open: number): { text: string; start: number; end: number }[] {
  const items: { text: string; start: number; end: number }[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open; i < code.length; i++) {
    const c = code[i]!;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    if ((c === ',' && depth === 1) || depth === 0) {
      items.push({ text: code.slice(start, i), start: start + sql.slice(start, i).search(/\S|$/), end: i });
      start = i + 1;
      if (depth === 0) break;
    }
  }
  return items;
}

/**
 * A string literal that cannot be converted to its DML target column: BigQuery rejects it when it
 * analyzes the statement ("Value has type STRING which cannot be inserted into column id, which has
 * type INT64", "Value of type STRING cannot be assigned to id, which has type INT64"); LIMIT takes
 * an integer literal only.
 */
function dmlTypeMismatch(sql: string, value: string, target: string): string | undefined {
  const code = codeOnly(sql);
  const literal = `'${value}'`;
  const limit = new RegExp(`\\bLIMIT\\s+(?=${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'i').exec(sql);
  if (limit) return `LIMIT expects an integer literal or parameter${atOffset(sql, limit.index + limit[0].length)}`;
  const insert = /^\s*INSERT\s+(?:INTO\s+)?\S+\s*\(/i.exec(code);
  if (insert) {
    const columns = listItems(sql, code, insert[0].length - 1).map((c) => c.text.trim());
    const values = /\bVALUES\s*\(/i.exec(code);
    if (!values) return undefined;
    const row = listItems(sql, code, values.index + values[0].length - 1);
    const i = row.findIndex((r) => sql.slice(r.start, r.start + literal.length) === literal);
    if (i < 0 || !columns[i]) return undefined;
    return `Value has type STRING which cannot be inserted into column ${columns[i]}, which has type ${target}${atOffset(sql, row[i]!.start)}`;
  }
  const set = /^\s*UPDATE\b[^;]*?\bSET\b/i.exec(code);
  if (set) {
    const assign = new RegExp(`(\\w+)\\s*=\\s*(?=${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'i').exec(sql.slice(set[0].length));
    if (assign) return `Value of type STRING cannot be assigned to ${assign[1]}, which has type ${target}${atOffset(sql, set[0].length + assign.index + assign[0].length)}`;
  }
  return undefined;
}

/** A runtime (evaluation) error of DuckDB's in BigQuery's words: casts, math, regular expressions, dates. */
export function mapDuckValueError(first: string, sql: string | undefined): BigQueryApiError | undefined {
  const q = (message: string): BigQueryApiError => new BigQueryApiError('invalidQuery', message);
  const text = sql ?? '';
  let m: RegExpExecArray | null;
  if ((m = /^Conversion Error: Could not convert string '(.*)' to (\w+)/.exec(first))) {
    const dml = dmlTypeMismatch(text, m[1]!, bigQueryTypeName(m[2]!));
    if (dml) return q(dml);
  }
  if ((m = /^Conversion Error: Unimplemented type for cast \((.+) -> (.+)\)/.exec(first))) {
    return q(`Invalid cast from ${bigQueryTypeName(m[1]!)} to ${bigQueryTypeName(m[2]!)}${positionOfCode(sql, /(?<=\b(?:SAFE_)?CAST\s*\(\s*)\S/i)}`);
  }
  if ((m = /^Conversion Error: Could not convert string '(.*)' to (DOUBLE|FLOAT)\b/.exec(first))) return q(`Bad double value: ${m[1]}`);
  if ((m = /^Conversion Error: Could not convert string '(.*)' to (BIGINT|INT64|INTEGER|HUGEINT)\b/.exec(first))) return q(`Bad int64 value: ${m[1]}`);
  if ((m = /^Conversion Error: Could not convert string '(.*)' to BOOL/.exec(first))) return q(`Bad bool value: ${m[1]}`);
  if ((m = /^Conversion Error: Could not convert string "(.*)" to DECIMAL\((\d+),(\d+)\)/.exec(first))) return q(`Invalid ${m[3] === '9' ? 'NUMERIC' : 'BIGNUMERIC'} value: ${m[1]}`);
  if ((m = /^Conversion Error: (?:date field value out of range|invalid date field format): "([^"]*)"/.exec(first))) {
    const value = m[1]!;
    const esc = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const literal = new RegExp(`\\bDATE\\s*'${esc}'`, 'i').exec(text);
    if (literal) return q(`Invalid DATE literal${atOffset(text, literal.index)}`);
    const cast = new RegExp(`\\bCAST\\s*\\(\\s*'${esc}'`, 'i').test(text);
    const bare = text.indexOf(`'${value}'`);
    if (!cast && bare >= 0) return q(`Could not cast literal "${value}" to type DATE${atOffset(text, bare)}`);
    return q(`Invalid date: '${value}'`);
  }
  if (/^Out of Range Error: cannot take square root of a negative number/.test(first)) {
    const arg = /\bSQRT\s*\(\s*(-?[\d.]+)\s*\)/i.exec(text)?.[1];
    return q(`Argument to SQRT cannot be negative${arg ? `: ${Number(arg)}` : ''}`);
  }
  if (/^Out of Range Error: cannot take logarithm of (?:zero|a negative number)/.test(first)) {
    const arg = /\b(LN|LOG10|LOG)\s*\(\s*(-?[\d.]+)\s*\)/i.exec(text);
    return q(`Floating point error in function${arg ? `: ${arg[1]!.toUpperCase()}(${Number(arg[2])})` : ''}`);
  }
  if ((m = /^Invalid Input Error: ((?:missing \)|missing \]|unexpected \)|trailing \\|invalid escape sequence|invalid character class|bad repetition operator|missing argument to repetition operator|invalid nested repetition operator|invalid perl operator|invalid named capture group|invalid repetition size|no argument for repetition operator|invalid UTF-8|duplicate capture group name)[^:]*: .*)$/.exec(first))) {
    return q(`Cannot parse regular expression: ${m[1]}`);
  }
  if ((m = /Date out of range: (-?\d+)-(\d+)-(\d+)/.exec(first))) return q(`Input calculates to invalid date: ${m[1]!.padStart(4, '0')}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`);
  if ((m = /Could not parse string "(.*)" according to format specifier "/.exec(first))) return q(`Failed to parse input string "${m[1]}"`);
  return undefined;
}

/** GoogleSQL types of a call's arguments when each is a literal (the call named `name`, its first use), else undefined. */
function literalArgumentTypes(sql: string, name: string): string[] | undefined {
  const code = codeOnly(sql);
  const call = new RegExp(`\\b${escapeRe(name)}\\s*\\(`, 'i').exec(code);
  if (!call) return undefined;
  const open = call.index + call[0].length - 1;
  const args = listItems(sql, code, open).map((a) => sql.slice(a.start, a.end).trim());
  if (args.length === 1 && args[0] === '') return [];
  const types: string[] = [];
  for (const a of args) {
    const typed = /^(DATE|DATETIME|TIME|TIMESTAMP|NUMERIC|BIGNUMERIC|JSON)\s*(['"]).*\2$/is.exec(a);
    if (typed) types.push(typed[1]!.toUpperCase());
    else if (/^[rR]?(['"]).*\1$/s.test(a)) types.push('STRING');
    else if (/^[bB][rR]?(['"]).*\1$|^[rR][bB](['"]).*\2$/s.test(a)) types.push('BYTES');
    else if (/^-?\d+$/.test(a)) types.push('INT64');
    else if (/^-?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][+-]?\d+)$/.test(a)) types.push('FLOAT64');
    else if (/^(TRUE|FALSE)$/i.test(a)) types.push('BOOL');
    else if (/^NULL$/i.test(a)) types.push('INT64');
    else return undefined;
  }
  return types;
}

/** Our own messages (raised before DuckDB runs) get BigQuery's position and wording where they lacked it. */
export function refineOwn(e: BigQueryApiError, sql: string | undefined): BigQueryApiError {
  if (!sql || / at \[\d+:\d+\]$/.test(e.message)) return e;
  const again = (message: string): BigQueryApiError => new BigQueryApiError(e.reason, message, e.location);
  let m: RegExpExecArray | null;
  if ((m = /^Function not found: ([\w.]+) \(or it is not supported by the embedded BigQuery\)$/.exec(e.message))) {
    if (GOOGLESQL_UNIMPLEMENTED.test(m[1]!)) return again(`Function ${m[1]!.toUpperCase()} is not supported by the embedded BigQuery`);
    return again(`Function not found: ${m[1]}${positionOfCode(sql, new RegExp(`\\b${escapeRe(m[1]!)}\\s*\\(`, 'i'))}`);
  }
  if ((m = /^(UPDATE|DELETE) must have a WHERE clause$/.exec(e.message))) return again(`${e.message}${positionOfCode(sql, new RegExp(`\\b${escapeRe(m[1]!)}\\b`, 'i'))}`);
  // a message that names a character offset (set operations, query parameters): BigQuery's [line:column]
  if ((m = /^([\s\S]+) at \[(\d+)\]$/.exec(e.message))) return again(`${m[1]}${atOffset(sql, Number(m[2]))}`);
  if ((m = /^(A valid date part name is required but found (\w+)) in \w+$/.exec(e.message))) return again(`${m[1]}${positionOfCode(sql, new RegExp(`\\b${escapeRe(m[2]!)}\\b`))}`);
  if ((m = /^Invalid (TIMESTAMP|DATETIME|DATE|TIME) literal: "/.exec(e.message))) {
    const at = sql.search(new RegExp(`\\b${escapeRe(m[1]!)}\\s*'`, 'i'));
    return again(`Invalid ${m[1]} literal${at < 0 ? '' : atOffset(sql, at)}`);
  }
  if ((m = /^Statement "(\S+)[^"]*" is not supported by the embedded BigQuery$/.exec(e.message)) && !STATEMENT_KEYWORDS.test(m[1]!)) {
    return again(`Syntax error: Unexpected identifier "${m[1]}"${positionOfCode(sql, new RegExp(`\\b${escapeRe(m[1]!)}\\b`))}`);
  }
  if (/^Syntax error: Unexpected end of script$/.test(e.message)) return again(`${e.message}${endPosition(sql)}`);
  if ((m = /^No matching signature for operator (\S+) for argument types: (.*)\. (Supported signatures?: .*)$/.exec(e.message))) return again(`${e.message}${operatorPosition(sql, m[1]!)}`);
  if ((m = /^No matching signature for (?:aggregate )?function (\w+) for argument types: ([^.]*)$/.exec(e.message))) return again(signatureMessage(m[1]!, m[2]!.split(', '), sql));
  if ((m = /^No matching signature for function (\w+) with \d+ argument\(s\)$/.exec(e.message))) {
    const types = literalArgumentTypes(sql, m[1]!);
    if (types) return again(signatureMessage(m[1]!, types, sql));
  }
  if ((m = /^No matching signature for function (\w+) with \d+ argument\(s\)$/.exec(e.message))) return again(`${e.message}${positionOfCode(sql, new RegExp(`\\b${escapeRe(m[1]!)}\\s*\\(`, 'i'))}`);
  return e;
}
