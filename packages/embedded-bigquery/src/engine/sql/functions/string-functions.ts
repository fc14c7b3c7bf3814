/** String and BYTES functions. */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import { isKeyword, isOp } from '../tokenizer.js';
import type { CallArgs } from '../translation-context.js';
import { FunctionTable, argCount } from './function-table.js';
import { defaultZone, stringOf, timestampText, zoneArg } from './time-zones.js';
import { noRangeSql } from './range.js';

export const STRING_FUNCTIONS = new FunctionTable();
const def = STRING_FUNCTIONS.def;

// CONCAT is STRING unless its arguments are BYTES
def(['CONCAT'], (a) => {
  const anyBytes = a.tokens.some((x) => x.length === 1 && x[0]!.kind === 'bytes');
  // any NULL argument makes the result NULL; DuckDB would fold NULL || 'x' to an untyped NULL
  if (a.tokens.some((x) => x.length === 1 && isKeyword(x[0], 'NULL'))) return `CAST(NULL AS ${anyBytes ? 'BLOB' : 'VARCHAR'})`;
  return a.tokens.length === 1 ? a.sql(0) : `(${a.all().map((x) => noRangeSql(x, 'CONCAT')).join(' || ')})`;
});
// hash functions return BYTES (DuckDB's return hex text); SHA512 is in js-functions.ts
def(['MD5', 'SHA1', 'SHA256'], (a, _t, _r, n) => (argCount(a, n, 1), `unhex(${n.toLowerCase()}(${a.sql(0)}))`));
// CONTAINS_SUBSTR normalizes (NFKC) and case-folds both sides: exact for ASCII STRINGs, which is
// what is taken here; other text, and the STRUCT/ARRAY/row forms, fail loudly
const asciiText = (x: string): string => `regexp_full_match(TRY_CAST(${x} AS VARCHAR), '[\\x00-\\x7F]*')`;
const containsSubstrLoud = (s: string, v: string): string => `typeof(${s}) <> 'VARCHAR' OR NOT ${asciiText(s)} OR NOT ${asciiText(v)}`;
const CONTAINS_SUBSTR_LOUD = "error('CONTAINS_SUBSTR of non-ASCII or non-STRING values is not supported by the embedded BigQuery')";
def('CONTAINS_SUBSTR', (a, _t, _r, n) => {
  argCount(a, n, 2);
  const [s, v] = [a.sql(0), a.sql(1)];
  return `CASE WHEN (${s}) IS NULL OR (${v}) IS NULL THEN NULL WHEN ${containsSubstrLoud(s, v)} THEN ${CONTAINS_SUBSTR_LOUD} ELSE contains(lower(TRY_CAST(${s} AS VARCHAR)), lower(${v})) END`;
}, ([s, v]) => `CASE WHEN (${s}) IS NULL OR (${v}) IS NULL THEN true WHEN ${containsSubstrLoud(s!, v!)} THEN ${CONTAINS_SUBSTR_LOUD} ELSE true END`);
// BigQuery maps case with the Unicode Character Database; DuckDB upper-cases ß to ẞ, which neither
// the simple mapping (ß) nor the full one (SS) gives: such strings fail rather than guess
const upperLoud = (s: string): string => `typeof(${s}) = 'VARCHAR' AND contains(TRY_CAST(${s} AS VARCHAR), 'ß')`;
const UPPER_LOUD = "error('UPPER of a string containing ß is not supported by the embedded BigQuery')";
def('UPPER', (a, _t, _r, n) => {
  argCount(a, n, 1);
  const s = a.sql(0);
  return `CASE WHEN ${upperLoud(s)} THEN ${UPPER_LOUD} ELSE upper(${s}) END`;
}, ([s]) => `CASE WHEN ${upperLoud(s!)} THEN ${UPPER_LOUD} ELSE true END`);
// a NULL delimiter gives NULL (DuckDB splits on nothing: SPLIT('x', NULL) gave ['x'])
def(['SPLIT'], (a, _t, _r, n) => (argCount(a, n, 1, 2), a.tokens.length === 2 ? `CASE WHEN ${a.sql(1)} IS NOT NULL THEN string_split(${a.sql(0)}, ${a.sql(1)}) END` : `string_split(${a.sql(0)}, ',')`));
def(['REGEXP_CONTAINS'], (a, _t, _r, n) => (argCount(a, n, 2), `regexp_matches(${a.sql(0)}, ${a.sql(1)})`));
def(['REGEXP_EXTRACT', 'REGEXP_SUBSTR'], (a, _t, _r, n) => {
  argCount(a, n, 2, 2);
  const g = captureGroup(a, n);
  const [s, re] = [a.sql(0), a.sql(1)];
  const extracted = `regexp_extract(${s}, ${re}, ${g})`;
  const group = g === 1 ? groupBody(a.tokens[1]![0]!.value) : undefined;
  if (!group?.optional) return `CASE WHEN regexp_matches(${s}, ${re}) THEN ${extracted} END`;
  // DuckDB gives '' for a group that took no part in the match, BigQuery NULL: '' from a group that
  // cannot match '' means it did not take part; from one that can, the two cannot be told apart
  const body = quoteString(group.body);
  return `CASE WHEN NOT regexp_matches(${s}, ${re}) THEN NULL WHEN ${extracted} <> '' THEN ${extracted} WHEN NOT regexp_full_match('', ${body}) THEN NULL ELSE error('REGEXP_EXTRACT with an optional group that can match an empty string is not supported by the embedded BigQuery') END`;
});
def(['REGEXP_EXTRACT_ALL'], (a, _t, _r, n) => (argCount(a, n, 2), `regexp_extract_all(${a.sql(0)}, ${a.sql(1)}, ${captureGroup(a, n)})`));
def(['REGEXP_REPLACE'], (a, _t, _r, n) => (argCount(a, n, 3), `regexp_replace(${a.sql(0)}, ${a.sql(1)}, ${a.sql(2)}, 'g')`));
def(['TO_HEX'], (a) => `lower(hex(${a.sql(0)}))`);
def(['INITCAP'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const delims = a.tokens.length === 2 ? a.sql(1) : quoteString(' \t\n\r[](){}/|\\<>!?@"^#$&~_,.:;*%+-');
  const s = a.sql(0);
  // a character is upper-cased when it starts the string or follows a delimiter
  return `array_to_string(list_transform(range(length(${s})), i -> CASE WHEN i = 0 OR contains(${delims}, substring(${s}, i, 1)) THEN upper(substring(${s}, i + 1, 1)) ELSE lower(substring(${s}, i + 1, 1)) END), '')`;
});
// invalid UTF-8: every byte of each ill-formed sequence becomes U+FFFD (ZetaSQL's SafeConvertBytes), in TypeScript
def(['SAFE_CONVERT_BYTES_TO_STRING'], (a, _t, _r, n) => (argCount(a, n, 1), `bq_js_safe_convert_bytes(${a.sql(0)})`));
def(['BYTE_LENGTH', 'OCTET_LENGTH'], (a) => `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN octet_length(TRY_CAST(${a.sql(0)} AS BLOB)) ELSE strlen(TRY_CAST(${a.sql(0)} AS VARCHAR)) END`);
def(['STRING'], (a, t, _r, n) => {
  argCount(a, n, 1, 2);
  // in a zone: that zone's offset, not UTC's (timestamp_functions#string)
  if (a.tokens.length === 2) return timestampText(`CAST(${a.sql(0)} AS TIMESTAMPTZ)`, zoneArg(a, 1));
  const x = noRangeSql(a.sql(0), 'STRING');
  // a TIMESTAMP prints in the default zone (@@time_zone)
  return `CASE WHEN typeof(${x}) = 'JSON' THEN bq_json_strict(TRY_CAST(${x} AS JSON), ['VARCHAR'], 'STRING', json_extract_string(TRY_CAST(${x} AS JSON), '$')) ELSE ${stringOf(x, defaultZone(t))} END`;
});

