/**
 * String functions that also take BYTES (string_functions: LEFT, RIGHT, LPAD, RPAD, REVERSE, TRIM,
 * LTRIM, RTRIM, SUBSTR, STARTS_WITH, ENDS_WITH, REPEAT, STRPOS, TO_CODE_POINTS; array_functions:
 * ARRAY_TO_STRING). Each is a typed macro with a VARCHAR and a BLOB overload, so DuckDB picks by
 * the argument's static type and the result is STRING for STRING and BYTES for BYTES. DuckDB has
 * almost no BLOB functions, so the BYTES bodies work on the hex text (two characters a byte, every
 * offset doubled) and unhex the result. The STRING bodies follow ZetaSQL's string.cc: code points,
 * not graphemes (DuckDB's reverse() keeps combining marks with their base), errors for negative
 * lengths, Unicode White_Space for TRIM without a set (DuckDB trims only U+0020).
 */
import { isKeyword } from '../tokenizer.js';
import type { CallArgs } from '../translation-context.js';
import { callKey, hasAggregate, overloadedMacros, sameTypeChoice, typedCall } from './typed-macros.js';
import { FunctionTable, argCount, type SafeGuard } from './function-table.js';

/** Unicode White_Space (ICU's UCHAR_WHITE_SPACE, which ZetaSQL's TRIM uses) as an RE2 class. */
const WHITE_SPACE = '[\\x{9}-\\x{d}\\x{20}\\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]';

const negative = (fn: string, what = 'Second argument'): string => `error('${what} in ${fn}() cannot be negative')`;
// ZetaSQL's 1MB output limit (functions/string.cc): a larger LPAD, RPAD or REPEAT fails rather than allocate it
const MAX_OUTPUT = 1048576;
const PAD_TOO_LONG = (n: string): string => `WHEN ${n} > ${MAX_OUTPUT} THEN error('Output of LPAD/RPAD exceeds max allowed output size of 1MB')`;
const repeatErrors = (size: string, n: string): string =>
  `WHEN ${n} < 0 THEN error('Second argument (repeat count) for REPEAT cannot be negative') WHEN ${size} > 0 AND ${n} > ${MAX_OUTPUT} // ${size} THEN error('Output of REPEAT exceeds max allowed output size of 1MB')`;
const padErrors = (n: string, p: string): string =>
  `WHEN ${n} < 0 THEN error('Second argument (output size) for LPAD/RPAD cannot be negative') ${PAD_TOO_LONG(n)} WHEN length(${p}) = 0 THEN error('Third argument (pad pattern) for LPAD/RPAD cannot be empty')`;
const padBytesErrors = (n: string, p: string): string =>
  `WHEN ${n} < 0 THEN error('Second argument (output size) for LPAD/RPAD cannot be negative') ${PAD_TOO_LONG(n)} WHEN octet_length(${p}) = 0 THEN error('Third argument (pad pattern) for LPAD/RPAD cannot be empty')`;
/** The pairs of hex digits of a BLOB, one per byte. */
const pairs = (b: string): string => `regexp_extract_all(hex(${b}), '..')`;
/** An RE2 alternation of the bytes of a BLOB set, as hex pairs ('(?:41|42)'). */
const byteSet = (set: string): string => `'(?:' || array_to_string(${pairs(set)}, '|') || ')+'`;
/** The combining marks the STRING TRIM with a set refuses (see the note on TRIM below). */
const combining = (set: string, fn: string): string =>
  `WHEN regexp_matches(${set}, '[\u0300-\u036f]') THEN error('${fn} with a set of characters holding a combining mark is not supported by the embedded BigQuery')`;

const start = (p: string, len: string): string => `CASE WHEN ${p} = 0 THEN 1 WHEN ${p} < 0 THEN greatest(${len} + ${p} + 1, 1) ELSE ${p} END`;
const substrText = (s: string, p: string, l: string): string =>
  `CASE WHEN ${l} < 0 THEN ${negative('SUBSTR', 'Third argument')} ELSE substring(${s}, ${start(p, `length(${s})`)}, coalesce(${l}, length(${s}) + 1)) END`;
const substrBytes = (s: string, p: string, l: string): string =>
  `CASE WHEN ${l} < 0 THEN ${negative('SUBSTR', 'Third argument')} ELSE unhex(substring(hex(${s}), 2 * ${start(p, `octet_length(${s})`)} - 1, 2 * coalesce(${l}, octet_length(${s}) + 1))) END`;

