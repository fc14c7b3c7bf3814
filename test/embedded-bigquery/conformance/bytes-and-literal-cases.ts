/**
 * String functions on BYTES, TRIM's whitespace, code-point REVERSE, and FORMAT's %T, each citing its
 * page (https://cloud.google.com/bigquery/docs/reference/standard-sql/<page>). Expected values are
 * the page's printed results or worked out by hand from the page's definition and ZetaSQL's
 * string.cc / strings.cc (noted), never by the engine. BYTES results go through TO_HEX.
 */
import type { ConformanceCase } from './conformance-cases.js';

const p = (page: string): string => `https://cloud.google.com/bigquery/docs/reference/standard-sql/${page}`;
const s = (anchor: string): string => p(`string_functions#${anchor}`);

export const BYTES_AND_LITERAL_CASES: ConformanceCase[] = [
  // hand: bytes are counted, not characters; the result stays BYTES
  { name: 'LEFT and RIGHT of BYTES', area: 'strings', page: s('left'), sql: "SELECT TO_HEX(LEFT(b'\\xab\\xcd\\xef', 2)), TO_HEX(RIGHT(b'\\xab\\xcd\\xef', 2)), TO_HEX(LEFT(b'ab', 5)), TO_HEX(RIGHT(b'ab', 0))", rows: [['abcd', 'cdef', '6162', '']] },
  { name: 'LEFT with a negative length is an error', area: 'strings', page: s('left'), sql: "SELECT LEFT('abc', -1)", error: /Second argument in LEFT\(\) cannot be negative/ },
  { name: 'RIGHT of BYTES with a negative length is an error', area: 'strings', page: s('right'), sql: "SELECT RIGHT(b'abc', -1)", error: /Second argument in RIGHT\(\) cannot be negative/ },
  // the page: LPAD(b'abc', 10, b'ghd') is b"ghdghdgabc"; hand: the default pattern is a space, a shorter length truncates
  { name: 'LPAD and RPAD of BYTES', area: 'strings', page: s('lpad'), sql: "SELECT SAFE_CONVERT_BYTES_TO_STRING(LPAD(b'abc', 10, b'ghd')), SAFE_CONVERT_BYTES_TO_STRING(RPAD(b'abc', 10, b'ghd')), TO_HEX(LPAD(b'a', 3)), TO_HEX(RPAD(b'abc', 2))", rows: [['ghdghdgabc', 'abcghdghdg', '202061', '6162']] },
  { name: 'LPAD with an empty pattern is an error', area: 'strings', page: s('lpad'), sql: "SELECT LPAD('a', 3, '')", error: /pad pattern/ },
  { name: 'RPAD with a negative length is an error', area: 'strings', page: s('rpad'), sql: "SELECT RPAD(b'a', -3, b'x')", error: /output size/ },
  // hand: REVERSE of BYTES reverses bytes; of STRING it reverses code points (ZetaSQL ReverseUtf8), so a combining mark moves before its base
  { name: 'REVERSE of BYTES and of a combining sequence', area: 'strings', page: s('reverse'), sql: "SELECT TO_HEX(REVERSE(b'\\x01\\x02\\xff')), TO_CODE_POINTS(REVERSE(CODE_POINTS_TO_STRING([97, 101, 769, 98])))", rows: [['ff0201', ['98', '769', '101', '97']]] },
  // the page: TRIM(b'apple', b'na\xab') is b'pple'; hand for the others
  { name: 'TRIM, LTRIM, RTRIM of BYTES', area: 'strings', page: s('trim'), sql: "SELECT TO_HEX(TRIM(b'\\xab\\x01\\xab', b'\\xab')), TO_HEX(LTRIM(b'xxaxx', b'x')), TO_HEX(RTRIM(b'xxaxx', b'x')), TO_HEX(TRIM(b'ab', b''))", rows: [['01', '617878', '787861', '6162']] },
  // hand: the bytes 0x14 0x41 end in the hex digits "41" from an odd offset, which is not the byte 0x41
  { name: 'RTRIM of BYTES trims whole bytes only', area: 'strings', page: s('rtrim'), sql: "SELECT TO_HEX(RTRIM(b'\\x14\\x14', b'\\x41')), TO_HEX(LTRIM(b'\\x14\\x14', b'\\x41'))", rows: [['1414', '1414']] },
  { name: 'TRIM of BYTES without a set is an error', area: 'strings', page: s('trim'), sql: "SELECT TRIM(b'  a  ')", error: /No matching signature/ },
  // the page: without a set, all whitespace characters go (Unicode White_Space: tab, newline, U+3000, U+0085, ...)
  { name: 'TRIM without a set removes Unicode whitespace', area: 'strings', page: s('trim'), sql: "SELECT CONCAT('#', TRIM('\\t\\n a b \\r'), '#'), CONCAT('#', LTRIM(CODE_POINTS_TO_STRING([12288, 97, 32])), '#'), CONCAT('#', RTRIM(CODE_POINTS_TO_STRING([32, 97, 133, 160])), '#')", rows: [['#a b#', '#a #', '# a#']] },
  // hand: SUBSTR counts bytes for BYTES, from the end for a negative position
  { name: 'SUBSTR of BYTES', area: 'strings', page: s('substr'), sql: "SELECT TO_HEX(SUBSTR(b'abcdef', 2, 3)), TO_HEX(SUBSTR(b'abcdef', -2)), TO_HEX(SUBSTR(b'abcdef', 0, 1)), TO_HEX(SUBSTR(b'abc', 5))", rows: [['626364', '6566', '61', '']] },
  { name: 'STRPOS, STARTS_WITH, ENDS_WITH, REPEAT of BYTES', area: 'strings', page: s('strpos'), sql: "SELECT CAST(STRPOS(b'abcabc', b'ca') AS STRING), CAST(STRPOS(b'\\x14\\x14', b'\\x41') AS STRING), STARTS_WITH(b'abc', b'ab'), ENDS_WITH(b'abc', b'bc'), ENDS_WITH(b'\\x14\\x14', b'\\x41'), TO_HEX(REPEAT(b'\\x01', 3))", rows: [['3', '0', 'true', 'true', 'false', '010101']] },
  { name: 'TO_CODE_POINTS of BYTES and of an empty string', area: 'strings', page: s('to_code_points'), sql: "SELECT TO_CODE_POINTS(b'\\x00\\x01\\x10\\xff'), TO_CODE_POINTS(''), TO_CODE_POINTS(b'')", rows: [[['0', '1', '16', '255'], [], []]] },
  { name: 'ARRAY_TO_STRING of BYTES with a NULL text', area: 'arrays', page: p('array_functions#array_to_string'), sql: "SELECT TO_HEX(ARRAY_TO_STRING([b'a', NULL, b'\\xff'], b'-', b'?'))", rows: [['612d3f2dff']] },
  // string_functions#format_string %T: ZetaSQL's literals (strings.cc ToStringLiteral: ' quotes when the text holds " only)
  { name: "FORMAT's %T of scalars", area: 'strings', page: s('format_string'), sql: "SELECT FORMAT('%T|%T|%T|%T|%T|%T|%T', 'a\"b', \"it's\", b'\\x00ab', 1.5, 2.0, -3, false), FORMAT('%T %T %T', NULL, DATE '2024-01-31', NUMERIC '1.50')", rows: [["'a\"b'|\"it's\"|b\"\\x00ab\"|1.5|2.0|-3|false", 'NULL DATE "2024-01-31" NUMERIC "1.5"']] },
  { name: "FORMAT's %T of a TIMESTAMP fails loudly", area: 'unsupported', page: s('format_string'), sql: "SELECT FORMAT('%T', TIMESTAMP '2024-01-01')", error: /not supported by the embedded BigQuery/ },
  // approximate_aggregate_functions#approx_top_count: exact counts by hand, fields named value and count; equal counts have no defined order
  { name: 'APPROX_TOP_COUNT per group, with its field names', area: 'aggregates', page: p('approximate_aggregate_functions#approx_top_count'), sql: "SELECT k, TO_JSON_STRING(APPROX_TOP_COUNT(x, 2)) FROM UNNEST([STRUCT(1 AS k, 1 AS x), (1, 1), (1, 2), (2, 5)]) GROUP BY k ORDER BY k", rows: [['1', '[{"value":1,"count":2},{"value":2,"count":1}]'], ['2', '[{"value":5,"count":1}]']] },
  { name: 'APPROX_TOP_COUNT with equal counts fails loudly', area: 'unsupported', page: p('approximate_aggregate_functions#approx_top_count'), sql: 'SELECT APPROX_TOP_COUNT(x, 1) FROM UNNEST([1, 2]) AS x', error: /not supported by the embedded BigQuery/ },
  { name: 'APPROX_TOP_SUM with a negative weight is an error', area: 'aggregates', page: p('approximate_aggregate_functions#approx_top_sum'), sql: "SELECT APPROX_TOP_SUM(x, w, 1) FROM UNNEST([STRUCT('a' AS x, -1 AS w)])", error: /negative/ },
  // string_functions#normalize_and_casefold: full case folding by hand (CaseFolding.txt: ß → ss, ς → σ, ı has none)
  { name: 'NORMALIZE_AND_CASEFOLD folds fully', area: 'strings', page: s('normalize_and_casefold'), sql: "SELECT NORMALIZE_AND_CASEFOLD('Straße'), NORMALIZE_AND_CASEFOLD('ΣΑΣ') = NORMALIZE_AND_CASEFOLD('σας'), NORMALIZE_AND_CASEFOLD(CODE_POINTS_TO_STRING([305])), NORMALIZE(CODE_POINTS_TO_STRING([8490]), NFKD)", rows: [['strasse', 'true', 'ı', 'K']] },
];