/**
 * The first capturing group of a literal pattern, and whether it can be left out of a match
 * (a quantifier that allows zero after it, an alternation, or an enclosing group).
 */
function groupBody(re: string): { body: string; optional: boolean } | undefined {
  let open = -1;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      if (open < 0 && re[i + 1] !== '?') {
        open = i;
        if (depth > 0) return { body: groupText(re, i), optional: true };
      }
      depth++;
    } else if (c === ')') depth--;
  }
  if (open < 0) return undefined;
  const body = groupText(re, open);
  const after = re.slice(open + body.length + 2);
  const outside = re.slice(0, open) + after;
  const optional = /^(\?|\*|\{0)/.test(after) || /(?<!\\)\|/.test(outside);
  return { body, optional };
}

/** The text inside the group opening at `open`. */
function groupText(re: string, open: number): string {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return re.slice(open + 1, i);
  }
  return re.slice(open + 1);
}

function captureGroup(a: CallArgs, n: string): number {
  const re = a.tokens[1];
  if (!re || re.length !== 1 || re[0]!.kind !== 'string') throw unsupported(`${n} with a non-literal pattern`);
  const groups = (re[0]!.value.match(/(?<!\\)\((?!\?)/g) ?? []).length;
  if (groups > 1) throw new BigQueryApiError('invalidQuery', `Regular expressions passed into extraction functions must not have more than 1 capturing group`);
  return groups;
}
def(['LENGTH', 'CHAR_LENGTH', 'CHARACTER_LENGTH'], (a, _t, _r, n) => {
  argCount(a, n, 1);
  return `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN octet_length(TRY_CAST(${a.sql(0)} AS BLOB)) ELSE length(TRY_CAST(${a.sql(0)} AS VARCHAR)) END`;
});
def('INSTR', (a, _t, _r, n) => {
  argCount(a, n, 2, 4);
  return `bq_instr(${a.sql(0)}, ${a.sql(1)}, ${a.tokens.length >= 3 ? a.sql(2) : '1'}, ${a.tokens.length >= 4 ? a.sql(3) : '1'})`;
});
// ASCII: the first byte of a BYTES, or the first character of a STRING, which must be ASCII
// (ZetaSQL's FirstCharOfStringToASCII; DuckDB gives the code point of any character, and no BYTES form)
def('ASCII', (a, _t, _r, n) => {
  argCount(a, n, 1);
  const x = a.sql(0);
  const text = `TRY_CAST(${x} AS VARCHAR)`;
  const char = `CASE WHEN ${text} = '' THEN 0 WHEN unicode(${text}) > 127 THEN error('Argument to ASCII is not a structurally valid ASCII string: ''' || ${text} || '''') ELSE unicode(${text}) END`;
  return `CASE WHEN typeof(${x}) = 'BLOB' THEN CASE WHEN octet_length(TRY_CAST(${x} AS BLOB)) = 0 THEN 0 ELSE CAST('0x' || left(hex(${x}), 2) AS BIGINT) END ELSE ${char} END`;
});
def('UNICODE', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN ${a.sql(0)} = '' THEN 0 ELSE unicode(${a.sql(0)}) END`));
def('EDIT_DISTANCE', (a, t, _r, n) => {
  argCount(a, n, 2, 3);
  if (a.tokens.length === 3) {
    const m = a.tokens[2]!;
    if (!(isKeyword(m[0], 'MAX_DISTANCE') && isOp(m[1], '=>'))) throw new BigQueryApiError('invalidQuery', `${n}: the third argument must be max_distance => n`);
    return `least(levenshtein(${a.sql(0)}, ${a.sql(1)}), ${t.sub(m.slice(2))})`;
  }
  return `levenshtein(${a.sql(0)}, ${a.sql(1)})`;
});
def('CODE_POINTS_TO_STRING', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN list_contains(list_transform(${a.sql(0)}, x -> x IS NULL), true) THEN NULL ELSE array_to_string(list_transform(${a.sql(0)}, x -> chr(CAST(x AS INTEGER))), '') END`));
// CODE_POINTS_TO_BYTES: each element a byte 0..255 (BigQuery fails on others)
def('CODE_POINTS_TO_BYTES', (a, _t, _r, n) => (argCount(a, n, 1), `unhex(array_to_string(list_transform(${a.sql(0)}, x -> CASE WHEN x BETWEEN 0 AND 255 THEN printf('%02x', x) ELSE error('CODE_POINTS_TO_BYTES: ' || coalesce(CAST(x AS VARCHAR), 'NULL') || ' is not a valid byte value') END), ''))`));

