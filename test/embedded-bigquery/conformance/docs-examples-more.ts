/**
 * More GoogleSQL function examples with the results the reference prints for them (github.com/google/zetasql
 * docs/approximate_aggregate_functions.md and string_functions.md, as BigQuery's pages print them): every
 * example of APPROX_TOP_COUNT, APPROX_TOP_SUM, NORMALIZE and NORMALIZE_AND_CASEFOLD, added when the
 * embedded BigQuery began to claim them. Copied as printed; expected values are never produced by the engine.
 */
import type { DocsExample } from './docs-examples.js';

export const MORE_DOCS_EXAMPLES: DocsExample[] = [
  {"name": "APPROX_TOP_COUNT example 1", "area": "approximate_aggregate", "sql": "SELECT APPROX_TOP_COUNT(x, 2) as approx_top_count\nFROM UNNEST([\"apple\", \"apple\", \"pear\", \"pear\", \"pear\", \"banana\"]) as x", "docs": [["[{pear, 3}, {apple, 2}]"]], "ordered": false},
  {"name": "APPROX_TOP_COUNT example 2", "area": "approximate_aggregate", "sql": "SELECT APPROX_TOP_COUNT(x, 2) as approx_top_count\nFROM UNNEST([NULL, \"pear\", \"pear\", \"pear\", \"apple\", NULL]) as x", "docs": [["[{pear, 3}, {NULL, 2}]"]], "ordered": false},
  {"name": "APPROX_TOP_SUM example 1", "area": "approximate_aggregate", "sql": "SELECT APPROX_TOP_SUM(x, weight, 2) AS approx_top_sum FROM\nUNNEST([\n  STRUCT(\"apple\" AS x, 3 AS weight),\n  (\"pear\", 2),\n  (\"apple\", 0),\n  (\"banana\", 5),\n  (\"pear\", 4)\n])", "docs": [["[{pear, 6}, {banana, 5}]"]], "ordered": false},
  {"name": "APPROX_TOP_SUM example 2", "area": "approximate_aggregate", "sql": "SELECT APPROX_TOP_SUM(x, weight, 2) AS approx_top_sum FROM\nUNNEST([STRUCT(\"apple\" AS x, NULL AS weight), (\"pear\", 0), (\"pear\", NULL)])", "docs": [["[{pear, 0}, {apple, NULL}]"]], "ordered": false},
  {"name": "APPROX_TOP_SUM example 3", "area": "approximate_aggregate", "sql": "SELECT APPROX_TOP_SUM(x, weight, 2) AS approx_top_sum FROM\nUNNEST([STRUCT(\"apple\" AS x, 0 AS weight), (NULL, 2)])", "docs": [["[{NULL, 2}, {apple, 0}]"]], "ordered": false},
  {"name": "APPROX_TOP_SUM example 4", "area": "approximate_aggregate", "sql": "SELECT APPROX_TOP_SUM(x, weight, 2) AS approx_top_sum FROM\nUNNEST([STRUCT(\"apple\" AS x, 0 AS weight), (NULL, NULL)])", "docs": [["[{apple, 0}, {NULL, NULL}]"]], "ordered": false},
  {"name": "NORMALIZE example 1", "area": "string", "sql": "SELECT\n  NORMALIZE('\\u00ea') as a,\n  NORMALIZE('\\u0065\\u0302') as b,\n  NORMALIZE('\\u00ea') = NORMALIZE('\\u0065\\u0302') as normalized", "docs": [["ê", "ê", "TRUE"]], "ordered": false},
  {"name": "NORMALIZE example 2", "area": "string", "sql": "SELECT NORMALIZE('Raha\\u2004Mahan', NFKC) AS normalized_name", "docs": [["Raha Mahan"]], "ordered": false},
  {"name": "NORMALIZE example 3", "area": "string", "sql": "SELECT NORMALIZE('Raha\\u2005Mahan', NFKC) AS normalized_name", "docs": [["Raha Mahan"]], "ordered": false},
  {"name": "NORMALIZE example 4", "area": "string", "sql": "SELECT NORMALIZE('Raha\\u2006Mahan', NFKC) AS normalized_name", "docs": [["Raha Mahan"]], "ordered": false},
  {"name": "NORMALIZE example 5", "area": "string", "sql": "SELECT NORMALIZE('Raha Mahan', NFKC) AS normalized_name", "docs": [["Raha Mahan"]], "ordered": false},
  {"name": "NORMALIZE_AND_CASEFOLD example 1", "area": "string", "sql": "SELECT\n  NORMALIZE('The red barn') = NORMALIZE('The Red Barn') AS normalized,\n  NORMALIZE_AND_CASEFOLD('The red barn')\n    = NORMALIZE_AND_CASEFOLD('The Red Barn') AS normalized_with_case_folding", "docs": [["FALSE", "TRUE"]], "ordered": false},
  {"name": "NORMALIZE_AND_CASEFOLD example 2", "area": "string", "sql": "SELECT\n  '\\u2168' AS a,\n  'IX' AS b,\n  NORMALIZE_AND_CASEFOLD('\\u2168', NFD)=NORMALIZE_AND_CASEFOLD('IX', NFD) AS nfd,\n  NORMALIZE_AND_CASEFOLD('\\u2168', NFC)=NORMALIZE_AND_CASEFOLD('IX', NFC) AS nfc,\n  NORMALIZE_AND_CASEFOLD('\\u2168', NFKD)=NORMALIZE_AND_CASEFOLD('IX', NFKD) AS nkfd,\n  NORMALIZE_AND_CASEFOLD('\\u2168', NFKC)=NORMALIZE_AND_CASEFOLD('IX', NFKC) AS nkfc", "docs": [["Ⅸ", "IX", "false", "false", "true", "true"]], "ordered": false},
  {"name": "NORMALIZE_AND_CASEFOLD example 3", "area": "string", "sql": "SELECT\n  '\\u0041\\u030A' AS a,\n  '\\u00C5' AS b,\n  NORMALIZE_AND_CASEFOLD('\\u0041\\u030A', NFD)=NORMALIZE_AND_CASEFOLD('\\u00C5', NFD) AS nfd,\n  NORMALIZE_AND_CASEFOLD('\\u0041\\u030A', NFC)=NORMALIZE_AND_CASEFOLD('\\u00C5', NFC) AS nfc,\n  NORMALIZE_AND_CASEFOLD('\\u0041\\u030A', NFKD)=NORMALIZE_AND_CASEFOLD('\\u00C5', NFKD) AS nkfd,\n  NORMALIZE_AND_CASEFOLD('\\u0041\\u030A', NFKC)=NORMALIZE_AND_CASEFOLD('\\u00C5', NFKC) AS nkfc", "docs": [["Å", "Å", "true", "true", "true", "true"]], "ordered": false},
];