interface Overloads {
  /** Parameter lists: the STRING one and the BYTES one (the same names). */
  params: string[];
  /** Which parameters carry the STRING/BYTES type (the others stay untyped). */
  typed: number[];
  str: (...p: string[]) => string;
  bytes: (...p: string[]) => string;
}

/** macro name → its overloads by argument count. */
const MACROS_BY_NAME: Record<string, Overloads[]> = {
  bq_left: [{ params: ['s', 'n'], typed: [0], str: (s, n) => `CASE WHEN ${n} < 0 THEN ${negative('LEFT')} ELSE left(${s}, ${n}) END`, bytes: (s, n) => `CASE WHEN ${n} < 0 THEN ${negative('LEFT')} ELSE unhex(left(hex(${s}), 2 * ${n})) END` }],
  bq_right: [{ params: ['s', 'n'], typed: [0], str: (s, n) => `CASE WHEN ${n} < 0 THEN ${negative('RIGHT')} ELSE right(${s}, ${n}) END`, bytes: (s, n) => `CASE WHEN ${n} < 0 THEN ${negative('RIGHT')} ELSE unhex(right(hex(${s}), 2 * ${n})) END` }],
  bq_lpad: [
    { params: ['s', 'n'], typed: [0], str: (s, n) => `CASE ${padErrors(n, "' '")} ELSE lpad(${s}, CAST(${n} AS INTEGER), ' ') END`, bytes: (s, n) => `CASE ${padBytesErrors(n, "'\\x20'::BLOB")} ELSE unhex(lpad(hex(${s}), CAST(2 * ${n} AS INTEGER), '20')) END` },
    { params: ['s', 'n', 'p'], typed: [0, 2], str: (s, n, p) => `CASE ${padErrors(n, p!)} ELSE lpad(${s}, CAST(${n} AS INTEGER), ${p}) END`, bytes: (s, n, p) => `CASE ${padBytesErrors(n, p!)} ELSE unhex(lpad(hex(${s}), CAST(2 * ${n} AS INTEGER), hex(${p}))) END` },
  ],
  bq_rpad: [
    { params: ['s', 'n'], typed: [0], str: (s, n) => `CASE ${padErrors(n, "' '")} ELSE rpad(${s}, CAST(${n} AS INTEGER), ' ') END`, bytes: (s, n) => `CASE ${padBytesErrors(n, "'\\x20'::BLOB")} ELSE unhex(rpad(hex(${s}), CAST(2 * ${n} AS INTEGER), '20')) END` },
    { params: ['s', 'n', 'p'], typed: [0, 2], str: (s, n, p) => `CASE ${padErrors(n, p!)} ELSE rpad(${s}, CAST(${n} AS INTEGER), ${p}) END`, bytes: (s, n, p) => `CASE ${padBytesErrors(n, p!)} ELSE unhex(rpad(hex(${s}), CAST(2 * ${n} AS INTEGER), hex(${p}))) END` },
  ],
  // code points reversed (ZetaSQL's ReverseUtf8), not graphemes
  bq_reverse: [{ params: ['s'], typed: [0], str: (s) => `array_to_string(list_reverse(string_split(${s}, '')), '')`, bytes: (s) => `unhex(array_to_string(list_reverse(${pairs(s)}), ''))` }],
  bq_repeat: [{ params: ['s', 'n'], typed: [0], str: (s, n) => `CASE ${repeatErrors(`strlen(${s})`, n)} ELSE repeat(CAST(${s} AS VARCHAR), ${n}) END`, bytes: (s, n) => `CASE ${repeatErrors(`octet_length(${s})`, n)} ELSE unhex(repeat(hex(${s}), ${n})) END` }],
  bq_starts_with: [{ params: ['s', 'x'], typed: [0, 1], str: (s, x) => `starts_with(${s}, ${x})`, bytes: (s, x) => `starts_with(hex(${s}), hex(${x}))` }],
  // a suffix of whole hex pairs starts at an even offset, so the hex test is the bytes test
  bq_ends_with: [{ params: ['s', 'x'], typed: [0, 1], str: (s, x) => `ends_with(${s}, ${x})`, bytes: (s, x) => `ends_with(hex(${s}), hex(${x}))` }],
  bq_strpos: [{
    params: ['s', 'x'], typed: [0, 1], str: (s, x) => `strpos(${s}, ${x})`,
    bytes: (s, x) => `coalesce(list_filter(range(0, octet_length(${s}) - octet_length(${x}) + 1), i -> substring(hex(${s}), 2 * i + 1, 2 * octet_length(${x})) = hex(${x}))[1] + 1, 0)`,
  }],
  // SUBSTR: 1-based position, 0 taken as 1, negative from the end; a negative length is an error
  bq_substr: [
    { params: ['s', 'p'], typed: [0], str: (s, p) => substrText(s, p, 'NULL'), bytes: (s, p) => substrBytes(s, p, 'NULL') },
    { params: ['s', 'p', 'l'], typed: [0], str: (s, p, l) => substrText(s, p, l!), bytes: (s, p, l) => substrBytes(s, p, l!) },
  ],
  bq_to_code_points: [{ params: ['s'], typed: [0], str: (s) => `CASE WHEN ${s} = '' THEN CAST([] AS BIGINT[]) ELSE list_transform(string_split(${s}, ''), c -> CAST(unicode(c) AS BIGINT)) END`, bytes: (s) => `list_transform(${pairs(s)}, x -> CAST('0x' || x AS BIGINT))` }],
  // TRIM without a set removes Unicode White_Space; BYTES need a set (BigQuery has no BYTES form without one)
  bq_trim: [
    { params: ['s'], typed: [0], str: (s) => `regexp_replace(regexp_replace(${s}, '^${WHITE_SPACE}+', ''), '${WHITE_SPACE}+$', '')`, bytes: () => `error('No matching signature for function TRIM for argument types: BYTES. Supported signatures: TRIM(STRING, [STRING]); TRIM(BYTES, BYTES)')` },
    { params: ['s', 'c'], typed: [0, 1], str: (s, c) => `CASE ${combining(c!, 'TRIM')} ELSE trim(${s}, ${c}) END`, bytes: (s, c) => `CASE WHEN octet_length(${c}) = 0 THEN ${s} ELSE unhex(regexp_replace(regexp_replace(hex(${s}), '^' || ${byteSet(c!)}, ''), ${byteSet(c!)} || '$', '')) END` },
  ],
  bq_ltrim: [
    { params: ['s'], typed: [0], str: (s) => `regexp_replace(${s}, '^${WHITE_SPACE}+', '')`, bytes: () => `error('No matching signature for function LTRIM for argument types: BYTES. Supported signatures: LTRIM(STRING, [STRING]); LTRIM(BYTES, BYTES)')` },
    { params: ['s', 'c'], typed: [0, 1], str: (s, c) => `CASE ${combining(c!, 'LTRIM')} ELSE ltrim(${s}, ${c}) END`, bytes: (s, c) => `CASE WHEN octet_length(${c}) = 0 THEN ${s} ELSE unhex(regexp_replace(hex(${s}), '^' || ${byteSet(c!)}, '')) END` },
  ],
  // a trailing run of whole pairs: a match from an odd offset would leave an odd number of digits, so it cannot reach the end
  bq_rtrim: [
    { params: ['s'], typed: [0], str: (s) => `regexp_replace(${s}, '${WHITE_SPACE}+$', '')`, bytes: () => `error('No matching signature for function RTRIM for argument types: BYTES. Supported signatures: RTRIM(STRING, [STRING]); RTRIM(BYTES, BYTES)')` },
    { params: ['s', 'c'], typed: [0, 1], str: (s, c) => `CASE ${combining(c!, 'RTRIM')} ELSE rtrim(${s}, ${c}) END`, bytes: (s, c) => `CASE WHEN octet_length(${c}) = 0 THEN ${s} ELSE unhex(regexp_replace(hex(${s}), ${byteSet(c!)} || '$', '')) END` },
  ],
};