/**
 * REGEXP_INSTR(source, regexp [, position [, occurrence [, occurrence_position]]]) as ZetaSQL's
 * RegExp::Instr: the 1-based character position of the occurrence-th non-overlapping match found
 * from `position` on (or the position after its end), 0 when there is none, when position passes
 * the end, or when the regexp is empty. The matches are DuckDB's (RE2, like BigQuery's): the pieces
 * between them (string_split_regex) and the matches (regexp_extract_all) add up to the positions.
 * Searching from `position` reads the text from there on, exact unless the pattern looks behind
 * its match (^, \b, \B, \A), which with a position past 1 fails loudly, as do capturing groups
 * (BigQuery gives the group's position) and patterns that can match an empty string.
 */
def('REGEXP_INSTR', (a, _t, _r, n) => {
  argCount(a, n, 2, 5);
  const re = a.tokens[1];
  if (!re || re.length !== 1 || re[0]!.kind !== 'string') throw unsupported(`${n} with a non-literal pattern`);
  const pattern = re[0]!.value;
  const looksBehind = /(^|[^\\[])\^|\\[bBA]/.test(pattern.replace(/\\\\/g, ''));
  if ((pattern.match(/(?<!\\)\((?!\?)|\(\?P</g) ?? []).length > 0) throw unsupported(`${n} with a capturing group`);
  const [s, p, k, op] = [a.sql(0), a.tokens.length >= 3 ? a.sql(2) : '1', a.tokens.length >= 4 ? a.sql(3) : '1', a.tokens.length >= 5 ? a.sql(4) : '0'];
  const r = a.sql(1);
  const fields = `s := ${s}, r := ${r}, p := ${p}, k := ${k}, op := ${op}`;
  const found = `list_transform([struct_pack(t := substring(x.s, x.p), k := x.k, p := x.p, op := x.op, r := x.r)], y -> list_transform([struct_pack(m := regexp_extract_all(y.t, y.r), g := string_split_regex(y.t, y.r), k := y.k, p := y.p, op := y.op)], z ->
    CASE WHEN z.k > len(z.m) THEN 0 ELSE z.p + list_sum(list_transform(z.g[1:z.k], w -> length(w))) + coalesce(list_sum(list_transform(z.m[1:z.k - 1], w -> length(w))), 0) + CASE WHEN z.op = 1 THEN length(z.m[z.k]) ELSE 0 END END)[1])[1]`;
  return `list_transform([struct_pack(${fields})], x -> CASE WHEN x.s IS NULL OR x.r IS NULL OR x.p IS NULL OR x.k IS NULL OR x.op IS NULL THEN NULL
    WHEN x.p < 1 THEN error('Position must be positive') WHEN x.k < 1 THEN error('Occurrence must be positive')
    WHEN x.op NOT IN (0, 1) THEN error('${n}: occurrence_position must be 0 or 1')
    WHEN x.p > length(x.s) OR x.r = '' THEN 0
    WHEN regexp_full_match('', x.r) THEN error('${n} with a regular expression that can match an empty string is not supported by the embedded BigQuery')
    ${looksBehind ? `WHEN x.p > 1 THEN error('${n} from a position past 1 with a pattern that looks behind its match (^, \\b, \\B, \\A) is not supported by the embedded BigQuery')` : ''}
    ELSE ${found} END)[1]`;
}, (args) => {
  // SAFE.: the loud refusals raised outside TRY (the pattern is a literal, checked again here)
  const [s, r, p] = [args[0], args[1], args[2] ?? '1'];
  return `CASE WHEN (${s}) IS NULL OR (${r}) IS NULL OR (${r}) = '' THEN true WHEN regexp_full_match('', ${r}) THEN error('REGEXP_INSTR with a regular expression that can match an empty string is not supported by the embedded BigQuery') WHEN (${p}) > 1 AND regexp_matches(replace(${r}, '\\\\', ''), '(^|[^\\\\[])\\^|\\\\[bBA]') THEN error('REGEXP_INSTR from a position past 1 with a pattern that looks behind its match (^, \\b, \\B, \\A) is not supported by the embedded BigQuery') ELSE true END`;
});
