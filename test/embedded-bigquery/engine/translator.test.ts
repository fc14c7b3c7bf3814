/** The GoogleSQL lexer and translator on their own: quoting rules, statement splitting, path mapping. */
import { describe, expect, test } from '@jest/globals';
import { splitStatements, tokenize } from '../../../packages/embedded-bigquery/src/engine/sql/tokenizer.js';
import { Translator, type TranslateEnv } from '../../../packages/embedded-bigquery/src/engine/sql/translator.js';
import { encodeScalar, formatFloat, normalizeJson } from '../../../packages/embedded-bigquery/src/engine/encode.js';
import { BigQueryApiError } from '../../../packages/embedded-bigquery/src/engine/types.js';

function env(resolved: string[][] = []): TranslateEnv {
  return {
    resolveTable: (parts) => {
      resolved.push(parts);
      const [p, d, t] = parts.length === 3 ? parts : ['landform-local', ...parts];
      return { sql: `"${p}.${d}"."${t}"` };
    },
    bindParam: (t) => `$param_${t.value}`,
    variables: new Set(['v']),
  };
}

function translate(sql: string, e = env()): string {
  return new Translator(splitStatements(tokenize(sql))[0]!, e).translateAll();
}

describe('tokenizer', () => {
  test('string literal forms decode as GoogleSQL defines them', () => {
    const values = tokenize(`'a\\'b' "c\\nd" '''e'f''' r'\\n' b'\\x41' R"""g"""`).filter((t) => t.kind !== 'eof').map((t) => [t.kind, t.value]);
    expect(values).toEqual([['string', "a'b"], ['string', 'c\nd'], ['string', "e'f"], ['string', '\\n'], ['bytes', 'A'], ['string', 'g']]);
  });

  test('statements split on semicolons outside strings, comments and identifiers', () => {
    const parts = splitStatements(tokenize("select ';' -- a;b\n; select `x;y` /* ; */ ; # c;\nselect 3"));
    expect(parts.map((p) => p.map((t) => t.value).join(' '))).toEqual(['select ;', 'select x;y', 'select 3']);
  });

  test('an illegal escape fails with invalidQuery', () => {
    expect(() => tokenize("select 'a\\_b'")).toThrow(BigQueryApiError);
  });
});

describe('translator', () => {
  test('every backticked path form reaches the resolver as the same parts', () => {
    for (const p of ['`landform-local.ds.t`', '`landform-local`.`ds`.`t`', '`landform-local.ds`.t', '`landform-local`.ds.t']) {
      const resolved: string[][] = [];
      expect(translate(`SELECT * FROM ${p}`, env(resolved))).toBe('SELECT * FROM "landform-local.ds"."t"');
      expect(resolved).toEqual([['landform-local', 'ds', 't']]);
    }
  });

  test('CTE names are not resolved as tables; joined tables are', () => {
    const resolved: string[][] = [];
    translate('with c as (select 1 as x) select * from c join ds.t using (x)', env(resolved));
    expect(resolved).toEqual([['ds', 't']]);
  });

  test('literals take GoogleSQL types: double-quoted strings, FLOAT64 decimals, typed literals', () => {
    expect(translate(`SELECT "a", 1.5, date '2024-01-01', timestamp '2024-01-01 00:00:00+00', datetime '2024-01-01 10:00:00', numeric '1.5'`)).toBe(
      "SELECT 'a' , CAST(1.5 AS DOUBLE) , CAST('2024-01-01' AS DATE) , CAST('2024-01-01 00:00:00+00' AS TIMESTAMPTZ) , CAST('2024-01-01 10:00:00' AS TIMESTAMP) , CAST('1.5' AS DECIMAL(38,9))",
    );
  });

  test('parameters and script variables become bound placeholders and getvariable()', () => {
    // v.col reads the variable's field (a column v of ds.t would fail the run's shadowing check)
    expect(translate('select @p + v, v.col from ds.t')).toContain("bq_plus($param_p, getvariable('v')) , getvariable('v').\"col\" AS \"col\"");
  });

  test('SELECT * EXCEPT/REPLACE map to EXCLUDE/REPLACE', () => {
    expect(translate('SELECT * EXCEPT (a) REPLACE (b + 1 AS b) FROM ds.t')).toBe('SELECT * EXCLUDE (a) REPLACE (bq_plus(b, 1) AS b) FROM "landform-local.ds"."t"');
  });

  test('unknown and unsupported functions fail instead of running a DuckDB namesake', () => {
    expect(() => translate('select list_distinct([1])')).toThrow(/Function not found/);
    expect(() => translate('select st_area(g) from t')).toThrow(/not supported by the embedded BigQuery/);
  });
});

describe('encoding', () => {
  test('FLOAT64 and TIMESTAMP strings as BigQuery writes them', () => {
    expect([formatFloat(1.5), formatFloat(Infinity), formatFloat(-Infinity), formatFloat(NaN)]).toEqual(['1.5', 'Infinity', '-Infinity', 'NaN']);
    expect(encodeScalar(1704067200000000n, 'TIMESTAMP', {})).toBe('1.7040672E9');
    expect(encodeScalar(1704067200123456n, 'TIMESTAMP', {})).toBe('1.704067200123456E9');
    expect(encodeScalar(1704067200123456n, 'TIMESTAMP', { useInt64Timestamp: true })).toBe('1704067200123456');
  });

  test('JSON values print minified with sorted keys', () => {
    expect(normalizeJson('{"name": "Alice", "age": 30, "tags": [{"b": 1, "a": 2}]}')).toBe('{"age":30,"name":"Alice","tags":[{"a":2,"b":1}]}');
  });
});
