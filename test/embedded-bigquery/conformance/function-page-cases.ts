/**
 * Cases from GoogleSQL function pages the earlier suites did not cover, each citing its page
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/<page>). Expected values are the
 * page's printed results or computed by hand from the page's definition (noted), never by the engine.
 * INT64 results are cast to STRING in the query so the client's number decoding cannot round them.
 */
import type { ConformanceCase } from './conformance-cases.js';

const REF = 'https://cloud.google.com/bigquery/docs/reference/standard-sql/';
const LOUD = /not supported by the embedded BigQuery/;

/** A published FarmHash Fingerprint64 test vector (unsigned hex) as BigQuery's signed INT64. */
const signed = (hex: string): string => BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';

const hash = `${REF}hash_functions`;
const net = `${REF}net_functions`;

export const FUNCTION_PAGE_CASES: ConformanceCase[] = [
  // ---- hash_functions#farm_fingerprint: the page's example, then other lengths of input ----
  {
    name: 'FARM_FINGERPRINT page example', area: 'strings', page: `${hash}#farm_fingerprint`,
    sql: `WITH example AS (SELECT 1 AS x, "foo" AS y, true AS z UNION ALL SELECT 2 AS x, "apple" AS y, false AS z UNION ALL SELECT 3 AS x, "" AS y, true AS z)
      SELECT x, CAST(FARM_FINGERPRINT(CONCAT(CAST(x AS STRING), y, CAST(z AS STRING))) AS STRING) FROM example ORDER BY x`,
    rows: [['1', '-1541654101129638711'], ['2', '2794438866806483259'], ['3', '-4880158226897771312']],
  },
  // BigQuery's answer for "alphabet" as published next to Guava's and pyfarmhash's; the empty input is the constant k2
  { name: 'FARM_FINGERPRINT of STRING and of the same BYTES', area: 'strings', page: `${hash}#farm_fingerprint`, sql: "SELECT CAST(FARM_FINGERPRINT('alphabet') AS STRING), CAST(FARM_FINGERPRINT(b'alphabet') AS STRING), CAST(FARM_FINGERPRINT('') AS STRING), FARM_FINGERPRINT(NULL)", rows: [['-2427165924636348523', '-2427165924636348523', signed('9ae16a3b2f90404f'), null]] },
  // FarmHash's own test vectors (Fingerprint64 = farmhashna::Hash64) for 27, 41, 68, 88 and 445 bytes: every branch of the algorithm
  {
    name: 'FARM_FINGERPRINT over every input length class', area: 'strings', page: `${hash}#farm_fingerprint`,
    sql: `SELECT CAST(FARM_FINGERPRINT("Nepal premier won't resign.") AS STRING), CAST(FARM_FINGERPRINT('Discard medicine more than two years old.') AS STRING), CAST(FARM_FINGERPRINT("You remind me of a TV show, but that's all right: I watch it anyway.") AS STRING), CAST(FARM_FINGERPRINT('There is no reason for any individual to have a computer in their home. -Ken Olsen, 1977') AS STRING), CAST(FARM_FINGERPRINT('${LOREM}') AS STRING)`,
    rows: [[signed('8eb3808d1ccfc779'), signed('e8f89ab6df9bdd25'), signed('abcdb319fcf2826c'), signed('7e85d7b050ed2967'), signed('c3f02c4ffd5d71e6')]],
  },
  // a non-ASCII STRING is fingerprinted as its UTF-8 bytes (FarmHash vector for "0123456789%0123456789£", 22 bytes)
  { name: 'FARM_FINGERPRINT of non-ASCII text uses its UTF-8 bytes', area: 'strings', page: `${hash}#farm_fingerprint`, sql: "SELECT CAST(FARM_FINGERPRINT('0123456789%0123456789£') AS STRING), FARM_FINGERPRINT(CAST('0123456789%0123456789£' AS BYTES)) = FARM_FINGERPRINT('0123456789%0123456789£')", rows: [[signed('4dbd128af51d77e8'), 'true']] },
  { name: 'FARM_FINGERPRINT of an INT64 is an error', area: 'strings', page: `${hash}#farm_fingerprint`, sql: 'SELECT FARM_FINGERPRINT(1)', error: /No matching signature/ },

  // ---- net_functions (values by hand from each function's definition; network byte order) ----
  { name: 'NET.IP_FROM_STRING IPv4, IPv6, IPv4-mapped', area: 'strings', page: `${net}#netip_from_string`, sql: "SELECT TO_HEX(NET.IP_FROM_STRING('48.49.50.51')), TO_HEX(NET.IP_FROM_STRING('::1')), TO_HEX(NET.IP_FROM_STRING('3031:3233:3435:3637:3839:4041:4243:4445')), TO_HEX(NET.IP_FROM_STRING('::ffff:192.0.2.128')), NET.IP_FROM_STRING(NULL)", rows: [['30313233', '00000000000000000000000000000001', '30313233343536373839404142434445', '00000000000000000000ffffc0000280', null]] },
  { name: 'NET.IP_FROM_STRING of an unparseable address is an error', area: 'strings', page: `${net}#netip_from_string`, sql: "SELECT NET.IP_FROM_STRING('::wxyz')", error: /unparseable IP-address/ },
  { name: 'NET.IP_FROM_STRING of CIDR notation is an error', area: 'strings', page: `${net}#netip_from_string`, sql: "SELECT NET.IP_FROM_STRING('1.2.3.4/24')", error: /unparseable IP-address/ },
  { name: 'NET.SAFE_IP_FROM_STRING gives NULL where IP_FROM_STRING fails', area: 'strings', page: `${net}#netsafe_ip_from_string`, sql: "SELECT NET.SAFE_IP_FROM_STRING('::wxyz'), NET.SAFE_IP_FROM_STRING('1.2.3.4/24'), TO_HEX(NET.SAFE_IP_FROM_STRING('1.2.3.4')), SAFE.NET.IP_FROM_STRING('256.1.1.1')", rows: [[null, null, '01020304', null]] },
  { name: 'NET.IP_TO_STRING IPv4, IPv6, mapped, loopback', area: 'strings', page: `${net}#netip_to_string`, sql: "SELECT NET.IP_TO_STRING(b'0123'), NET.IP_TO_STRING(b'0123456789@ABCDE'), NET.IP_TO_STRING(FROM_HEX('00000000000000000000ffffc0000280')), NET.IP_TO_STRING(FROM_HEX('00000000000000000000000000000001')), NET.IP_TO_STRING(FROM_HEX('20010db8000000000001000000000001'))", rows: [['48.49.50.51', '3031:3233:3435:3637:3839:4041:4243:4445', '::ffff:192.0.2.128', '::1', '2001:db8::1:0:0:1']] },
  { name: 'NET.IP_TO_STRING of 3 bytes is an error', area: 'strings', page: `${net}#netip_to_string`, sql: "SELECT NET.IP_TO_STRING(b'abc')", error: /4 or 16 bytes/ },
  { name: 'NET.IP_TO_STRING of an IPv4-compatible IPv6 address fails loudly', area: 'unsupported', page: `${net}#netip_to_string`, sql: "SELECT NET.IP_TO_STRING(FROM_HEX('000000000000000000000000c0000280'))", error: LOUD },
  { name: 'NET.IP_NET_MASK', area: 'strings', page: `${net}#netip_net_mask`, sql: 'SELECT TO_HEX(NET.IP_NET_MASK(4, 0)), TO_HEX(NET.IP_NET_MASK(4, 20)), TO_HEX(NET.IP_NET_MASK(4, 32)), TO_HEX(NET.IP_NET_MASK(16, 1)), NET.IP_TO_STRING(NET.IP_NET_MASK(16, 64))', rows: [['00000000', 'fffff000', 'ffffffff', '80000000000000000000000000000000', 'ffff:ffff:ffff:ffff::']] },
  { name: 'NET.IP_NET_MASK with a prefix longer than the address is an error', area: 'strings', page: `${net}#netip_net_mask`, sql: 'SELECT NET.IP_NET_MASK(4, 33)', error: /prefix length/ },
  { name: 'NET.IP_NET_MASK of 5 bytes is an error', area: 'strings', page: `${net}#netip_net_mask`, sql: 'SELECT NET.IP_NET_MASK(5, 1)', error: /4 or 16/ },
  { name: 'NET.IP_TRUNC', area: 'strings', page: `${net}#netip_trunc`, sql: "SELECT TO_HEX(NET.IP_TRUNC(b'\\xAA\\xBB\\xCC\\xDD', 0)), TO_HEX(NET.IP_TRUNC(b'\\xAA\\xBB\\xCC\\xDD', 11)), TO_HEX(NET.IP_TRUNC(b'\\xAA\\xBB\\xCC\\xDD', 12)), TO_HEX(NET.IP_TRUNC(b'\\xAA\\xBB\\xCC\\xDD', 24)), TO_HEX(NET.IP_TRUNC(b'\\xAA\\xBB\\xCC\\xDD', 32))", rows: [['00000000', 'aaa00000', 'aab00000', 'aabbcc00', 'aabbccdd']] },
  { name: 'NET.IP_TRUNC beyond the address length is an error', area: 'strings', page: `${net}#netip_trunc`, sql: "SELECT NET.IP_TRUNC(b'\\xAA\\xBB\\xCC\\xDD', 33)", error: /prefix length/ },
  { name: 'NET.IPV4_FROM_INT64 over its range', area: 'strings', page: `${net}#netipv4_from_int64`, sql: 'SELECT TO_HEX(NET.IPV4_FROM_INT64(0)), TO_HEX(NET.IPV4_FROM_INT64(0xABCDEF)), TO_HEX(NET.IPV4_FROM_INT64(0xFFFFFFFF)), TO_HEX(NET.IPV4_FROM_INT64(-1)), TO_HEX(NET.IPV4_FROM_INT64(-0x80000000))', rows: [['00000000', '00abcdef', 'ffffffff', 'ffffffff', '80000000']] },
  { name: 'NET.IPV4_FROM_INT64 outside [-0x80000000, 0xFFFFFFFF] is an error', area: 'strings', page: `${net}#netipv4_from_int64`, sql: 'SELECT NET.IPV4_FROM_INT64(0x100000000)', error: /out of range/ },
  { name: 'NET.IPV4_TO_INT64', area: 'strings', page: `${net}#netipv4_to_int64`, sql: "SELECT CAST(NET.IPV4_TO_INT64(b'\\x00\\x00\\x00\\x00') AS STRING), CAST(NET.IPV4_TO_INT64(b'\\x00\\xab\\xcd\\xef') AS STRING), CAST(NET.IPV4_TO_INT64(b'\\xff\\xff\\xff\\xff') AS STRING)", rows: [['0', '11259375', '4294967295']] },
  { name: 'NET.IPV4_TO_INT64 of 16 bytes is an error', area: 'strings', page: `${net}#netipv4_to_int64`, sql: "SELECT NET.IPV4_TO_INT64(NET.IP_FROM_STRING('::1'))", error: /Expected 4 bytes/ },
  // the page's table of inputs (host column)
  {
    name: 'NET.HOST page example', area: 'strings', page: `${net}#nethost`,
    sql: `SELECT k, NET.HOST(input) FROM UNNEST([STRUCT(1 AS k, '' AS input), (2, 'http://abc.xyz'), (3, '//user:password@a.b:80/path?query'), (4, 'https://[::1]:80'), (5, 'http://例子.卷筒纸.中国'), (6, '    www.Example.Co.UK    '), (7, 'mailto:?to=&subject=&body=')]) ORDER BY k`,
    rows: [['1', null], ['2', 'abc.xyz'], ['3', 'a.b'], ['4', '[::1]'], ['5', '例子.卷筒纸.中国'], ['6', 'www.Example.Co.UK'], ['7', 'mailto']],
  },
  // NET.PUBLIC_SUFFIX / NET.REG_DOMAIN by hand from the page's rules and ZetaSQL's net.cc (DomainSuffix) over the
  // public suffix list's ICANN section: the suffix is returned as part of the original host, case kept
  {
    name: 'NET.PUBLIC_SUFFIX and NET.REG_DOMAIN ignore private rules (the page: foo.us.com gives us.com)', area: 'strings', page: `${net}#netreg_domain`,
    sql: "SELECT NET.REG_DOMAIN('foo.us.com'), NET.PUBLIC_SUFFIX('foo.us.com'), NET.REG_DOMAIN('https://foo.blogspot.com/x'), NET.PUBLIC_SUFFIX('foo.blogspot.com'), NET.REG_DOMAIN(NULL), SAFE.NET.PUBLIC_SUFFIX('a.b.co.uk')",
    rows: [['us.com', 'com', 'blogspot.com', 'com', null, 'co.uk']],
  },
  // the host as NET.HOST reads it: leading dots dropped, trailing dots kept as one (and kept in the answer)
  { name: 'NET.PUBLIC_SUFFIX and NET.REG_DOMAIN with leading and trailing dots', area: 'strings', page: `${net}#netpublic_suffix`, sql: "SELECT NET.PUBLIC_SUFFIX('http://Foo.COM./x'), NET.REG_DOMAIN('http://Foo.COM./x'), NET.PUBLIC_SUFFIX('foo.com...'), NET.REG_DOMAIN('..foo.co.uk')", rows: [['COM.', 'Foo.COM.', 'com.', 'foo.co.uk']] },
  // no suffix: a TLD the list does not hold, an IPv4 address (its last label is no TLD); a bare suffix has no registrable domain
  { name: 'NET.PUBLIC_SUFFIX and NET.REG_DOMAIN without a public suffix', area: 'strings', page: `${net}#netpublic_suffix`, sql: "SELECT NET.PUBLIC_SUFFIX('foo.invalid'), NET.REG_DOMAIN('foo.invalid'), NET.PUBLIC_SUFFIX('http://1.2.3.4/'), NET.PUBLIC_SUFFIX('com'), NET.REG_DOMAIN('com'), NET.REG_DOMAIN('co.uk')", rows: [[null, null, null, 'com', null, null]] },
  // wildcard and exception rules: *.ck with !www.ck; za has rules only below it (co.za, ...), so only the implicit * makes it a suffix
  { name: 'NET.PUBLIC_SUFFIX and NET.REG_DOMAIN with wildcard, exception and implicit rules', area: 'strings', page: `${net}#netpublic_suffix`, sql: "SELECT NET.PUBLIC_SUFFIX('a.b.ck'), NET.REG_DOMAIN('a.b.ck'), NET.PUBLIC_SUFFIX('www.ck'), NET.REG_DOMAIN('www.ck'), NET.PUBLIC_SUFFIX('foo.za'), NET.REG_DOMAIN('x.foo.za'), NET.REG_DOMAIN('x.co.za')", rows: [['b.ck', 'a.b.ck', 'ck', 'www.ck', 'za', 'foo.za', 'x.co.za']] },
  // upper case and non-ASCII hosts are looked up in their ToASCII form and answered in their own
  { name: 'NET.PUBLIC_SUFFIX and NET.REG_DOMAIN of internationalized and upper-case hosts', area: 'strings', page: `${net}#netpublic_suffix`, sql: "SELECT NET.PUBLIC_SUFFIX('www.MÜNCHEN.DE'), NET.REG_DOMAIN('www.MÜNCHEN.DE'), NET.REG_DOMAIN('http://例子.中国/'), NET.PUBLIC_SUFFIX('WWW.EXAMPLE.CO.JP')", rows: [['DE', 'MÜNCHEN.DE', '例子.中国', 'CO.JP']] },
  // the page says adjacent dots give NULL, the reference implementation answers past them; ß is mapped differently by IDNA's two modes
  { name: 'NET.PUBLIC_SUFFIX of a host with adjacent dots fails loudly', area: 'unsupported', page: `${net}#netpublic_suffix`, sql: "SELECT NET.PUBLIC_SUFFIX('foo..example.com')", error: LOUD },
  { name: 'NET.REG_DOMAIN of a host with ß fails loudly', area: 'unsupported', page: `${net}#netreg_domain`, sql: "SELECT NET.REG_DOMAIN('straße.de')", error: LOUD },

  // ---- conversion_functions#parse_numeric: the page's table of rules (input → output), its invalid inputs, and by hand ----
  {
    name: 'PARSE_NUMERIC rules table', area: 'casts', page: `${REF}conversion_functions#parse_numeric`,
    sql: "SELECT CAST(PARSE_NUMERIC('- 12,34567,89.0') AS STRING), CAST(PARSE_NUMERIC(' - 12.345 ') AS STRING), CAST(PARSE_NUMERIC(' 12,345,678') AS STRING), CAST(PARSE_NUMERIC('1.234 ') AS STRING), CAST(PARSE_NUMERIC(' 123.45e-1') AS STRING), CAST(PARSE_NUMERIC(' 0,.12 -') AS STRING), CAST(PARSE_NUMERIC(' .1') AS STRING), CAST(PARSE_NUMERIC(' 0.5 +') AS STRING)",
    rows: [['-123456789', '-12.345', '12345678', '1.234', '12.345', '-0.12', '0.1', '0.5']],
  },
  ...[',,,.1234  ', '1  23.4 5  ', '  e1 ', '  - 12.3 - ', '12.34E100 ', '$12.34'].map((x): ConformanceCase => ({ name: `PARSE_NUMERIC(${JSON.stringify(x)}) is an error (the page's invalid inputs)`, area: 'casts', page: `${REF}conversion_functions#parse_numeric`, sql: `SELECT PARSE_NUMERIC(${JSON.stringify(x)})`, error: /Invalid NUMERIC value/ })),
  // hand: half away from zero at the 9th decimal, the range checked after rounding, SAFE. gives NULL, NULL in NULL out
  { name: 'PARSE_NUMERIC rounding, SAFE. and NULL', area: 'casts', page: `${REF}conversion_functions#parse_numeric`, sql: "SELECT CAST(PARSE_NUMERIC('-0.0000000005') AS STRING), CAST(PARSE_NUMERIC('0.00000000049') AS STRING), CAST(PARSE_NUMERIC('1e-400') AS STRING), CAST(PARSE_NUMERIC('+99999999999999999999999999999.9999999994') AS STRING), SAFE.PARSE_NUMERIC('99999999999999999999999999999.9999999995'), SAFE.PARSE_NUMERIC('1.2.3'), PARSE_NUMERIC(NULL)", rows: [['-0.000000001', '0', '0', '99999999999999999999999999999.999999999', null, null, null]] },
  { name: 'PARSE_BIGNUMERIC beyond its range is an error', area: 'casts', page: `${REF}conversion_functions#parse_bignumeric`, sql: "SELECT PARSE_BIGNUMERIC('-6e38')", error: /Invalid BIGNUMERIC value/ },
  { name: 'PARSE_BIGNUMERIC of more than 19 decimals fails loudly (the engine keeps BIGNUMERIC as DECIMAL(38,19))', area: 'unsupported', page: `${REF}conversion_functions#parse_bignumeric`, sql: "SELECT PARSE_BIGNUMERIC('0.12345678901234567890123')", error: LOUD },
  { name: 'PARSE_BIGNUMERIC within DECIMAL(38,19)', area: 'casts', page: `${REF}conversion_functions#parse_bignumeric`, sql: "SELECT CAST(PARSE_BIGNUMERIC(' 1,234.5e-3 -') AS STRING), CAST(PARSE_BIGNUMERIC('0.1234567890123456789') AS STRING)", rows: [['-1.2345', '0.1234567890123456789']] },

  // ---- mathematical_functions#cosine_distance / #euclidean_distance, by hand (ZetaSQL distance.cc: dimensions in ascending order, a missing one is 0) ----
  // ('a',1),('b',2) · ('b',4),('c',3): dot 8, |a|² 5, |b|² 25 → 1 − 8/(√5·5); ('a',1) vs ('b',1): √2; [1,2] vs [3,4]: √8
  { name: 'COSINE_DISTANCE and EUCLIDEAN_DISTANCE of sparse vectors with STRING dimensions and of dense ones', area: 'math', page: `${REF}mathematical_functions#cosine_distance`, sql: "SELECT COSINE_DISTANCE([('a', 1.0), ('b', 2.0)], [('b', 4.0), ('c', 3.0)]), EUCLIDEAN_DISTANCE([('a', 1.0)], [('b', 1.0)]), EUCLIDEAN_DISTANCE([1.0, 2.0], [3.0, 4.0]), COSINE_DISTANCE(NULL, [1.0])", rows: [[String(1 - 8 / (Math.sqrt(5) * Math.sqrt(25))), String(Math.SQRT2), String(Math.sqrt(8)), null]] },
  { name: 'COSINE_DISTANCE of a sparse vector with a repeated dimension is an error', area: 'math', page: `${REF}mathematical_functions#cosine_distance`, sql: 'SELECT COSINE_DISTANCE([(1, 1.0), (1, 2.0)], [(2, 4.0)])', error: /Duplicate index 1/ },
  { name: 'COSINE_DISTANCE against a zero vector is an error', area: 'math', page: `${REF}mathematical_functions#cosine_distance`, sql: 'SELECT COSINE_DISTANCE([0.0, 0.0], [1.0, 2.0])', error: /zero vector/ },
  { name: 'EUCLIDEAN_DISTANCE of vectors of different lengths is an error', area: 'math', page: `${REF}mathematical_functions#euclidean_distance`, sql: 'SELECT EUCLIDEAN_DISTANCE([1.0], [1.0, 2.0])', error: /Array length mismatch/ },
  { name: 'EUCLIDEAN_DISTANCE with a NULL element is an error', area: 'math', page: `${REF}mathematical_functions#euclidean_distance`, sql: 'SELECT EUCLIDEAN_DISTANCE([1.0, NULL], [1.0, 2.0])', error: /NULL array element/ },
  // ---- array_functions#array_includes with a lambda: TRUE only where the condition is TRUE, NULL for a NULL array ----
  { name: 'ARRAY_INCLUDES with a lambda', area: 'arrays', page: `${REF}array_functions#array_includes`, sql: 'SELECT ARRAY_INCLUDES([1, NULL], e -> e > 1), ARRAY_INCLUDES(CAST([] AS ARRAY<INT64>), e -> e > 0), ARRAY_INCLUDES(CAST(NULL AS ARRAY<INT64>), e -> e > 0), ARRAY_INCLUDES([1, NULL], e -> e IS NULL)', rows: [['false', 'false', null, 'true']] },

  // ---- navigation_functions#percentile_disc: ZetaSQL's percentile.cc takes floor(p × n) on p's exact binary value (one less when
  // that is whole): the FLOAT64 0.9 is 0.90000000000000002220…, so over 10 rows it picks the 10th value, 0.1 the 2nd, 0.3
  // (0.29999999999999998889…) the 3rd, and 0.5 (exact) the 5th ----
  { name: 'PERCENTILE_DISC index on the FLOAT64 percentile\'s binary value', area: 'windows', page: `${REF}navigation_functions#percentile_disc`, sql: 'SELECT CAST(PERCENTILE_DISC(x, 0.9) OVER () AS STRING), CAST(PERCENTILE_DISC(x, 0.1) OVER () AS STRING), CAST(PERCENTILE_DISC(x, 0.3) OVER () AS STRING), CAST(PERCENTILE_DISC(x, 0.5) OVER () AS STRING), CAST(PERCENTILE_DISC(x, 0) OVER () AS STRING), CAST(PERCENTILE_DISC(x, 1) OVER () AS STRING) FROM UNNEST(GENERATE_ARRAY(1, 10)) AS x LIMIT 1', rows: [['10', '2', '3', '5', '1', '10']] },

  // ---- string_functions#regexp_instr, by hand from the page's rules (ZetaSQL regexp.cc Instr) ----
  { name: 'REGEXP_INSTR counts characters, and gives 0 or NULL as the page says', area: 'strings', page: `${REF}string_functions#regexp_instr`, sql: "SELECT REGEXP_INSTR('щaщa', 'a', 1, 2), REGEXP_INSTR('щaщa', 'щa', 2, 1, 1), REGEXP_INSTR('abc', 'x'), REGEXP_INSTR('abc', 'c', 4), REGEXP_INSTR('abc', ''), REGEXP_INSTR('abc', 'b', NULL), REGEXP_INSTR('aaaa', 'aa', 1, 2), REGEXP_INSTR('aaaa', 'aa', 1, 3)", rows: [['4', '5', '0', '0', '0', null, '3', '0']] },
  { name: 'REGEXP_INSTR with position 0 is an error', area: 'strings', page: `${REF}string_functions#regexp_instr`, sql: "SELECT REGEXP_INSTR('abc', 'b', 0)", error: /Position must be positive/ },
  { name: 'REGEXP_INSTR with occurrence 0 is an error', area: 'strings', page: `${REF}string_functions#regexp_instr`, sql: "SELECT REGEXP_INSTR('abc', 'b', 1, 0)", error: /Occurrence must be positive/ },
  { name: 'REGEXP_INSTR with occurrence_position 2 is an error', area: 'strings', page: `${REF}string_functions#regexp_instr`, sql: "SELECT REGEXP_INSTR('abc', 'b', 1, 1, 2)", error: /occurrence_position/ },
  { name: 'REGEXP_INSTR with a capturing group fails loudly', area: 'unsupported', page: `${REF}string_functions#regexp_instr`, sql: "SELECT REGEXP_INSTR('abc', 'a(b)')", error: LOUD },
  { name: 'REGEXP_INSTR with a pattern matching the empty string fails loudly', area: 'unsupported', page: `${REF}string_functions#regexp_instr`, sql: "SELECT REGEXP_INSTR('abc', 'x*')", error: LOUD },
  // SAFE. turns the function's errors into NULL, never its refusals into an answer (functions.ts safeCall's guard)
  { name: 'SAFE.REGEXP_INSTR gives NULL for an error and still fails loudly where it cannot answer', area: 'strings', page: `${REF}functions-reference#safe_prefix`, sql: "SELECT SAFE.REGEXP_INSTR('abc', 'b', 0), SAFE.REGEXP_INSTR('abc', 'b'), SAFE.PARSE_NUMERIC('$1'), SAFE.PARSE_NUMERIC(' 1.5 -')", rows: [[null, '2', null, '-1.5']] },
  { name: 'SAFE.REGEXP_INSTR with a pattern matching the empty string fails loudly', area: 'unsupported', page: `${REF}functions-reference#safe_prefix`, sql: "SELECT SAFE.REGEXP_INSTR('abc', 'x*')", error: LOUD },
  { name: 'SAFE.PARSE_BIGNUMERIC beyond DECIMAL(38,19) fails loudly', area: 'unsupported', page: `${REF}functions-reference#safe_prefix`, sql: "SELECT SAFE.PARSE_BIGNUMERIC('1e20')", error: LOUD },
  { name: 'SAFE.NET.REG_DOMAIN of a host with adjacent dots fails loudly', area: 'unsupported', page: `${REF}functions-reference#safe_prefix`, sql: "SELECT SAFE.NET.REG_DOMAIN('a..b.com')", error: LOUD },
  ...([['SAFE.TRIM', "SELECT SAFE.TRIM('abaW̊', 'Y̊')"], ['SAFE.UPPER', "SELECT SAFE.UPPER('straße')"], ['SAFE.CONTAINS_SUBSTR', "SELECT SAFE.CONTAINS_SUBSTR('é', 'e')"], ['SAFE.NORMALIZE_AND_CASEFOLD', "SELECT SAFE.NORMALIZE_AND_CASEFOLD('Ꭰ')"]] as const).map(([fn, sql]): ConformanceCase => ({ name: `${fn} of what ${fn.slice(5)} refuses fails loudly, not NULL`, area: 'unsupported', page: `${REF}functions-reference#safe_prefix`, sql, error: LOUD })),
  { name: 'SAFE.UPPER, SAFE.CONTAINS_SUBSTR and SAFE.NORMALIZE_AND_CASEFOLD answer as without SAFE.', area: 'strings', page: `${REF}functions-reference#safe_prefix`, sql: "SELECT SAFE.UPPER('abc'), SAFE.CONTAINS_SUBSTR('abc', 'B'), SAFE.NORMALIZE_AND_CASEFOLD('ABC', NFKC), SAFE.UPPER(NULL)", rows: [['ABC', 'true', 'abc', null]] },
];

