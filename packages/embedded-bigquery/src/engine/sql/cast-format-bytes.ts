/**
 * `CAST(bytes AS STRING FORMAT f)` and `CAST(string AS BYTES FORMAT f)` (format-elements#format_bytes_as_string,
 * #format_string_as_bytes): f is any STRING expression, case-insensitive, one of BASE2, BASE8, BASE16, HEX,
 * BASE32, BASE64, BASE64M, ASCII, UTF-8, UTF8. BASE8 groups 3 bytes into 8 octal digits from the right, the
 * first group shortened (ZetaSQL's ToBase8); BASE64M breaks lines every 76 characters; decoding BASE64 skips
 * whitespace. Error texts are ZetaSQL's (functions/string.cc). SAFE_CAST gives NULL for them. What the
 * implementation's rules leave open stays loud: BASE64 without its padding or with nonzero trailing bits,
 * BASE32 input other than RFC 4648's padded upper-case form, a bad BASE2 digit past a non-ASCII character.
 */
import { quoteString } from '../type-mapping.js';

const FORMATS = ['base2', 'base8', 'base16', 'hex', 'base32', 'base64', 'base64m', 'ascii', 'utf8', 'utf-8'].map(quoteString).join(', ');
const LOUD = ' is not supported by the embedded BigQuery';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Joined hex chunks of `width` digits of the hex string h, each through `each(chunk)`. */
const chunks = (h: string, width: number, each: (c: string) => string): string =>
  `array_to_string(list_transform(range(0, length(${h}) // ${width}), __k -> ${each(`substr(${h}, __k * ${width} + 1, ${width})`)}), '')`;

export const BYTES_FORMAT_MACROS = [
  // BYTES → STRING: the error (NULL when there is none), then the value
  `CREATE OR REPLACE TEMP MACRO bq_bytes_fmt_error(b, f) AS CASE
     WHEN lower(f) NOT IN (${FORMATS}) THEN 'Invalid format ''' || f || ''''
     WHEN lower(f) = 'ascii' AND NOT regexp_full_match(hex(b), '([0-7][0-9A-F])*') THEN 'Failed to decode invalid ASCII string'
     WHEN lower(f) IN ('utf8', 'utf-8') AND try(decode(b)) IS NULL THEN 'A string is not valid UTF-8.' END`,
  `CREATE OR REPLACE TEMP MACRO bq_hex_base8(h, n) AS substr(${chunks(`(repeat('00', (3 - n % 3) % 3) || h)`, 6, (c) => `format('{:08o}', CAST('0x' || ${c} AS BIGINT))`)}, 1 + CASE n % 3 WHEN 1 THEN 5 WHEN 2 THEN 2 ELSE 0 END)`,
  `CREATE OR REPLACE TEMP MACRO bq_hex_base32(h, n) AS list_transform([${chunks(`(h || repeat('00', (5 - n % 5) % 5))`, 10, (c) => `array_to_string(list_transform(range(8), __j -> ${quoteString(B32)}[((CAST('0x' || ${c} AS BIGINT) >> (35 - 5 * __j)) & 31) + 1]), '')`)}], s ->
     CASE n % 5 WHEN 0 THEN s ELSE substr(s, 1, length(s) - 8 + [2, 4, 5, 7][n % 5]) || repeat('=', 8 - [2, 4, 5, 7][n % 5]) END)[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_bytes_fmt_value(b, f) AS CASE lower(f)
     WHEN 'base2' THEN ${chunks('hex(b)', 1, (c) => `lpad(bin(CAST('0x' || ${c} AS BIGINT)), 4, '0')`)}
     WHEN 'base8' THEN bq_hex_base8(hex(b), octet_length(b))
     WHEN 'base16' THEN lower(hex(b)) WHEN 'hex' THEN lower(hex(b))
     WHEN 'base32' THEN bq_hex_base32(hex(b), octet_length(b))
     WHEN 'base64' THEN to_base64(b)
     WHEN 'base64m' THEN list_transform([to_base64(b)], s -> array_to_string(list_transform(range(0, greatest(1, (length(s) + 75) // 76)), __k -> substr(s, __k * 76 + 1, 76)), chr(10)))[1]
     ELSE decode(b) END`,
  // STRING → BYTES. BASE2's error names the first bad digit of the right-most 8-digit group holding one, at its offset in that group (ZetaSQL's FromBase2)
  `CREATE OR REPLACE TEMP MACRO bq_base2_error(s) AS list_transform([list_filter(range(length(s)), p -> s[p + 1] NOT IN ('0', '1'))], bad -> CASE WHEN len(bad) = 0 THEN NULL
     WHEN NOT regexp_full_match(s, '[\\x00-\\x7f]*') THEN 'CAST of a STRING with a non-ASCII character to BYTES FORMAT ''BASE2''${LOUD}'
     ELSE list_transform([list_sort(bad, 'ASC')], ps -> list_transform([list_min(list_transform(ps, p -> (length(s) - 1 - p) // 8))], g -> list_transform([list_min(list_filter(ps, p -> (length(s) - 1 - p) // 8 = g))], p ->
       'Failed to decode invalid base2 string due to character ''' || s[p + 1] || ''' at offset ' || (p - greatest(0, length(s) - 8 * (g + 1))))[1])[1])[1] END)[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_base64_strip(s) AS regexp_replace(s, '[ \\t\\n\\v\\f\\r]', '', 'g')`,
  `CREATE OR REPLACE TEMP MACRO bq_string_fmt_error(s, f) AS CASE
     WHEN lower(f) NOT IN (${FORMATS}) THEN 'Invalid format ''' || f || ''''
     WHEN lower(f) = 'base2' THEN bq_base2_error(s)
     WHEN lower(f) = 'base8' AND NOT regexp_full_match(s, '[0-7]*') THEN 'Failed to decode invalid base8 string'
     WHEN lower(f) IN ('base16', 'hex') AND NOT regexp_full_match(s, '[0-9A-Fa-f]*') THEN 'Failed to decode invalid hexadecimal string due to character at offset ' || length(regexp_extract(s, '^[0-9A-Fa-f]*')) || ': ' || s
     WHEN lower(f) IN ('base64', 'base64m') AND (NOT regexp_full_match(bq_base64_strip(s), '[A-Za-z0-9+/=]*') OR length(bq_base64_strip(s)) % 4 = 1) THEN 'Failed to decode invalid base64 string'
     WHEN lower(f) IN ('base64', 'base64m') AND NOT regexp_full_match(bq_base64_strip(s), '([A-Za-z0-9+/]{4})*([A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?') THEN 'CAST of this STRING to BYTES FORMAT ''BASE64'' (unpadded, padded oddly or with nonzero trailing bits)${LOUD}'
     WHEN lower(f) = 'base32' AND NOT regexp_full_match(s, '([A-Z2-7]{8})*([A-Z2-7][AEIMQUY4]={6}|[A-Z2-7]{3}[AQ]={4}|[A-Z2-7]{4}[ACEGIKMOQSUWY246]={3}|[A-Z2-7]{6}[AIQY]=)?') THEN 'CAST of a STRING other than padded upper-case RFC 4648 to BYTES FORMAT ''BASE32''${LOUD}'
     WHEN lower(f) = 'ascii' AND NOT regexp_full_match(s, '[\\x00-\\x7f]*') THEN 'Failed to decode invalid ASCII string' END`,
  `CREATE OR REPLACE TEMP MACRO bq_base32_hex(s) AS list_transform([rtrim(s, '=')], t -> list_transform([${chunks(`(t || repeat('A', (8 - length(t) % 8) % 8))`, 8, (c) =>
    `format('{:010x}', list_sum(list_transform(range(8), __j -> CAST(strpos(${quoteString(B32)}, ${c}[__j + 1]) - 1 AS BIGINT) << (35 - 5 * __j))))`)}], h -> substr(h, 1, length(h) - 2 * [0, 0, 4, 0, 3, 2, 0, 1][length(t) % 8 + 1]))[1])[1]`,
  `CREATE OR REPLACE TEMP MACRO bq_string_fmt_value(s, f) AS CASE lower(f)
     WHEN 'base2' THEN unhex(${chunks(`(repeat('0', (8 - length(s) % 8) % 8) || s)`, 8, (c) => `format('{:02x}', CAST('0b' || ${c} AS BIGINT))`)})
     WHEN 'base8' THEN list_transform([${chunks(`(repeat('0', (8 - length(s) % 8) % 8) || s)`, 8, (c) => `format('{:06x}', list_sum(list_transform(range(8), __j -> CAST(${c}[__j + 1] AS BIGINT) << (21 - 3 * __j))))`)}], h ->
       unhex(substr(h, 1 + 2 * (3 - [3, 1, 1, 1, 2, 2, 2, 3][length(s) % 8 + 1]) * CASE WHEN length(s) % 8 = 0 THEN 0 ELSE 1 END)))[1]
     WHEN 'base16' THEN unhex(CASE WHEN length(s) % 2 = 1 THEN '0' || s ELSE s END) WHEN 'hex' THEN unhex(CASE WHEN length(s) % 2 = 1 THEN '0' || s ELSE s END)
     WHEN 'base32' THEN unhex(bq_base32_hex(s))
     WHEN 'base64' THEN from_base64(bq_base64_strip(s)) WHEN 'base64m' THEN from_base64(bq_base64_strip(s))
     ELSE encode(s) END`,
];

