/** String and BYTES functions. */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import { isKeyword, isOp } from '../tokenizer.js';
import type { CallArgs } from '../translation-context.js';
import { FunctionTable, argCount } from './function-table.js';

export const STRING_FUNCTIONS = new FunctionTable();
const def = STRING_FUNCTIONS.def;

def(['CONCAT'], (a) => (a.tokens.length === 1 ? a.sql(0) : `(${a.all().join(' || ')})`));
def(['SUBSTR', 'SUBSTRING'], (a, _t, _r, n) => (argCount(a, n, 2, 3), `bq_substr(${a.sql(0)}, ${a.sql(1)}, ${a.tokens.length === 3 ? a.sql(2) : 'NULL'})`));
def(['SPLIT'], (a, _t, _r, n) => (argCount(a, n, 1, 2), `string_split(${a.sql(0)}, ${a.tokens.length === 2 ? a.sql(1) : "','"})`));
def(['REGEXP_CONTAINS'], (a, _t, _r, n) => (argCount(a, n, 2), `regexp_matches(${a.sql(0)}, ${a.sql(1)})`));
def(['REGEXP_EXTRACT', 'REGEXP_SUBSTR'], (a, _t, _r, n) => {
  argCount(a, n, 2, 2);
  const g = captureGroup(a, n);
  return `CASE WHEN regexp_matches(${a.sql(0)}, ${a.sql(1)}) THEN regexp_extract(${a.sql(0)}, ${a.sql(1)}, ${g}) END`;
});
def(['REGEXP_EXTRACT_ALL'], (a, _t, _r, n) => (argCount(a, n, 2), `regexp_extract_all(${a.sql(0)}, ${a.sql(1)}, ${captureGroup(a, n)})`));
def(['REGEXP_REPLACE'], (a, _t, _r, n) => (argCount(a, n, 3), `regexp_replace(${a.sql(0)}, ${a.sql(1)}, ${a.sql(2)}, 'g')`));
def(['FORMAT'], (a) => `printf(${a.all().join(', ')})`);
def(['TO_HEX'], (a) => `lower(hex(${a.sql(0)}))`);
def(['INITCAP'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  const delims = a.tokens.length === 2 ? a.sql(1) : quoteString(' \t\n\r[](){}/|\\<>!?@"^#$&~_,.:;*%+-');
  const s = a.sql(0);
  // a character is upper-cased when it starts the string or follows a delimiter
  return `array_to_string(list_transform(range(length(${s})), i -> CASE WHEN i = 0 OR contains(${delims}, substring(${s}, i, 1)) THEN upper(substring(${s}, i + 1, 1)) ELSE lower(substring(${s}, i + 1, 1)) END), '')`;
});
def(['SAFE_CONVERT_BYTES_TO_STRING'], (a) => `TRY_CAST(${a.sql(0)} AS VARCHAR)`);
def(['BYTE_LENGTH', 'OCTET_LENGTH'], (a) => `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN octet_length(TRY_CAST(${a.sql(0)} AS BLOB)) ELSE strlen(TRY_CAST(${a.sql(0)} AS VARCHAR)) END`);
def(['LPAD', 'RPAD'], (a, _t, _r, n) => (argCount(a, n, 2, 3), `${n.toLowerCase()}(${a.sql(0)}, CAST(${a.sql(1)} AS INTEGER), ${a.tokens.length === 3 ? a.sql(2) : "' '"})`));
def(['STRING'], (a, _t, _r, n) => {
  argCount(a, n, 1, 2);
  if (a.tokens.length === 2) return `strftime(timezone(${a.sql(1)}, ${a.sql(0)}), '%Y-%m-%d %H:%M:%S%z')`;
  const x = a.sql(0);
  return `CASE WHEN typeof(${x}) = 'JSON' THEN bq_json_strict(TRY_CAST(${x} AS JSON), ['VARCHAR'], 'STRING', json_extract_string(TRY_CAST(${x} AS JSON), '$')) ELSE bq_to_string(${x}) END`;
});

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
def('TO_CODE_POINTS', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN typeof(${a.sql(0)}) = 'BLOB' THEN error('TO_CODE_POINTS of BYTES is not supported by the embedded BigQuery') ELSE list_transform(string_split(TRY_CAST(${a.sql(0)} AS VARCHAR), ''), c -> unicode(c)) END`));
def('CODE_POINTS_TO_STRING', (a, _t, _r, n) => (argCount(a, n, 1), `CASE WHEN list_contains(list_transform(${a.sql(0)}, x -> x IS NULL), true) THEN NULL ELSE array_to_string(list_transform(${a.sql(0)}, x -> chr(CAST(x AS INTEGER))), '') END`));
