/**
 * TO_BASE32 / FROM_BASE32 (RFC 4648 base32 with '=' padding) and SOUNDEX (string_functions#soundex:
 * American Soundex over the Latin letters A–Z; other characters are ignored, the first letter keeps
 * its case, H and W do not separate equal codes, vowels and Y do; four characters, 0-padded).
 */
import { BigQueryApiError } from '../../types.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 5) {
    const chunk = [...b.slice(i, i + 5)];
    const n = chunk.length;
    while (chunk.length < 5) chunk.push(0);
    const bits = chunk.reduce((acc, x) => (acc << 8n) | BigInt(x), 0n);
    const chars = [2, 4, 5, 7, 8][n - 1]!;
    for (let k = 0; k < 8; k++) out += k < chars ? ALPHABET[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
  }
  return out;
}

export function unbase32(s: string): Uint8Array {
  const text = s.replace(/=+$/, '').toUpperCase();
  if (/[^A-Z2-7]/.test(text) || [1, 3, 6].includes(text.length % 8)) throw new BigQueryApiError('invalidQuery', `FROM_BASE32: invalid base32 input: ${s}`);
  const out: number[] = [];
  let acc = 0;
  let n = 0;
  for (const c of text) {
    acc = (acc << 5) | ALPHABET.indexOf(c);
    n += 5;
    if (n >= 8) {
      n -= 8;
      out.push((acc >> n) & 0xff);
    }
    acc &= (1 << n) - 1;
  }
  return Uint8Array.from(out);
}

const CODES: Record<string, string> = {};
for (const [letters, code] of [['BFPV', '1'], ['CGJKQSXZ', '2'], ['DT', '3'], ['L', '4'], ['MN', '5'], ['R', '6'], ['AEIOUY', '0'], ['HW', '']] as const) {
  for (const l of letters) CODES[l] = code;
}

export function soundex(s: string): string {
  const letters = [...s].filter((c) => /^[A-Za-z]$/.test(c));
  if (letters.length === 0) return '';
  let out = letters[0]!;
  let prev = CODES[letters[0]!.toUpperCase()]!;
  for (const c of letters.slice(1)) {
    const code = CODES[c.toUpperCase()]!;
    if (code === '') continue;
    if (code !== '0' && code !== prev) out += code;
    prev = code;
    if (out.length === 4) break;
  }
  return out.padEnd(4, '0');
}