/**
 * The SQL of the cast of `value` (BYTES to STRING when `toString`, else STRING to BYTES) under the format
 * expression `format`, each evaluated once; `safe`: SAFE_CAST (an error is NULL, what stays loud still fails).
 */
export function bytesFormatCast(value: string, format: string, toString: boolean, safe: boolean): string {
  const [error, val] = toString ? ['bq_bytes_fmt_error', 'bq_bytes_fmt_value'] : ['bq_string_fmt_error', 'bq_string_fmt_value'];
  const failed = safe ? `CASE WHEN ends_with(__bq_e, ${quoteString(LOUD)}) THEN error(__bq_e) END` : 'error(__bq_e)';
  const body = `CASE WHEN __bq_v IS NULL OR __bq_f IS NULL THEN NULL ELSE list_transform([${error}(__bq_v, __bq_f)], __bq_e -> CASE WHEN __bq_e IS NULL THEN ${val}(__bq_v, __bq_f) ELSE ${failed} END)[1] END`;
  // STRING to BYTES takes a STRING only (BigQuery refuses other types when it reads the query)
  const typed = toString ? `CAST(${value} AS BLOB)` : `CAST(${stringOnly(value, 'BYTES')} AS VARCHAR)`;
  return `list_transform([${typed}], __bq_v -> list_transform([CAST(${format} AS VARCHAR)], __bq_f -> ${body})[1])[1]`;
}

/** `value`, refused loudly unless it is a STRING (or NULL), for CAST(value AS <target> FORMAT ...). */
export function stringOnly(value: string, target: string): string {
  return `list_transform([${value}], __bq_s -> CASE WHEN typeof(__bq_s) IN ('VARCHAR', '"NULL"') THEN __bq_s ELSE error(${quoteString(`CAST ... FORMAT of a value other than a STRING to ${target}${LOUD}`)}) END)[1]`;
}
