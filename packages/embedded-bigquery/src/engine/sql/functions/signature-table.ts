/**
 * BigQuery's signatures of the string, math, array and common aggregate functions, as its reference
 * (string_functions, mathematical_functions, array_functions, aggregate_functions) and its "Supported
 * signatures" texts give them: the data function-signatures.ts checks calls against (the argument
 * classes are read from the texts) and error-texts.ts quotes. Two pseudo types: ORDERABLE (MAX and MIN
 * take no ARRAY, STRUCT or JSON) and NON_ARRAY (ARRAY_AGG takes no ARRAY). Imports nothing.
 */

/** BigQuery's signature texts, by function, as its messages quote them. */
export const SIGNATURE_TEXTS: Record<string, string> = {};
/** The same with the pseudo types (the classes are read from these). */
export const FORM_TEXTS: Record<string, string> = {};
/** The aggregate functions among them: their arguments are read inside the aggregate. */
export const AGGREGATES = new Set<string>();

function sig(names: string[], forms: (n: string) => string[], aggregate = false): void {
  for (const n of names) {
    const texts = forms(n);
    FORM_TEXTS[n] = texts.join('; ');
    SIGNATURE_TEXTS[n] = FORM_TEXTS[n].replace(/ORDERABLE|NON_ARRAY/g, 'ANY');
    if (aggregate) AGGREGATES.add(n);
  }
}
const numberForms = (n: string, types: string[], args = 1): string[] => types.map((t) => `${n}(${Array(args).fill(t).join(', ')})`);
const ALL_NUMBERS = ['INT64', 'NUMERIC', 'BIGNUMERIC', 'FLOAT64'];
const stringOrBytes = (args: string): ((n: string) => string[]) => (n) => [`${n}(${args.replace(/%/g, 'STRING')})`, `${n}(${args.replace(/%/g, 'BYTES')})`];

