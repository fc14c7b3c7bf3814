/**
 * FarmHash Fingerprint64 (farmhashna's Hash64), the function behind BigQuery's FARM_FINGERPRINT.
 * Written from the published description of the algorithm: 64-bit little-endian reads, the three
 * constants k0..k2, the 0–16 / 17–32 / 33–64 byte cases and the 64-byte loop over 56 bytes of
 * state. All arithmetic is modulo 2^64 (BigInt masked after every multiplication and addition).
 * The result is the unsigned fingerprint reinterpreted as a signed INT64, as BigQuery returns it.
 */
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const add = (...xs: bigint[]): bigint => xs.reduce((a, b) => (a + b) & MASK, 0n);
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;

function rotate(v: bigint, shift: bigint): bigint {
  return shift === 0n ? v : ((v >> shift) | (v << (64n - shift))) & MASK;
}

const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function fetch64(b: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(b[at + k]!);
  return v;
}

function fetch32(b: Uint8Array, at: number): bigint {
  return BigInt((b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0);
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function len0to16(s: Uint8Array): bigint {
  const len = s.length;
  const n = BigInt(len);
  if (len >= 8) {
    const m = add(K2, n * 2n);
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rotate(b, 37n), m), a);
    const d = mul(add(rotate(a, 25n), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, n * 2n);
    const a = fetch32(s, 0);
    return hashLen16(add(n, (a << 3n) & MASK), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const y = BigInt(s[0]! + (s[len >> 1]! << 8));
    const z = BigInt(len + (s[len - 1]! << 2));
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function len17to32(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(add(rotate(add(a, b), 43n), rotate(c, 30n), d), add(a, rotate(add(b, K2), 18n), c), m);
}

function len33to64(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len) * 2n);
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(rotate(add(a, b), 43n), rotate(c, 30n), d);
  const z = hashLen16(y, add(a, rotate(add(b, K2), 18n), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(rotate(add(e, f), 43n), rotate(g, 30n), h), add(e, rotate(add(f, a), 18n), g), m);
}

/** The two 64-bit halves of a weak 32-byte hash of s[at, at+32) with seeds a and b. */
function weak32(s: Uint8Array, at: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const w = fetch64(s, at);
  const x = fetch64(s, at + 8);
  const y = fetch64(s, at + 16);
  const z = fetch64(s, at + 24);
  let a = add(a0, w);
  let b = rotate(add(b0, a, z), 21n);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotate(a, 44n));
  return [add(a, z), add(b, c)];
}

function unsignedFingerprint(s: Uint8Array): bigint {
  const len = s.length;
  if (len <= 16) return len0to16(s);
  if (len <= 32) return len17to32(s);
  if (len <= 64) return len33to64(s);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = len - 64;
  let at = 0;
  do {
    x = mul(rotate(add(x, y, v[0], fetch64(s, at + 8)), 37n), K1);
    y = mul(rotate(add(y, v[1], fetch64(s, at + 48)), 42n), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, at + 40));
    z = mul(rotate(add(z, w[0]), 33n), K1);
    v = weak32(s, at, mul(v[1], K1), add(x, w[0]));
    w = weak32(s, at + 32, add(z, w[1]), add(y, fetch64(s, at + 16)));
    [z, x] = [x, z];
    at += 64;
  } while (at !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  at = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotate(add(x, y, v[0], fetch64(s, at + 8)), 37n), m);
  y = mul(rotate(add(y, v[1], fetch64(s, at + 48)), 42n), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, at + 40));
  z = mul(rotate(add(z, w[0]), 33n), m);
  v = weak32(s, at, mul(v[1], m), add(x, w[0]));
  w = weak32(s, at + 32, add(z, w[1]), add(y, fetch64(s, at + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}

/** FARM_FINGERPRINT of the bytes: BigQuery's signed INT64. */
export function farmFingerprint(bytes: Uint8Array): bigint {
  return BigInt.asIntN(64, unsignedFingerprint(bytes));
}
