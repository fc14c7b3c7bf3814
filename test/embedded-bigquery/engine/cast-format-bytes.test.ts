/**
 * CAST(bytes AS STRING FORMAT f) and CAST(string AS BYTES FORMAT f) (format-elements#format_bytes_as_string,
 * #format_string_as_bytes): the page's examples (HEX 0001efff, BASE8 00410473, BASE64M 3q2+7w==, ASCII Hello,
 * UTF-8 $), RFC 4648's BASE32 test vectors both ways, BASE8 groups worked by hand from the right (ZetaSQL's
 * ToBase8), BASE64M's line break after 76 characters, formats given by an expression or a column, NULL
 * handling, ZetaSQL's error texts and SAFE_CAST's NULL for them; what stays loud.
 */
import { describe, expect, test } from '@jest/globals';
import { memoryEngine } from '../support-memory-engine.js';
import type { QueryOptions } from '../../../packages/embedded-bigquery/src/engine/types.js';

const opts: QueryOptions = { projectId: 'p' };
const engine = memoryEngine();

const values = async (sql: string): Promise<unknown[]> => (await engine().query(sql, opts)).rows[0]!.f.map((c) => c.v);
const failure = async (sql: string): Promise<string> => engine().query(sql, opts).then(() => 'answered', (e: Error) => e.message);
const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');

describe('BYTES to STRING', () => {
  test('the page’s examples', async () => {
    expect(await values("SELECT CAST(b'\\x00\\x01\\xEF\\xFF' AS STRING FORMAT 'HEX'), CAST(b'\\x02\\x11\\x3B' AS STRING FORMAT 'BASE8'), CAST(b'\\xde\\xad\\xbe\\xef' AS STRING FORMAT 'BASE64M'), CAST(b'\\x48\\x65\\x6c\\x6c\\x6f' AS STRING FORMAT 'ASCII'), CAST(b'\\x24' AS STRING FORMAT 'UTF-8')"))
      .toEqual(['0001efff', '00410473', '3q2+7w==', 'Hello', '$']);
  });

  test('BASE2, BASE8 from the right, BASE16, BASE32 (RFC 4648 vectors), case-insensitive formats', async () => {
    // 'abc' = 0x616263 = 011000010110001001100011; in octal 30261143; b'\x01' alone is 3 octal digits, b'\xff\xff' six (0o177777)
    expect(await values("SELECT CAST(b'abc' AS STRING FORMAT 'bAsE2'), CAST(b'abc' AS STRING FORMAT 'base8'), CAST(b'\\x01' AS STRING FORMAT 'base8'), CAST(b'\\xff\\xff' AS STRING FORMAT 'base8'), CAST(b'abc' AS STRING FORMAT 'Base16')"))
      .toEqual(['011000010110001001100011', '30261143', '001', '177777', '616263']);
    expect(await values("SELECT CAST(b'f' AS STRING FORMAT 'BASE32'), CAST(b'fo' AS STRING FORMAT 'BASE32'), CAST(b'foo' AS STRING FORMAT 'BASE32'), CAST(b'foob' AS STRING FORMAT 'BASE32'), CAST(b'fooba' AS STRING FORMAT 'BASE32'), CAST(b'foobar' AS STRING FORMAT 'BASE32')"))
      .toEqual(['MY======', 'MZXQ====', 'MZXW6===', 'MZXW6YQ=', 'MZXW6YTB', 'MZXW6YTBOI======']);
  });

  test('BASE64M breaks the line after 76 characters, BASE64 does not', async () => {
    const text = Buffer.from('abc'.repeat(30)).toString('base64');
    expect(await values("SELECT CAST(REPEAT(b'abc', 30) AS STRING FORMAT 'BASE64'), CAST(REPEAT(b'abc', 30) AS STRING FORMAT 'BASE64M')")).toEqual([text, `${text.slice(0, 76)}\n${text.slice(76)}`]);
  });

  test('more BYTES literals in one statement than the query layer probes types for (8)', async () => {
    const formats = ['base2', 'base8', 'base16', 'hex', 'base32', 'base64', 'base64m', 'ascii', 'utf8', 'utf-8'];
    expect(await values(`SELECT ${formats.map((f) => `CAST(b'abc' AS STRING FORMAT '${f}')`).join(', ')}`))
      .toEqual(['011000010110001001100011', '30261143', '616263', '616263', 'MFRGG===', 'YWJj', 'YWJj', 'abc', 'abc', 'abc']);
  });

  test('a format from an expression or a column; NULL value or format gives NULL', async () => {
    expect(await values("SELECT CAST(b'abc' AS STRING FORMAT 'b' || 'A' || 'sE2'), CAST(b'abc' AS STRING FORMAT CAST(NULL AS STRING)), CAST(CAST(NULL AS BYTES) AS STRING FORMAT 'utf8')")).toEqual(['011000010110001001100011', null, null]);
    const { rows } = await engine().query("SELECT CAST(x AS STRING FORMAT f) FROM UNNEST([STRUCT(b'xyz' AS x, 'base64' AS f), (b'def', 'BASE8')]) WITH OFFSET o ORDER BY o", opts);
    expect(rows.map((r) => r.f[0]!.v)).toEqual(['eHl6', '31062546']);
  });

  test('errors as ZetaSQL words them; SAFE_CAST gives NULL', async () => {
    expect(await failure("SELECT CAST(b'abc' AS STRING FORMAT 'x' || 'y' || 'z')")).toMatch(/Invalid format 'xyz'/);
    expect(await failure("SELECT CAST(b'\\xc3\\xa0bc' AS STRING FORMAT 'ascii')")).toMatch(/Failed to decode invalid ASCII string/);
    expect(await failure("SELECT CAST(b'\\xe2\\x28\\xa1' AS STRING FORMAT 'utf8')")).toMatch(/A string is not valid UTF-8\./);
    expect(await values("SELECT SAFE_CAST(b'\\xe2\\x28\\xa1' AS STRING FORMAT 'utf8'), SAFE_CAST(b'abc' AS STRING FORMAT 'xyz')")).toEqual([null, null]);
  });
});

