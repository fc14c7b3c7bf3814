/**
 * PARSE_NUMERIC / PARSE_BIGNUMERIC's reader and COSINE_DISTANCE / EUCLIDEAN_DISTANCE's arithmetic on
 * their own, and the result types the REST API reports for the functions added with them. Expected
 * values are worked out by hand from the conversion_functions page's rules and ZetaSQL's
 * distance.cc (dimensions in ascending order, a missing one 0), never by the engine.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createEngine } from '../../../packages/embedded-bigquery/src/engine/index.js';
import type { Engine } from '../../../packages/embedded-bigquery/src/engine/types.js';
import { parseDecimal } from '../../../packages/embedded-bigquery/src/engine/sql/functions/parse-decimal.js';
import { vectorDistance } from '../../../packages/embedded-bigquery/src/engine/sql/functions/vector-distance.js';
import { discPercentile } from '../../../packages/embedded-bigquery/src/engine/sql/functions/exact-percentile.js';

describe('PARSE_NUMERIC / PARSE_BIGNUMERIC reader', () => {
  test.each([
    ['0', 'NUMERIC', '0.000000000'],
    ['-0', 'NUMERIC', '0.000000000'],
    ['1e2', 'NUMERIC', '100.000000000'],
    ['1.5E+1 -', 'NUMERIC', '-15.000000000'],
    ['12.', 'NUMERIC', '12.000000000'],
    ['0.0000000015', 'NUMERIC', '0.000000002'],
    ['-0.0000000014', 'NUMERIC', '-0.000000001'],
    ['4.9e-39', 'BIGNUMERIC', '0.00000000000000000000000000000000000000'],
    ['1.25', 'BIGNUMERIC', '1.25000000000000000000000000000000000000'],
  ] as const)('%j as %s is %s', (input, kind, out) => {
    expect(parseDecimal(input, kind)).toBe(out);
  });

  test.each(['', '   ', '.', 'e5', '1e', '1e+', '--1', '+ 1 -', '1,2.3,4', '1.2e3.4', '0x10', '1_000', '∞'])('%j is invalid', (input) => {
    expect(() => parseDecimal(input, 'NUMERIC')).toThrow(/Invalid NUMERIC value/);
  });

  test('the range is checked after rounding, at each type', () => {
    expect(parseDecimal('99999999999999999999999999999.9999999994', 'NUMERIC')).toBe('99999999999999999999999999999.999999999');
    expect(() => parseDecimal('99999999999999999999999999999.9999999995', 'NUMERIC')).toThrow(/Invalid NUMERIC value/);
    expect(() => parseDecimal('1e30', 'NUMERIC')).toThrow(/Invalid NUMERIC value/);
    expect(() => parseDecimal('1e39', 'BIGNUMERIC')).toThrow(/Invalid BIGNUMERIC value/);
  });

  test('whitespace inside the number but between two digits, and what DECIMAL(38,19) cannot hold, fail loudly', () => {
    expect(() => parseDecimal('1 .5', 'NUMERIC')).toThrow(/not supported by the embedded BigQuery/);
    expect(() => parseDecimal('1\u00a0', 'NUMERIC')).toThrow(/not supported by the embedded BigQuery/);
    expect(() => parseDecimal('1e20', 'BIGNUMERIC')).toThrow(/not supported by the embedded BigQuery/);
    // 5e-39 rounds half away from zero to 1e-38, which needs 38 decimals
    expect(() => parseDecimal('5e-39', 'BIGNUMERIC')).toThrow(/not supported by the embedded BigQuery/);
  });
});

describe('vector distances', () => {
  test('dense: the sums in element order', () => {
    // [3, 4] vs [0, 0]: √25; [1, 0] vs [0, 1]: orthogonal, distance 1
    expect(vectorDistance('euclidean', '[3.0,4.0]', '[0.0,0.0]')).toBe('5');
    expect(vectorDistance('cosine', '[1.0,0.0]', '[0.0,1.0]')).toBe('1');
  });
  test('sparse: INT64 dimensions by value, not by their text; a missing dimension is 0', () => {
    // dimensions 2 and 10 (10 sorts before 2 as text); (2: 3, 10: 4) vs nothing at 2, (10: 0): √(9 + 16)
    expect(vectorDistance('euclidean', '[{"":2,"":3.0},{"":10,"":4.0}]', '[{"":10,"":0.0}]')).toBe('5');
  });
  test('sparse STRING dimensions by their UTF-8 bytes', () => {
    // 'é' (0xC3 0xA9) sorts after 'z'; one dimension each side: orthogonal
    expect(vectorDistance('cosine', '[{"k":"é","v":1.0}]', '[{"k":"z","v":2.0}]')).toBe('1');
  });
  test('errors as distance.cc gives them', () => {
    expect(() => vectorDistance('cosine', '[{"":1,"":null}]', '[{"":1,"":1.0}]')).toThrow('NULL struct field');
    expect(() => vectorDistance('cosine', '[null]', '[1.0]')).toThrow('NULL array element');
    expect(() => vectorDistance('euclidean', '[{"":"a","":1.0},{"":"a","":2.0}]', '[]')).toThrow('Duplicate index a found in the input array.');
    expect(() => vectorDistance('cosine', '[0.0]', '[1.0]')).toThrow('Cannot compute cosine distance against zero vector.');
    expect(() => vectorDistance('euclidean', '[1e308]', '[-1e308]')).toThrow(/not supported by the embedded BigQuery/);
  });
});

describe("PERCENTILE_DISC's percentile as an exact DECIMAL", () => {
  test('a dyadic percentile is written whole; another is cut from its binary value, which lies above or below the literal', () => {
    expect(discPercentile('0.5')).toBe("CAST('0.5' AS DECIMAL(38, 1))");
    expect(discPercentile('1')).toBe('CAST(1 AS DECIMAL(38, 1))');
    // 0.9's binary value is 0.90000000000000002220446049250313080847263336181640625 (j = 52 + 1 → 28 digits)
    expect(discPercentile('0.9')).toBe("CAST('0.9000000000000000222044604925' AS DECIMAL(38, 28))");
    // 0.3's is 0.299999999999999988897769753748434595763683319091796875 (j = 52 + 2 → 29 digits)
    expect(discPercentile('0.3')).toBe("CAST('0.29999999999999998889776975374' AS DECIMAL(38, 29))");
  });
  test('a percentile whose binary value needs too many digits fails loudly', () => {
    expect(() => discPercentile('5e-324')).toThrow(/not supported by the embedded BigQuery/);
  });
});

describe('result types', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await createEngine({ dataPath: ':memory:' });
  });
  afterAll(async () => {
    await engine?.close();
  });
  test('PARSE_NUMERIC is NUMERIC, PARSE_BIGNUMERIC BIGNUMERIC, REGEXP_INSTR INT64, NET.PUBLIC_SUFFIX/REG_DOMAIN STRING, the distances FLOAT64', async () => {
    const r = await engine.query("SELECT PARSE_NUMERIC('1'), PARSE_BIGNUMERIC('1'), REGEXP_INSTR('ab', 'b'), NET.PUBLIC_SUFFIX('a.com'), NET.REG_DOMAIN('a.com'), COSINE_DISTANCE([1.0], [2.0]), EUCLIDEAN_DISTANCE([(1, 1.0)], [(1, 2.0)])", { projectId: 'p' });
    expect((r.schema?.fields ?? []).map((f) => f.type)).toEqual(['NUMERIC', 'BIGNUMERIC', 'INTEGER', 'STRING', 'STRING', 'FLOAT', 'FLOAT']);
  });
});
