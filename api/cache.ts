/**
 * In-process response cache: entries live `ttlMs`, and concurrent misses on one key share a single
 * computation (no stampede of identical BigQuery jobs when a popular entry expires). Failures are not
 * cached. A TTL of 0 turns caching off, but identical concurrent requests still share one job.
 */
import { createHash } from 'node:crypto';

/** What a route computes: the response body, and the statistics of the jobs that produced it (for the log). */
export interface Computed<B, S = unknown> {
  body: B;
  stats: S[];
}

export interface CachedValue<T extends Computed<unknown>> {
  value: T;
  /** The body as JSON, serialized once: every hit sends these bytes. */
  json: string;
  /** Strong validator over `json` (not the stats: a recomputed identical body keeps its tag). */
  etag: string;
  /** When the value was computed (ms since epoch). */
  storedAt: number;
}

export interface CacheLookup<T extends Computed<unknown>> extends CachedValue<T> {
  /** `hit` from memory, `shared` from a computation another request started, `miss` computed for this one. */
  source: 'hit' | 'shared' | 'miss';
}

export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

export class ResponseCache {
  private readonly entries = new Map<string, CachedValue<Computed<unknown>>>();
  private readonly inFlight = new Map<string, Promise<CachedValue<Computed<unknown>>>>();

  constructor(
    readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  async get<T extends Computed<unknown>>(key: string, compute: () => Promise<T>): Promise<CacheLookup<T>> {
    const entry = this.entries.get(key);
    if (entry && this.clock() - entry.storedAt < this.ttlMs) return { ...(entry as CachedValue<T>), source: 'hit' };
    const pending = this.inFlight.get(key);
    if (pending) return { ...((await pending) as CachedValue<T>), source: 'shared' };
    const computation = this.compute(key, compute);
    this.inFlight.set(key, computation);
    try {
      return { ...(await computation), source: 'miss' };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async compute<T extends Computed<unknown>>(key: string, compute: () => Promise<T>): Promise<CachedValue<T>> {
    const value = await compute();
    const json = JSON.stringify(value.body);
    const stored: CachedValue<T> = { value, json, etag: etagOf(json), storedAt: this.clock() };
    if (this.ttlMs > 0) {
      this.entries.delete(key);
      this.entries.set(key, stored);
      // Map keeps insertion order: the first key is the oldest entry.
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    }
    return stored;
  }

  get size(): number {
    return this.entries.size;
  }
}