describe('STRING to BYTES', () => {
  test('the page’s examples and every format', async () => {
    expect(await values("SELECT CAST('0001efff' AS BYTES FORMAT 'HEX'), CAST('00410473' AS BYTES FORMAT 'BASE8'), CAST('3q2+7w==' AS BYTES FORMAT 'BASE64M'), CAST('Hello' AS BYTES FORMAT 'ASCII'), CAST('$' AS BYTES FORMAT 'UTF-8')"))
      .toEqual([b64([0x00, 0x01, 0xef, 0xff]), b64([0x02, 0x11, 0x3b]), b64([0xde, 0xad, 0xbe, 0xef]), b64([...Buffer.from('Hello')]), b64([0x24])]);
    expect(await values("SELECT CAST('011000010110001001100011' AS BYTES FORMAT 'BaSe2'), CAST('30261143' AS BYTES FORMAT 'base8'), CAST('MZXW6YQ=' AS BYTES FORMAT 'base32'), CAST('YWJj\\nYWJj' AS BYTES FORMAT 'base64'), CAST('abc' AS BYTES FORMAT 'utf8')"))
      .toEqual([b64([...Buffer.from('abc')]), b64([...Buffer.from('abc')]), b64([...Buffer.from('foob')]), b64([...Buffer.from('abcabc')]), b64([...Buffer.from('abc')])]);
  });

  test('short groups: the left-most digits make the first bytes', async () => {
    // '100000001' = 1 | 00000001; '177777' octal = 0xffff; 'abc' hex = 0x0abc
    expect(await values("SELECT CAST('100000001' AS BYTES FORMAT 'base2'), CAST('177777' AS BYTES FORMAT 'base8'), CAST('abc' AS BYTES FORMAT 'hex'), CAST('' AS BYTES FORMAT 'base64')"))
      .toEqual([b64([1, 1]), b64([0xff, 0xff]), b64([0x0a, 0xbc]), '']);
  });

  test('errors as ZetaSQL words them; SAFE_CAST gives NULL; NULLs', async () => {
    expect(await failure("SELECT CAST('123' AS BYTES FORMAT 'base2')")).toMatch(/Failed to decode invalid base2 string due to character '2' at offset 1/);
    // the right-most group of 8 is read first: the '2' at the end is at offset 7 of it
    expect(await failure("SELECT CAST('1111111112' AS BYTES FORMAT 'base2')")).toMatch(/due to character '2' at offset 7/);
    expect(await failure("SELECT CAST('128' AS BYTES FORMAT 'base8')")).toMatch(/Failed to decode invalid base8 string/);
    expect(await failure("SELECT CAST('12x' AS BYTES FORMAT 'hex')")).toMatch(/Failed to decode invalid hexadecimal string due to character at offset 2: 12x/);
    expect(await failure("SELECT CAST('YW!j' AS BYTES FORMAT 'base64')")).toMatch(/Failed to decode invalid base64 string/);
    expect(await failure("SELECT CAST('àbc' AS BYTES FORMAT 'ascii')")).toMatch(/Failed to decode invalid ASCII string/);
    expect(await failure("SELECT CAST('abc' AS BYTES FORMAT 'x' || 'y' || 'z')")).toMatch(/Invalid format 'xyz'/);
    expect(await values("SELECT SAFE_CAST('123' AS BYTES FORMAT 'base2'), SAFE_CAST('abc' AS BYTES FORMAT 'xyz'), CAST('abc' AS BYTES FORMAT NULL), CAST(CAST(NULL AS STRING) AS BYTES FORMAT 'utf8')")).toEqual([null, null, null, null]);
  });

  test('what the implementation leaves open stays loud, under SAFE_CAST too', async () => {
    expect(await failure("SELECT CAST('YWJ' AS BYTES FORMAT 'base64')")).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure("SELECT SAFE_CAST('mzxq====' AS BYTES FORMAT 'base32')")).toMatch(/not supported by the embedded BigQuery/);
  });
});

describe('other types', () => {
  test('a NULL format gives NULL; a NULL number with a digits format is NULL; other numbers and string parsing stay loud', async () => {
    expect(await values("SELECT CAST(DATE '2020-01-01' AS STRING FORMAT CAST(NULL AS STRING)), CAST(CAST(NULL AS INT64) AS STRING FORMAT '99'), CAST('1234' AS DATE FORMAT NULL)")).toEqual([null, null, null]);
    expect(await failure("SELECT CAST(5 AS STRING FORMAT '99')")).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure("SELECT CAST('2020' AS DATE FORMAT 'YYYY')")).toMatch(/not supported by the embedded BigQuery/);
    // BigQuery refuses a value that is not a STRING when it reads the query; here it fails too
    expect(await failure("SELECT CAST(1 AS BYTES FORMAT 'hex')")).toMatch(/not supported by the embedded BigQuery/);
    expect(await failure('SELECT CAST(1 AS DATE FORMAT NULL)')).toMatch(/not supported by the embedded BigQuery/);
  });
});