const typedParams = (o: Overloads, type: string): string =>
  o.params.map((p, k) => (o.typed.includes(k) ? `${p} ${type}` : p)).join(', ');

/** The typed macros (installed with the others in macros.ts). */
export const BYTES_MACROS = [
  ...Object.entries(MACROS_BY_NAME).map(([name, overloads]) => {
    const forms = overloads.flatMap((o) => [
      { suffix: `varchar_${o.params.length}`, params: typedParams(o, 'VARCHAR'), body: o.str(...o.params) },
      { suffix: `blob_${o.params.length}`, params: typedParams(o, 'BLOB'), body: o.bytes(...o.params) },
    ]);
    return overloadedMacros(name, forms);
  }).flat(),
];

/**
 * ARRAY_TO_STRING joins with DuckDB's array_to_string, whose separator must be a constant when the
 * call is bound (so it cannot sit in a macro body): BYTES elements and separators go in as hex
 * text (bq_hex_of), and the joined text comes out as BYTES when the array is of BYTES (bq_unhex_as).
 */
const ARRAY_TO_STRING_MACROS = [
  ...overloadedMacros('bq_hex_of', [{ suffix: 'varchar', params: 'x VARCHAR', body: 'x' }, { suffix: 'blob', params: 'x BLOB', body: 'hex(x)' }]),
  ...overloadedMacros('bq_unhex_as', [{ suffix: 'varchar', params: 'a VARCHAR[], t', body: 't' }, { suffix: 'blob', params: 'a BLOB[], t', body: 'unhex(t)' }]),
];
BYTES_MACROS.push(...ARRAY_TO_STRING_MACROS);