// string_functions
// CONCAT is not checked: BigQuery's reference answers CONCAT('Summer', ' ', 1923) with 'Summer 1923'
sig(['LENGTH', 'BYTE_LENGTH', 'OCTET_LENGTH', 'UPPER', 'LOWER', 'REVERSE', 'ASCII', 'MD5', 'SHA1', 'SHA256'], stringOrBytes('%'));
sig(['CHAR_LENGTH', 'CHARACTER_LENGTH', 'UNICODE', 'SOUNDEX', 'FROM_BASE64', 'FROM_HEX'], (n) => [`${n}(STRING)`]);
sig(['TO_HEX', 'TO_BASE64', 'SAFE_CONVERT_BYTES_TO_STRING'], (n) => [`${n}(BYTES)`]);
sig(['STARTS_WITH', 'ENDS_WITH', 'STRPOS', 'REGEXP_CONTAINS', 'REGEXP_EXTRACT_ALL'], stringOrBytes('%, %'));
sig(['REPLACE', 'TRANSLATE', 'REGEXP_REPLACE'], stringOrBytes('%, %, %'));
sig(['SUBSTR', 'SUBSTRING'], stringOrBytes('%, INT64, [INT64]'));
sig(['LEFT', 'RIGHT', 'REPEAT'], stringOrBytes('%, INT64'));
sig(['LPAD', 'RPAD'], stringOrBytes('%, INT64, [%]'));
sig(['TRIM', 'LTRIM', 'RTRIM'], (n) => [`${n}(STRING, [STRING])`, `${n}(BYTES, BYTES)`]);
sig(['SPLIT'], (n) => [`${n}(STRING, [STRING])`, `${n}(BYTES, BYTES)`]);
sig(['REGEXP_EXTRACT', 'REGEXP_SUBSTR', 'INSTR'], stringOrBytes('%, %, [INT64], [INT64]'));
sig(['REGEXP_INSTR'], stringOrBytes('%, %, [INT64], [INT64], [INT64]'));
sig(['INITCAP'], (n) => [`${n}(STRING, [STRING])`]);
sig(['CHR'], (n) => [`${n}(INT64)`]);
// mathematical_functions
sig(['ABS', 'SIGN'], (n) => numberForms(n, ALL_NUMBERS));
sig(['SQRT', 'EXP', 'LN', 'LOG10', 'CEIL', 'CEILING', 'FLOOR'], (n) => numberForms(n, ['FLOAT64', 'NUMERIC', 'BIGNUMERIC']));
sig(['POW', 'POWER'], (n) => numberForms(n, ['FLOAT64', 'NUMERIC', 'BIGNUMERIC'], 2));
sig(['LOG'], (n) => ['FLOAT64', 'NUMERIC', 'BIGNUMERIC'].map((t) => `${n}(${t}, [${t}])`));
// ROUND's third argument (a rounding mode, NUMERIC and BIGNUMERIC only) is checked by its handler (math-functions.ts)
sig(['ROUND', 'TRUNC'], (n) => [`${n}(FLOAT64, [INT64])`, `${n}(NUMERIC, [INT64])`, `${n}(BIGNUMERIC, [INT64])`]);
sig(['SIN', 'COS', 'TAN', 'COT', 'ASIN', 'ACOS', 'ATAN', 'SINH', 'COSH', 'TANH', 'ASINH', 'ACOSH', 'ATANH', 'SEC', 'CSC', 'SECH', 'CSCH', 'COTH', 'CBRT', 'IS_INF', 'IS_NAN'], (n) => [`${n}(FLOAT64)`]);
sig(['ATAN2', 'IEEE_DIVIDE'], (n) => [`${n}(FLOAT64, FLOAT64)`]);
sig(['MOD', 'DIV'], (n) => numberForms(n, ['INT64', 'NUMERIC', 'BIGNUMERIC'], 2));
sig(['SAFE_DIVIDE'], (n) => numberForms(n, ['FLOAT64', 'NUMERIC', 'BIGNUMERIC'], 2));
sig(['SAFE_ADD', 'SAFE_SUBTRACT', 'SAFE_MULTIPLY'], (n) => numberForms(n, ALL_NUMBERS, 2));
sig(['SAFE_NEGATE'], (n) => numberForms(n, ALL_NUMBERS));
// array_functions
sig(['ARRAY_LENGTH', 'ARRAY_REVERSE', 'ARRAY_FIRST', 'ARRAY_LAST', 'ARRAY_IS_DISTINCT'], (n) => [`${n}(ARRAY)`]);
sig(['ARRAY_CONCAT'], (n) => [`${n}(ARRAY, [ARRAY, ...])`]);
sig(['ARRAY_SLICE'], (n) => [`${n}(ARRAY, INT64, INT64)`]);
sig(['ARRAY_TO_STRING'], (n) => [`${n}(ARRAY<STRING>, STRING, [STRING])`, `${n}(ARRAY<BYTES>, BYTES, [BYTES])`]);
sig(['CODE_POINTS_TO_STRING', 'CODE_POINTS_TO_BYTES'], (n) => [`${n}(ARRAY<INT64>)`]);
// aggregate_functions
sig(['SUM', 'AVG'], (n) => [...numberForms(n, ALL_NUMBERS), `${n}(INTERVAL)`], true);
sig(['STRING_AGG'], (n) => [`${n}(STRING, [STRING])`, `${n}(BYTES, [BYTES])`], true);
sig(['LOGICAL_AND', 'LOGICAL_OR', 'COUNTIF'], (n) => [`${n}(BOOL)`], true);
sig(['BIT_AND', 'BIT_OR', 'BIT_XOR'], (n) => [`${n}(INT64)`], true);
sig(['MAX', 'MIN'], (n) => [`${n}(ORDERABLE)`], true);
sig(['ARRAY_AGG'], (n) => [`${n}(NON_ARRAY)`], true);

// conditional_expressions (checked for a common supertype: supertype-checks.ts)
SIGNATURE_TEXTS.COALESCE = 'COALESCE([ANY, ...])';
SIGNATURE_TEXTS.IFNULL = 'IFNULL(ANY, ANY)';
SIGNATURE_TEXTS.IF = 'IF(BOOL, ANY, ANY)';
