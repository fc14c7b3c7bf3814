/**
 * The values behind BigQuery's NET.* functions (net_functions page), as plain TypeScript: IP
 * addresses in network byte order, masks, and the host of a URL. A case whose BigQuery answer is
 * not certain throws an error saying so, rather than answering differently.
 */
import { BigQueryApiError } from '../../types.js';
import { unsupported } from '../../errors.js';

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4Bytes(s: string): number[] | null {
  return IPV4.test(s) ? s.split('.').map(Number) : null;
}

function ipv6Bytes(s: string): number[] | null {
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let k = 0; k < pieces.length; k++) {
      const p = pieces[k]!;
      if (k === pieces.length - 1 && p.includes('.')) {
        const v4 = ipv4Bytes(p);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
        out.push(parseInt(p, 16));
      } else {
        return null;
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** NET.IP_FROM_STRING: 4 bytes for IPv4, 16 for IPv6 (CIDR and zones are not addresses); null if unparseable. */
export function ipFromString(s: string): Uint8Array | null {
  const bytes = ipv4Bytes(s) ?? (s.includes(':') ? ipv6Bytes(s) : null);
  return bytes ? Uint8Array.from(bytes) : null;
}

/** NET.IP_TO_STRING: dotted IPv4, RFC 5952 IPv6 (lower case, the longest run of two or more zero groups as ::). */
export function ipToString(b: Uint8Array): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) throw new BigQueryApiError('invalidQuery', `NET.IP_TO_STRING() encountered a non-IPv4/IPv6 address. Expected 4 or 16 bytes but got ${b.length}`);
  const words = Array.from({ length: 8 }, (_, k) => (b[2 * k]! << 8) | b[2 * k + 1]!);
  if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) return `::ffff:${[...b.slice(12)].join('.')}`;
  if (words.slice(0, 6).every((w) => w === 0) && (words[6] !== 0 || words[7]! > 1)) {
    // IPv4-compatible form (::a.b.c.d vs ::c000:280): printers disagree, and so may BigQuery
    throw unsupported('NET.IP_TO_STRING of an IPv6 address whose first 96 bits are zero (other than :: and ::1)');
  }
  let best = -1;
  let bestLen = 1;
  for (let k = 0; k < 8; ) {
    if (words[k] !== 0) {
      k++;
      continue;
    }
    let e = k;
    while (e < 8 && words[e] === 0) e++;
    if (e - k > bestLen) [best, bestLen] = [k, e - k];
    k = e;
  }
  const hex = words.map((w) => w.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

function checkPrefix(fn: string, prefix: bigint, bytes: number): number {
  if (prefix < 0n || prefix > BigInt(8 * bytes)) throw new BigQueryApiError('invalidQuery', `${fn}() encountered an invalid prefix length: ${prefix}. It must be between 0 and ${8 * bytes}`);
  return Number(prefix);
}

/** NET.IP_NET_MASK(num_output_bytes, prefix_length). */
export function ipNetMask(bytes: bigint, prefix: bigint): Uint8Array {
  if (bytes !== 4n && bytes !== 16n) throw new BigQueryApiError('invalidQuery', `NET.IP_NET_MASK() encountered an invalid number of output bytes: ${bytes}. It must be 4 or 16`);
  const n = Number(bytes);
  const p = checkPrefix('NET.IP_NET_MASK', prefix, n);
  return Uint8Array.from({ length: n }, (_, k) => (p >= 8 * (k + 1) ? 0xff : p <= 8 * k ? 0 : (0xff << (8 - (p - 8 * k))) & 0xff));
}

/** NET.IP_TRUNC(addr_bin, prefix_length): the address with every bit after the prefix set to 0. */
export function ipTrunc(b: Uint8Array, prefix: bigint): Uint8Array {
  if (b.length !== 4 && b.length !== 16) throw new BigQueryApiError('invalidQuery', `NET.IP_TRUNC() encountered a non-IPv4/IPv6 address. Expected 4 or 16 bytes but got ${b.length}`);
  const mask = ipNetMask(BigInt(b.length), BigInt(checkPrefix('NET.IP_TRUNC', prefix, b.length)));
  return b.map((x, k) => x & mask[k]!);
}

/** NET.IPV4_FROM_INT64: [-0x80000000, 0xFFFFFFFF], the low 32 bits in network byte order. */
export function ipv4FromInt64(v: bigint): Uint8Array {
  if (v < -0x80000000n || v > 0xffffffffn) throw new BigQueryApiError('invalidQuery', `NET.IPV4_FROM_INT64() encountered a value out of range for an IPv4 address: ${v}`);
  const u = Number(BigInt.asUintN(32, v));
  return Uint8Array.from([u >>> 24, (u >>> 16) & 0xff, (u >>> 8) & 0xff, u & 0xff]);
}

/** NET.IPV4_TO_INT64: 4 bytes in network byte order as a non-negative INT64. */
export function ipv4ToInt64(b: Uint8Array): bigint {
  if (b.length !== 4) throw new BigQueryApiError('invalidQuery', `NET.IPV4_TO_INT64() encountered a non-IPv4 address. Expected 4 bytes but got ${b.length}`);
  return BigInt(((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!);
}

/**
 * NET.HOST, as ZetaSQL's reference implementation (functions/net.cc, Host) reads a URL: ASCII
 * whitespace around it trimmed; a leading `//`, or a first `:` followed by `//` (the scheme), skipped;
 * the authority ends at the first / \\ ? #; a `userinfo@` dropped (up to the last @); a `:port`
 * dropped after an optional [IPv6] part; leading dots dropped and trailing dots kept as one. Case and
 * non-ASCII characters are kept; NULL when nothing is left. A string is read by its code units, as
 * the C++ reads UTF-8 bytes: every delimiter is ASCII.
 */
export function urlHost(url: string): string | null {
  if (url === '') return null;
  const s = url.replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, '');
  const slash = (k: number): boolean => s[k] === '/' || s[k] === '\\';
  let begin = 0;
  let end = s.length;
  let colonTarget = ':';
  if (end > 1 && slash(0) && slash(1)) {
    begin = 2;
    colonTarget = '/'; // no scheme after a leading //
  }
  for (let p = begin; p < end; p++) {
    const c = s[p]!;
    if (c === '#' || c === '?' || c === '/' || c === '\\') {
      end = p;
      break;
    }
    if (c === colonTarget) {
      // a scheme only before `://`: "mailto:" and "javascript:" are not skipped
      if (p + 2 < end && slash(p + 1) && slash(p + 2)) {
        p += 2;
        begin = p + 1;
      }
      colonTarget = '/';
    } else if (c === '@') {
      begin = p + 1;
    }
  }
  let p = begin;
  if (p < end && s[p] === '[') {
    while (++p < end) {
      if (s[p] === '[' || s[p] === ']') {
        ++p;
        break;
      }
    }
  }
  const colon = s.indexOf(':', p);
  if (colon >= 0 && colon < end) end = colon;
  while (begin < end && s[begin] === '.') begin++;
  if (end > begin && s[end - 1] === '.') {
    let q = end - 1;
    while (s[q - 1] === '.') q--;
    end = q + 1;
  }
  return begin < end ? s.slice(begin, end) : null;
}