const p = (page: string): string => `${REF}${page}`;

/**
 * Every translated function the other suites never call, one case at least, values by hand
 * (trigonometry from the identities: acos(0) = π/2, atan(1) = π/4, cot(1) = cos(1)/sin(1)), and one
 * case per page whose functions all fail loudly, so each page of the reference is exercised.
 */
export const COVERAGE_CASES: ConformanceCase[] = [
  // range-functions: the page's examples (RANGE_SESSIONIZE, a table function, fails loudly below)
  { name: 'RANGE with bounds and without (page examples)', area: 'dates', page: p('range-functions#range'), sql: "SELECT RANGE(DATE '2022-12-01', DATE '2022-12-31'), RANGE(NULL, DATE '2022-12-31'), RANGE(DATE '2022-10-01', NULL)", rows: [['[2022-12-01, 2022-12-31)', '[UNBOUNDED, 2022-12-31)', '[2022-10-01, UNBOUNDED)']] },
  { name: 'RANGE_START and RANGE_END (page examples)', area: 'dates', page: p('range-functions#range_start'), sql: "SELECT RANGE_START(RANGE<DATE> '[2022-12-01, 2022-12-31)'), RANGE_START(RANGE<DATE> '[UNBOUNDED, 2022-12-31)'), RANGE_END(RANGE<DATE> '[2022-12-01, 2022-12-31)'), RANGE_END(RANGE<DATE> '[2022-12-01, UNBOUNDED)')", rows: [['2022-12-01', null, '2022-12-31', null]] },
  { name: 'RANGE_CONTAINS, both signatures (page examples)', area: 'dates', page: p('range-functions#range_contains'), sql: "SELECT RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2022-04-01, 2022-07-01)'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', RANGE<DATE> '[2023-01-01, 2023-04-01)'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', DATE '2022-04-01'), RANGE_CONTAINS(RANGE<DATE> '[2022-01-01, 2023-01-01)', DATE '2023-04-01')", rows: [['true', 'false', 'true', 'false']] },
  { name: 'RANGE_OVERLAPS and RANGE_INTERSECT (page examples)', area: 'dates', page: p('range-functions#range_intersect'), sql: "SELECT RANGE_OVERLAPS(RANGE<DATE> '[2022-02-01, 2022-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)'), RANGE_OVERLAPS(RANGE<DATE> '[2020-02-01, 2020-09-01)', RANGE<DATE> '[2021-06-15, 2022-04-15)'), RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, 2022-04-15)'), RANGE_INTERSECT(RANGE<DATE> '[2022-02-01, UNBOUNDED)', RANGE<DATE> '[2021-06-15, UNBOUNDED)')", rows: [['true', 'false', '[2022-02-01, 2022-04-15)', '[2022-02-01, UNBOUNDED)']] },
  { name: 'GENERATE_RANGE_ARRAY with and without the last partial range (page examples)', area: 'dates', page: p('range-functions#generate_range_array'), sql: "SELECT GENERATE_RANGE_ARRAY(RANGE(DATE '2020-01-01', DATE '2020-01-06'), INTERVAL 2 DAY), GENERATE_RANGE_ARRAY(RANGE(DATE '2020-01-01', DATE '2020-01-06'), INTERVAL 2 DAY, FALSE)", rows: [[['[2020-01-01, 2020-01-03)', '[2020-01-03, 2020-01-05)', '[2020-01-05, 2020-01-06)'], ['[2020-01-01, 2020-01-03)', '[2020-01-03, 2020-01-05)']]] },
  { name: 'ARRAY_CONCAT_AGG with ORDER BY (page example)', area: 'aggregates', page: p('aggregate_functions#array_concat_agg'), sql: 'SELECT ARRAY_CONCAT_AGG(x ORDER BY ARRAY_LENGTH(x)) FROM (SELECT [1, 2, 3, 4] AS x UNION ALL SELECT [5, 6] UNION ALL SELECT [7, 8, 9])', rows: [[['5', '6', '7', '8', '9', '1', '2', '3', '4']]] },
  { name: 'ARRAY_CONCAT_AGG with ORDER BY and LIMIT (page example)', area: 'aggregates', page: p('aggregate_functions#array_concat_agg'), sql: 'SELECT ARRAY_CONCAT_AGG(x ORDER BY ARRAY_LENGTH(x) LIMIT 2) FROM (SELECT [1, 2, 3, 4] AS x UNION ALL SELECT [5, 6] UNION ALL SELECT [7, 8, 9])', rows: [[['5', '6', '7', '8', '9']]] },
  { name: 'APPROX_QUANTILES of 1..5 (exact here, and exact is within BigQuery\'s bound)', area: 'aggregates', page: p('approximate_aggregate_functions#approx_quantiles'), sql: 'SELECT APPROX_QUANTILES(x, 2) FROM UNNEST([1, 2, 3, 4, 5]) AS x', rows: [[['1', '3', '5']]] },
  { name: 'GENERATE_TIMESTAMP_ARRAY by day', area: 'arrays', page: p('array_functions#generate_timestamp_array'), sql: "SELECT ARRAY_TO_STRING(ARRAY(SELECT CAST(t AS STRING) FROM UNNEST(GENERATE_TIMESTAMP_ARRAY('2016-10-05 00:00:00', '2016-10-07 00:00:00', INTERVAL 1 DAY)) AS t), ',')", rows: [['2016-10-05 00:00:00+00,2016-10-06 00:00:00+00,2016-10-07 00:00:00+00']] },
  { name: 'FORMAT_DATETIME and PARSE_DATETIME', area: 'dates', page: p('datetime_functions#format_datetime'), sql: "SELECT FORMAT_DATETIME('%c', DATETIME '2008-12-25 15:30:00'), FORMAT_DATETIME('%b-%d-%Y', DATETIME '2008-12-25 15:30:00'), CAST(PARSE_DATETIME('%Y-%m-%d %H:%M:%S', '1998-10-18 13:45:55') AS STRING)", rows: [['Thu Dec 25 15:30:00 2008', 'Dec-25-2008', '1998-10-18 13:45:55']] },
  { name: 'CURRENT_DATETIME, CURRENT_TIME and SESSION_USER answer', area: 'dates', page: p('datetime_functions#current_datetime'), sql: "SELECT CURRENT_DATETIME() > DATETIME '2020-01-01 00:00:00', CURRENT_TIME() IS NOT NULL, SESSION_USER() IS NOT NULL", rows: [['true', 'true', 'true']] },
  { name: 'FORMAT_TIME, PARSE_TIME, TIME_SUB', area: 'dates', page: p('time_functions#format_time'), sql: "SELECT FORMAT_TIME('%R', TIME '15:30:00'), CAST(PARSE_TIME('%H', '15') AS STRING), CAST(TIME_SUB(TIME '15:30:00', INTERVAL 10 MINUTE) AS STRING)", rows: [['15:30', '15:00:00', '15:20:00']] },
  // SHA-1 of "Hello World" (FIPS 180-4)
  { name: 'SHA1 is the digest bytes', area: 'strings', page: p('hash_functions#sha1'), sql: "SELECT TO_HEX(SHA1('Hello World'))", rows: [['0a4d55a8d778e5022fab701977c5d840bbc486d0']] },
  { name: 'FLOAT64 and LAX_FLOAT64 of JSON', area: 'json', page: p('json_functions#float64_for_json'), sql: `SELECT FLOAT64(JSON '9.8'), LAX_FLOAT64(JSON '"9.8"'), LAX_FLOAT64(JSON 'true'), LAX_FLOAT64(JSON '"foo"')`, rows: [['9.8', '9.8', null, null]] },
  { name: 'inverse trigonometric functions', area: 'math', page: p('mathematical_functions#acos'), sql: 'SELECT ACOS(0), ACOS(-1), ASIN(1), ATAN(1), ATAN2(1, 1), ACOSH(1), ASINH(0), ATANH(0)', rows: [[String(Math.PI / 2), String(Math.PI), String(Math.PI / 2), String(Math.PI / 4), String(Math.PI / 4), '0', '0', '0']] },
  { name: 'trigonometric and hyperbolic functions', area: 'math', page: p('mathematical_functions#cos'), sql: 'SELECT COS(0), SIN(0), TAN(0), COSH(0), SINH(0), TANH(0), COT(1)', rows: [['1', '0', '0', '1', '0', '0', String(Math.cos(1) / Math.sin(1))]] },
  { name: 'CEILING, POWER, IS_INF, RAND', area: 'math', page: p('mathematical_functions#ceiling'), sql: "SELECT CEILING(1.2), POWER(2, 10), IS_INF(CAST('inf' AS FLOAT64)), IS_INF(1.0), RAND() >= 0 AND RAND() < 1", rows: [['2', '1024', 'true', 'false', 'true']] },
  { name: 'SAFE_ADD, SAFE_SUBTRACT, SAFE_MULTIPLY, SAFE_NEGATE give NULL on overflow', area: 'math', page: p('mathematical_functions#safe_add'), sql: "SELECT SAFE_ADD(5, 4), SAFE_ADD(9223372036854775807, 1), SAFE_SUBTRACT(5, 4), SAFE_SUBTRACT(-9223372036854775807, 2), SAFE_MULTIPLY(20, 4), SAFE_MULTIPLY(9223372036854775807, 2), SAFE_NEGATE(-1), SAFE_NEGATE(CAST('-9223372036854775808' AS INT64))", rows: [['9', null, '1', null, '80', null, '1', null]] },
  { name: 'NTH_VALUE over a whole frame', area: 'windows', page: p('navigation_functions#nth_value'), sql: 'SELECT x, NTH_VALUE(x, 2) OVER (ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM UNNEST([3, 1, 2]) AS x ORDER BY x', rows: [['1', '2'], ['2', '2'], ['3', '2']] },
  { name: 'CUME_DIST with ties', area: 'windows', page: p('numbering_functions#cume_dist'), sql: 'SELECT x, CUME_DIST() OVER (ORDER BY x) FROM UNNEST([1, 2, 2, 3]) AS x ORDER BY x', rows: [['1', '0.25'], ['2', '0.75'], ['2', '0.75'], ['3', '1']] },
  // 1, 2, 3, 4: mean 2.5, squared deviations 5 → population variance 5/4, sample variance 5/3
  { name: 'variance and standard deviation', area: 'aggregates', page: p('statistical_aggregate_functions#var_samp'), sql: 'SELECT VAR_SAMP(x), VARIANCE(x), VAR_POP(x), STDDEV_SAMP(x), STDDEV(x), STDDEV_POP(x) FROM UNNEST([1, 2, 3, 4]) AS x', rows: [[String(5 / 3), String(5 / 3), '1.25', String(Math.sqrt(5 / 3)), String(Math.sqrt(5 / 3)), String(Math.sqrt(1.25))]] },
  { name: 'sample variance of one row is NULL, population variance 0', area: 'aggregates', page: p('statistical_aggregate_functions#var_samp'), sql: 'SELECT VAR_SAMP(x), STDDEV_POP(x) FROM UNNEST([7]) AS x', rows: [[null, '0']] },
  { name: 'CORR, COVAR_POP, COVAR_SAMP', area: 'aggregates', page: p('statistical_aggregate_functions#corr'), sql: 'SELECT CORR(x, 2 * x), COVAR_POP(x, x), COVAR_SAMP(x, x) FROM UNNEST([1, 2, 3, 4]) AS x', rows: [['1', '1.25', String(5 / 3)]] },
  { name: 'CHARACTER_LENGTH, OCTET_LENGTH, SUBSTRING, REGEXP_SUBSTR', area: 'strings', page: p('string_functions#character_length'), sql: "SELECT CHARACTER_LENGTH('абвгд'), OCTET_LENGTH('абвгд'), SUBSTRING('apple', 2, 2), REGEXP_SUBSTR('foo@example.com', '^[a-z]+')", rows: [['5', '10', 'pp', 'foo']] },
  { name: 'GENERATE_UUID is a random version-4 UUID', area: 'strings', page: p('utility-functions#generate_uuid'), sql: "SELECT LENGTH(GENERATE_UUID()), REGEXP_CONTAINS(GENERATE_UUID(), r'^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'), GENERATE_UUID() = GENERATE_UUID()", rows: [['36', 'true', 'false']] },
  // time-series-functions: the pages' 2-day examples around the default origin 1950-01-01; others by hand
  { name: 'DATE_BUCKET by 2 days around the default origin', area: 'dates', page: p('time-series-functions#date_bucket'), sql: "SELECT ARRAY_AGG(CAST(DATE_BUCKET(d, INTERVAL 2 DAY) AS STRING) ORDER BY d) FROM UNNEST(GENERATE_DATE_ARRAY('1949-12-29', '1950-01-04')) AS d", rows: [[['1949-12-28', '1949-12-30', '1949-12-30', '1950-01-01', '1950-01-01', '1950-01-03', '1950-01-03']]] },
  { name: 'TIMESTAMP_BUCKET by 2 days around the default origin', area: 'timestamps', page: p('time-series-functions#timestamp_bucket'), sql: "SELECT ARRAY_AGG(CAST(TIMESTAMP_BUCKET(ts, INTERVAL 2 DAY) AS STRING) ORDER BY ts) FROM UNNEST([TIMESTAMP '1949-12-30 23:59:59', TIMESTAMP '1949-12-31 00:00:00', TIMESTAMP '1950-01-01 00:00:00', TIMESTAMP '1950-01-02 23:59:59', TIMESTAMP '1950-01-03 00:00:00']) AS ts", rows: [[['1949-12-30 00:00:00+00', '1949-12-30 00:00:00+00', '1950-01-01 00:00:00+00', '1950-01-01 00:00:00+00', '1950-01-03 00:00:00+00']]] },
  // hand: 12:34:56 in 15-minute buckets is 12:30; hourly buckets from 00:30 start at 12:30; 2024-05-05 (a Sunday) in weeks from Monday 2024-01-01 is 2024-04-29
  { name: 'DATETIME_BUCKET, TIMESTAMP_BUCKET and DATE_BUCKET with origins', area: 'timestamps', page: p('time-series-functions#datetime_bucket'), sql: "SELECT CAST(DATETIME_BUCKET(DATETIME '2024-05-05 12:34:56.789', INTERVAL 15 MINUTE) AS STRING), CAST(TIMESTAMP_BUCKET(TIMESTAMP '2024-05-05 12:34:56', INTERVAL 1 HOUR, TIMESTAMP '2000-01-01 00:30:00') AS STRING), CAST(DATE_BUCKET(DATE '2024-05-05', INTERVAL 1 WEEK, DATE '2024-01-01') AS STRING)", rows: [['2024-05-05 12:30:00', '2024-05-05 12:30:00+00', '2024-04-29']] },
  { name: 'DATE_BUCKET by months fails loudly', area: 'unsupported', page: p('time-series-functions#date_bucket'), sql: "SELECT DATE_BUCKET(DATE '2024-05-05', INTERVAL 1 MONTH)", error: LOUD },
  // json_functions mutators, values by hand from each function's description
  { name: 'JSON_SET adds, replaces and creates missing members', area: 'json', page: p('json_functions#json_set'), sql: `SELECT TO_JSON_STRING(JSON_SET(JSON '{"a": 1}', '$.b', 2, '$.c.d', 'x', '$.a', [1, 2]))`, rows: [['{"a":[1,2],"b":2,"c":{"d":"x"}}']] },
  { name: 'JSON_SET past the end of an array pads it with nulls', area: 'json', page: p('json_functions#json_set'), sql: `SELECT TO_JSON_STRING(JSON_SET(JSON '{"a": [1]}', '$.a[3]', 4))`, rows: [['{"a":[1,null,null,4]}']] },
  { name: 'JSON_SET through a scalar fails loudly', area: 'unsupported', page: p('json_functions#json_set'), sql: `SELECT JSON_SET(JSON '{"a": 1}', '$.a.b', 2)`, error: LOUD },
  { name: 'JSON_REMOVE members and array elements; a missing path changes nothing', area: 'json', page: p('json_functions#json_remove'), sql: `SELECT TO_JSON_STRING(JSON_REMOVE(JSON '{"a": [1, 2, 3], "b": 1}', '$.a[1]', '$.b', '$.zz'))`, rows: [['{"a":[1,3]}']] },
  { name: 'JSON_STRIP_NULLS removes null members and array elements', area: 'json', page: p('json_functions#json_strip_nulls'), sql: `SELECT TO_JSON_STRING(JSON_STRIP_NULLS(JSON '{"a": null, "b": {"c": null}, "d": [1, null, 2]}'))`, rows: [['{"b":{},"d":[1,2]}']] },
  { name: 'JSON_ARRAY_APPEND: a SQL ARRAY adds its elements, a JSON array is one element', area: 'json', page: p('json_functions#json_array_append'), sql: `SELECT TO_JSON_STRING(JSON_ARRAY_APPEND(JSON '{"a": [1]}', '$.a', [2, 3], '$.a', JSON '[4]'))`, rows: [['{"a":[1,2,3,[4]]}']] },
  { name: 'JSON_ARRAY_INSERT at an index, past the end padded with nulls', area: 'json', page: p('json_functions#json_array_insert'), sql: `SELECT TO_JSON_STRING(JSON_ARRAY_INSERT(JSON '[1, 2]', '$[1]', 'x', '$[5]', 9))`, rows: [['[1,"x",2,null,null,9]']] },
  { name: 'JSON_KEYS: sorted, nested keys as paths, arrays not entered, max_depth', area: 'json', page: p('json_functions#json_keys'), sql: `SELECT JSON_KEYS(JSON '{"b": {"c": 1}, "a": [{"z": 1}]}'), JSON_KEYS(JSON '{"b": {"c": 1}, "a": 1}', 1)`, rows: [[['a', 'b', 'b.c'], ['a', 'b']]] },
  // query-syntax#pivot_operator / #unpivot_operator: the pages' Produce examples (results follow from the rows)
  {
    name: 'PIVOT: one column per value, grouped by the other columns', area: 'select', page: p('query-syntax#pivot_operator'),
    sql: "WITH Produce AS (SELECT 'Kale' AS product, 51 AS sales, 'Q1' AS quarter, 2020 AS year UNION ALL SELECT 'Kale', 23, 'Q2', 2020 UNION ALL SELECT 'Kale', 45, 'Q3', 2020 UNION ALL SELECT 'Kale', 3, 'Q4', 2020 UNION ALL SELECT 'Kale', 70, 'Q1', 2021 UNION ALL SELECT 'Kale', 85, 'Q2', 2021 UNION ALL SELECT 'Apple', 77, 'Q1', 2020 UNION ALL SELECT 'Apple', 0, 'Q2', 2020 UNION ALL SELECT 'Apple', 1, 'Q1', 2021) SELECT * FROM Produce PIVOT(SUM(sales) FOR quarter IN ('Q1', 'Q2', 'Q3', 'Q4')) ORDER BY product, year",
    rows: [['Apple', '2020', '77', '0', null, null], ['Apple', '2021', '1', null, null, null], ['Kale', '2020', '51', '23', '45', '3'], ['Kale', '2021', '70', '85', null, null]],
  },
  {
    name: 'PIVOT with two aliased aggregates names columns alias_value', area: 'select', page: p('query-syntax#pivot_operator'),
    sql: "WITH Produce AS (SELECT 'Kale' AS product, 51 AS sales, 'Q1' AS quarter UNION ALL SELECT 'Kale', 23, 'Q2' UNION ALL SELECT 'Apple', 77, 'Q1') SELECT * FROM Produce PIVOT(SUM(sales) AS total_sales, COUNT(*) AS num_records FOR quarter IN ('Q1', 'Q2')) ORDER BY product",
    rows: [['Apple', '77', '1', null, '0'], ['Kale', '51', '1', '23', '1']],
  },
  { name: 'PIVOT with ARRAY_AGG fails loudly', area: 'unsupported', page: p('query-syntax#pivot_operator'), sql: "SELECT * FROM (SELECT 1 AS a, 'x' AS b) PIVOT(ARRAY_AGG(a) FOR b IN ('x'))", error: LOUD },
  {
    name: 'UNPIVOT: the other columns, the value, the name (the page: product | sales | quarter); NULLs dropped', area: 'select', page: p('query-syntax#unpivot_operator'),
    sql: "WITH Produce AS (SELECT 'Kale' AS product, 51 AS Q1, 23 AS Q2, NULL AS Q3 UNION ALL SELECT 'Apple', 77, 0, 25) SELECT * FROM Produce UNPIVOT(sales FOR quarter IN (Q1, Q2, Q3)) ORDER BY product, quarter",
    rows: [['Apple', '77', 'Q1'], ['Apple', '0', 'Q2'], ['Apple', '25', 'Q3'], ['Kale', '51', 'Q1'], ['Kale', '23', 'Q2']],
  },
  { name: 'UNPIVOT INCLUDE NULLS with labels', area: 'select', page: p('query-syntax#unpivot_operator'), sql: "SELECT * FROM (SELECT 'Kale' AS product, 51 AS Q1, CAST(NULL AS INT64) AS Q2) UNPIVOT INCLUDE NULLS (sales FOR quarter IN (Q1 AS 'first', Q2 AS 'second')) AS u ORDER BY quarter", rows: [['Kale', '51', 'first'], ['Kale', null, 'second']] },
  // pipe-syntax: each operator applies to the result of the one before (values by hand)
  {
    name: 'pipe syntax: WHERE, AGGREGATE ... GROUP BY, ORDER BY, LIMIT', area: 'select', page: p('pipe-syntax'),
    sql: "SELECT * FROM (FROM (SELECT 'a' AS k, 1 AS v UNION ALL SELECT 'a', 2 UNION ALL SELECT 'b', 5 UNION ALL SELECT 'c', -1) |> WHERE v > 0 |> AGGREGATE SUM(v) AS total, COUNT(*) AS n GROUP BY k |> ORDER BY k DESC |> LIMIT 5)",
    rows: [['b', '5', '1'], ['a', '3', '2']],
  },
  { name: 'pipe syntax: EXTEND, SET, DROP, RENAME, AS, SELECT', area: 'select', page: p('pipe-syntax'), sql: 'SELECT * FROM (FROM (SELECT 1 AS a, 2 AS b) |> EXTEND a + b AS c |> SET a = a * 10 |> DROP b |> RENAME c AS d |> AS x |> SELECT x.a, d)', rows: [['10', '3']] },
  { name: 'pipe syntax: JOIN after a standard query', area: 'select', page: p('pipe-syntax'), sql: "SELECT * FROM (SELECT 1 AS k, 'x' AS v |> JOIN (SELECT 1 AS k, 'y' AS w) USING (k) |> SELECT k, v, w)", rows: [['1', 'x', 'y']] },
  { name: 'pipe syntax: a statement that starts with FROM', area: 'select', page: p('pipe-syntax'), sql: 'FROM UNNEST([1, 2, 3]) AS x |> WHERE x > 1 |> SELECT x * 10 AS y |> ORDER BY y', rows: [['20'], ['30']] },
  { name: 'pipe syntax: an operator not translated fails loudly', area: 'unsupported', page: p('pipe-syntax'), sql: 'SELECT * FROM (FROM (SELECT 1 AS a) |> TABLESAMPLE SYSTEM (50 PERCENT))', error: LOUD },
  // bit_functions#bit_count: two's complement for INT64 (hand: 0xA = 1010, -1 has 64 ones, 0xFF01 has 9)
  { name: 'BIT_COUNT of INT64 and BYTES', area: 'math', page: p('bit_functions#bit_count'), sql: "SELECT CAST(BIT_COUNT(0) AS STRING), CAST(BIT_COUNT(0xA) AS STRING), CAST(BIT_COUNT(-1) AS STRING), CAST(BIT_COUNT(b'\\xff\\x01') AS STRING), BIT_COUNT(NULL)", rows: [['0', '2', '64', '9', null]] },
  // string_functions#to_base32: RFC 4648's test vectors
  { name: 'TO_BASE32 and FROM_BASE32 (RFC 4648 vectors)', area: 'strings', page: p('string_functions#to_base32'), sql: "SELECT TO_BASE32(b'f'), TO_BASE32(b'fo'), TO_BASE32(b'foo'), TO_BASE32(b'foob'), TO_BASE32(b'fooba'), TO_BASE32(b'foobar'), SAFE_CONVERT_BYTES_TO_STRING(FROM_BASE32('MZXW6YTBOI======'))", rows: [['MY======', 'MZXQ====', 'MZXW6===', 'MZXW6YQ=', 'MZXW6YTB', 'MZXW6YTBOI======', 'foobar']] },
  // string_functions#soundex: the page's inputs, American Soundex codes
  { name: 'SOUNDEX', area: 'strings', page: p('string_functions#soundex'), sql: "SELECT SOUNDEX('Ashcraft'), SOUNDEX('Raven'), SOUNDEX('Ribbon'), SOUNDEX('apple'), SOUNDEX('Hello world!'), SOUNDEX('  H3##!@llo w00orld!'), SOUNDEX('#1')", rows: [['A261', 'R150', 'R150', 'a140', 'H464', 'H464', '']] },
  { name: 'CODE_POINTS_TO_BYTES', area: 'strings', page: p('string_functions#code_points_to_bytes'), sql: 'SELECT TO_HEX(CODE_POINTS_TO_BYTES([65, 98, 67, 100]))', rows: [['41624364']] },
  { name: 'CODE_POINTS_TO_BYTES of a value over 255 is an error', area: 'strings', page: p('string_functions#code_points_to_bytes'), sql: 'SELECT CODE_POINTS_TO_BYTES([256])', error: /not a valid byte value/ },
  // array_functions#array_slice: offsets from the start and from the end, clamped
  {
    name: 'ARRAY_SLICE', area: 'arrays', page: p('array_functions#array_slice'),
    sql: "SELECT ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 1, 3), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], -1, 3), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 1, -3), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], -3, -1), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 3, 3), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 1, 30), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 1, -30), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], -30, -5), ARRAY_SLICE(['a', 'b', 'c', 'd', 'e'], 5, 30)",
    rows: [[['b', 'c', 'd'], [], ['b', 'c'], ['c', 'd', 'e'], ['d'], ['b', 'c', 'd', 'e'], [], ['a'], []]],
  },
  // mathematical_functions#round: rounding modes on NUMERIC (the page's values)
  { name: 'ROUND with ROUND_HALF_EVEN and ROUND_HALF_AWAY_FROM_ZERO', area: 'math', page: p('mathematical_functions#round'), sql: "SELECT ROUND(NUMERIC '2.25', 1, 'ROUND_HALF_EVEN'), ROUND(NUMERIC '2.35', 1, 'ROUND_HALF_EVEN'), ROUND(NUMERIC '2.251', 1, 'ROUND_HALF_EVEN'), ROUND(NUMERIC '-2.5', 0, 'ROUND_HALF_EVEN'), ROUND(NUMERIC '2.5', 0, 'ROUND_HALF_AWAY_FROM_ZERO'), ROUND(NUMERIC '-2.5', 0, 'ROUND_HALF_AWAY_FROM_ZERO')", rows: [['2.2', '2.4', '2.3', '-2', '3', '-3']] },
  { name: 'ROUND with a rounding mode on FLOAT64 is an error', area: 'math', page: p('mathematical_functions#round'), sql: "SELECT ROUND(2.25, 1, 'ROUND_HALF_EVEN')", error: /NUMERIC or BIGNUMERIC/ },
  // lexical#integer_literals: the INT64 minimum written as a literal
  { name: 'the INT64 minimum literal', area: 'math', page: p('lexical#integer_literals'), sql: 'SELECT CAST(-9223372036854775808 AS STRING), CAST(1 -9223372036854775807 AS STRING)', rows: [['-9223372036854775808', '-9223372036854775806']] },
  // interval_functions: the pages' JUSTIFY_* examples; MAKE_INTERVAL by hand
  { name: 'JUSTIFY_DAYS', area: 'dates', page: p('interval_functions#justify_days'), sql: 'SELECT JUSTIFY_DAYS(INTERVAL 29 DAY), JUSTIFY_DAYS(INTERVAL -30 DAY), JUSTIFY_DAYS(INTERVAL 31 DAY), JUSTIFY_DAYS(INTERVAL -65 DAY), JUSTIFY_DAYS(INTERVAL 370 DAY)', rows: [['0-0 29 0:0:0', '-0-1 0 0:0:0', '0-1 1 0:0:0', '-0-2 -5 0:0:0', '1-0 10 0:0:0']] },
  { name: 'JUSTIFY_HOURS', area: 'dates', page: p('interval_functions#justify_hours'), sql: 'SELECT JUSTIFY_HOURS(INTERVAL 23 HOUR), JUSTIFY_HOURS(INTERVAL -24 HOUR), JUSTIFY_HOURS(INTERVAL 47 HOUR), JUSTIFY_HOURS(INTERVAL -12345 MINUTE)', rows: [['0-0 0 23:0:0', '0-0 -1 0:0:0', '0-0 1 23:0:0', '0-0 -8 -13:45:0']] },
  { name: 'JUSTIFY_INTERVAL and MAKE_INTERVAL', area: 'dates', page: p('interval_functions#justify_interval'), sql: 'SELECT JUSTIFY_INTERVAL(INTERVAL 29 DAY + INTERVAL 49 HOUR), MAKE_INTERVAL(1, 6, 15), MAKE_INTERVAL(hour => 10, second => 20), MAKE_INTERVAL(-1)', rows: [['0-1 1 1:0:0', '1-6 15 0:0:0', '0-0 0 10:0:20', '-1-0 0 0:0:0']] },
  // data-types#interval_type: the year-month part has one sign (hand: -2 months is -0-2, -14 months -1-2)
  { name: 'negative year-month intervals print one sign', area: 'dates', page: p('data-types#interval_type'), sql: 'SELECT INTERVAL -2 MONTH, INTERVAL -14 MONTH, INTERVAL 2 MONTH', rows: [['-0-2 0 0:0:0', '-1-2 0 0:0:0', '0-2 0 0:0:0']] },
  // conditional_expressions: the page's forms, values by hand
  { name: 'COALESCE, IF, IFNULL, NULLIF and CASE', area: 'select', page: p('conditional_expressions'), sql: "SELECT COALESCE(NULL, 'B', 'C'), IF(10 > 5, 'yes', 'no'), IFNULL(NULL, 0), NULLIF(0, 0), CASE 3 WHEN 1 THEN 'one' WHEN 3 THEN 'three' ELSE 'other' END, CASE WHEN 2 > 3 THEN 'a' END", rows: [['B', 'yes', '0', null, 'three', null]] },
  { name: 'ZEROIFNULL fails loudly', area: 'unsupported', page: p('conditional_expressions#zeroifnull'), sql: 'SELECT ZEROIFNULL(NULL)', error: LOUD },
  // operators: concatenation, BETWEEN, IS DISTINCT FROM, field and subscript access, IN, IN UNNEST, precedence, shifts and bitwise AND/OR/NOT, LIKE
  {
    name: 'operators, values by hand',
    area: 'select',
    page: p('operators'),
    sql: "SELECT 'ab' || 'cd', 2 BETWEEN 1 AND 3, NULL IS DISTINCT FROM 1, 1 IS NOT DISTINCT FROM 1, STRUCT(1 AS a).a, [1, 2, 3][OFFSET(1)], [1, 2, 3][1], 5 IN (1, 5), 'a' NOT IN ('b'), 3 IN UNNEST([1, 3]), -5 + 2 * 3, 7 / 2, 1 << 3, 6 & 3, 6 | 3, ~1, 'abc' LIKE 'a%'",
    rows: [['abcd', 'true', 'true', 'true', '1', '2', '2', 'true', 'true', 'true', '1', '3.5', '8', '2', '7', '-2', 'true']],
  },
  // operators#bitwise_operators: ^ is XOR in GoogleSQL (6 ^ 3 = 5), a power in DuckDB
  { name: 'the bitwise XOR operator fails loudly', area: 'unsupported', page: p('operators#bitwise_operators'), sql: 'SELECT 6 ^ 3', error: LOUD },
  // window-function-calls: frames, values by hand
  { name: 'a ROWS frame and a whole-partition RANGE frame', area: 'windows', page: p('window-function-calls'), sql: 'SELECT x, SUM(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), LAST_VALUE(x) OVER (ORDER BY x RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM UNNEST([3, 1, 4, 2]) AS x ORDER BY x', rows: [['1', '1', '4'], ['2', '3', '4'], ['3', '5', '4'], ['4', '7', '4']] },
  // debugging_functions: ERROR raises its text; a branch not taken does not
  { name: 'ERROR raises its message', area: 'select', page: p('debugging_functions#error'), sql: "SELECT ERROR('boom')", error: /^boom$/ },
  { name: 'ERROR in a branch not taken', area: 'select', page: p('debugging_functions#error'), sql: "SELECT IF(1 > 0, 'ok', ERROR('never'))", rows: [['ok']] },
  // security_functions: SESSION_USER is the caller's email; the embedded BigQuery's caller is its own
  { name: 'SESSION_USER is an email', area: 'select', page: p('security_functions#session_user'), sql: "SELECT REGEXP_CONTAINS(SESSION_USER(), r'^[^@]+@[^@]+$')", rows: [['true']] },
  // pages whose functions all fail loudly: one call each proves it is a refusal, not an answer
  ...([
    ['table-functions-built-in#appends', 'SELECT * FROM APPENDS(TABLE conformance.t, NULL, NULL)'],
    ['aggregate-dp-functions#dp_count', 'SELECT WITH DIFFERENTIAL_PRIVACY OPTIONS(epsilon=10, delta=.01, privacy_unit_column=id) item, COUNT(*, contribution_bounds_per_group=>(0, 100)) FROM UNNEST([STRUCT(1 AS id, \'a\' AS item)]) GROUP BY item'],
    ['objectref_functions#objmake_ref', "SELECT OBJ.MAKE_REF('gs://b/o', 'us.conn')"],
    ['aead_encryption_functions#keysnew_keyset', "SELECT KEYS.NEW_KEYSET('AEAD_AES_GCM_256')"],
    ['dlp_functions#dlp_key_chain', "SELECT DLP_KEY_CHAIN('gcp-kms://k', b'x')"],
    ['federated_query_functions#external_query', "SELECT * FROM EXTERNAL_QUERY('c', 'SELECT 1')"],
    ['geography_functions#st_geogpoint', 'SELECT ST_GEOGPOINT(1, 2)'],
    ['hll_functions#hll_countinit', 'SELECT HLL_COUNT.INIT(x) FROM UNNEST([1]) AS x'],
    ['kll_functions#kll_quantilesinit_int64', 'SELECT KLL_QUANTILES.INIT_INT64(x) FROM UNNEST([1]) AS x'],
    ['range-functions#range_sessionize', "SELECT * FROM RANGE_SESSIONIZE(TABLE conformance.t, 'duration', ['emp_id'])"],
    ['search_functions#search', "SELECT SEARCH('a b', 'a')"],
    ['text-analysis-functions#text_analyze', "SELECT TEXT_ANALYZE('a b')"],
    ['time-series-functions#gap_fill', 'SELECT * FROM GAP_FILL(TABLE t, ts_column => \'t\', bucket_width => INTERVAL 1 MINUTE)'],
  ] as const).map(([page, sql]): ConformanceCase => ({ name: `${page.split('#')[0]}: ${page.split('#')[1]} fails loudly`, area: 'unsupported', page: p(page), sql, error: LOUD })),
];
