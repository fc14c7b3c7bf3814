/**
 * A small seeded PRNG (mulberry32) with the few distributions the demo data needs.
 * Deterministic by design: the same seed always yields the same sequence, so the demo
 * data set (and every figure the tests derive from it) is reproducible.
 */
export class Prng {
  private state: number;
  /**
   * Mixed into every id: mulberry32's whole future is its 32-bit state, so two generators that
   * pass through the same state would otherwise draw the same ids (at the large size, forks
   * overlap often enough to collide on primary keys). Salted by the seed, ids of different
   * generators differ unless they collide as random ids of their full length would.
   */
  private readonly idSalt: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
    this.idSalt = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Prng.pick: empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks by relative weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [item, weight] of items) {
      roll -= weight;
      if (roll < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  }

  /** Standard normal (Box-Muller). */
  normal(mean = 0, stdDev = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + stdDev * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Poisson count (Knuth for small means, normal approximation above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(this.normal(mean, Math.sqrt(mean))));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = 1;
    do {
      k += 1;
      p *= this.next();
    } while (p > limit);
    return k - 1;
  }

  /** Hex id of the given length, for uuid-like identifiers. */
  hex(length: number): string {
    let out = '';
    for (let word = 1; out.length < length; word += 2) {
      const salted = (Math.floor(this.next() * 4294967296) ^ Math.imul(this.idSalt, word)) >>> 0;
      out += salted.toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }

  /** A child generator whose sequence depends only on this seed and the label. */
  fork(label: string): Prng {
    let h = 2166136261 ^ this.state;
    for (let i = 0; i < label.length; i += 1) h = Math.imul(h ^ label.charCodeAt(i), 16777619);
    return new Prng(h >>> 0);
  }
}

/** Builds a child PRNG from a seed and a label without consuming the parent's sequence. */
export function prngFor(seed: number, label: string): Prng {
  return new Prng(seed).fork(label);
}