export const BYTES_FUNCTIONS = new FunctionTable();

/**
 * GoogleSQL name → macro. A literal NULL first argument is a STRING NULL (DuckDB would pick the
 * BLOB overload), and arguments holding aggregates take the STRING body inline (DuckDB resolves
 * an overloaded macro before it binds aggregates, and refuses the call as ambiguous).
 */
function defTyped(names: string[], macro: string, min: number, max: number, guard?: SafeGuard): void {
  BYTES_FUNCTIONS.def(names, (a: CallArgs, t, raw, n) => {
    argCount(a, n, min, max);
    const args = a.all();
    const untypedNull = a.tokens[0]!.length === 1 && isKeyword(a.tokens[0]![0], 'NULL');
    if (untypedNull || args.some(hasAggregate)) {
      const o = MACROS_BY_NAME[macro]!.find((x) => x.params.length === args.length)!;
      return `(${o.str(...args.map((x) => `(${x})`))})`;
    }
    const typed = MACROS_BY_NAME[macro]!.find((x) => x.params.length === args.length)?.typed ?? [0];
    return typedCall(t.env?.arrayPaths, callKey(raw, macro, args), macro, args, typed, sameTypeChoice({ VARCHAR: `varchar_${args.length}`, BLOB: `blob_${args.length}` }));
  }, guard);
}
/** SAFE.TRIM and its kin: the combining-mark refusal raised outside SAFE.'s TRY (STRING sets only). */
const trimGuard = (fn: string): SafeGuard => ([, set]) =>
  set === undefined ? 'true' : `CASE WHEN typeof(${set}) = 'VARCHAR' AND regexp_matches(TRY_CAST(${set} AS VARCHAR), '[\u0300-\u036f]') THEN error('${fn} with a set of characters holding a combining mark is not supported by the embedded BigQuery') ELSE true END`;
defTyped(['LEFT'], 'bq_left', 2, 2);
defTyped(['RIGHT'], 'bq_right', 2, 2);
defTyped(['LPAD'], 'bq_lpad', 2, 3);
defTyped(['RPAD'], 'bq_rpad', 2, 3);
defTyped(['REVERSE'], 'bq_reverse', 1, 1);
defTyped(['REPEAT'], 'bq_repeat', 2, 2);
defTyped(['STARTS_WITH'], 'bq_starts_with', 2, 2);
defTyped(['ENDS_WITH'], 'bq_ends_with', 2, 2);
defTyped(['STRPOS'], 'bq_strpos', 2, 2);
defTyped(['SUBSTR', 'SUBSTRING'], 'bq_substr', 2, 3);
defTyped(['TO_CODE_POINTS'], 'bq_to_code_points', 1, 1);
// TRIM with a set holding a combining mark fails loudly: the reference shows BigQuery trimming such
// sequences otherwise than per code point (string_functions#trim, example 3)
defTyped(['TRIM'], 'bq_trim', 1, 2, trimGuard('TRIM'));
defTyped(['LTRIM'], 'bq_ltrim', 1, 2, trimGuard('LTRIM'));
defTyped(['RTRIM'], 'bq_rtrim', 1, 2, trimGuard('RTRIM'));
BYTES_FUNCTIONS.def('ARRAY_TO_STRING', (a, t, raw, n) => {
  argCount(a, n, 2, 3);
  const [arr, d] = [a.sql(0), a.sql(1)];
  const element = a.tokens.length === 3 ? `coalesce(x, ${a.sql(2)})` : 'x';
  if (hasAggregate(arr)) return `array_to_string(list_transform(${arr}, x -> ${element}), ${d})`;
  const paths = t.env?.arrayPaths;
  const hexOf = (x: string): string => typedCall(paths, callKey(raw, 'bq_hex_of', [x]), 'bq_hex_of', [x], [0], sameTypeChoice({ VARCHAR: 'varchar', BLOB: 'blob' }));
  const joined = `array_to_string(list_transform(${arr}, x -> ${hexOf(element)}), ${hexOf(d)})`;
  return typedCall(paths, callKey(raw, 'bq_unhex_as', [arr]), 'bq_unhex_as', [arr, joined], [0], sameTypeChoice({ 'VARCHAR[]': 'varchar', 'BLOB[]': 'blob' }));
});
