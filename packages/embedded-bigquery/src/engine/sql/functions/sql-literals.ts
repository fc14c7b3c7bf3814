/**
 * GoogleSQL literals of STRING and BYTES values, as FORMAT's %T prints them (ZetaSQL
 * public/strings.cc: ToStringLiteral with CEscapeInternal, ToBytesLiteral with EscapeBytes). The
 * quote is " unless the text holds " and no ', then '; only that quote is escaped. And
 * SAFE_CONVERT_BYTES_TO_STRING's replacement of ill-formed UTF-8 (string.cc SafeConvertBytes).
 */
const HEX = '0123456789abcdef';
const hex2 = (c: number): string => `\\x${HEX[c >> 4]}${HEX[c & 15]}`;
const isPrint = (c: number): boolean => c >= 0x20 && c < 0x7f;
const isXDigit = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const quoteFor = (s: string): string => (s.includes('"') && !s.includes("'") ? "'" : '"');

/** CEscapeInternal with utf8_safe: bytes ≥ 0x80 pass as they are (so the text stays UTF-8). */
export function stringLiteral(s: string): string {
  const q = quoteFor(s);
  const bytes = Buffer.from(s, 'utf8');
  const out: number[] = [];
  const put = (t: string): void => {
    for (const ch of t) out.push(ch.charCodeAt(0));
  };
  let lastHex = false;
  for (const c of bytes) {
    let isHex = false;
    if (c === 0x0a) put('\\n');
    else if (c === 0x0d) put('\\r');
    else if (c === 0x09) put('\\t');
    else if (c === 0x5c) put('\\\\');
    else if (c === 0x27 || c === 0x22 || c === 0x60) {
      if (String.fromCharCode(c) === q) out.push(0x5c);
      out.push(c);
    } else if (c < 0x80 && (!isPrint(c) || (lastHex && isXDigit(c)))) {
      put(hex2(c));
      isHex = true;
    } else out.push(c);
    lastHex = isHex;
  }
  return `${q}${Buffer.from(out).toString('utf8')}${q}`;
}

/** EscapeBytes: every byte that is not printable ASCII as \xNN. */
export function bytesLiteral(b: Uint8Array): string {
  const q = quoteFor(Buffer.from(b).toString('latin1'));
  let out = '';
  for (const c of b) {
    if (!isPrint(c)) out += hex2(c);
    else if (c === 0x5c) out += '\\\\';
    else if (String.fromCharCode(c) === q) out += `\\${q}`;
    else out += String.fromCharCode(c);
  }
  return `b${q}${out}${q}`;
}

/** The length of the ill-formed sequence at b[i] (ICU's U8_NEXT: the lead byte and the trail bytes valid so far), or 0 if well-formed. */
function illFormed(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 0;
  const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
  if (need < 0) return 1;
  // the second byte's range depends on the lead (no overlongs, surrogates or code points past U+10FFFF)
  const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  for (let k = 1; k <= need; k++) {
    const t = b[i + k];
    const ok = t !== undefined && (k === 1 ? t >= lo && t <= hi : t >= 0x80 && t <= 0xbf);
    if (!ok) return k;
  }
  return 0;
}

/** SAFE_CONVERT_BYTES_TO_STRING: UTF-8 as it is, every byte of an ill-formed sequence as U+FFFD. */
export function safeConvertBytes(b: Uint8Array): string {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < b.length; ) {
    const bad = illFormed(b, i);
    if (bad === 0) {
      const c = b[i]!;
      i += c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
      continue;
    }
    out.push(Buffer.from(b.subarray(start, i)).toString('utf8'), '\uFFFD'.repeat(bad));
    i += bad;
    start = i;
  }
  out.push(Buffer.from(b.subarray(start)).toString('utf8'));
  return out.join('');
}
