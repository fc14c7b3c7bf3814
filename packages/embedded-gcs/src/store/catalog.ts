import { Hasher, type Digest } from '../hashing.js';
import { GcsApiError, noSuchBucket, noSuchObject } from '../errors.js';
import { checkPreconditions, type Preconditions } from './preconditions.js';
import type { BlobStore, BucketRecord, HashedObject, ObjectProperties, ObjectRecord, RecordStore } from './types.js';

interface BucketState {
  record: BucketRecord;
  objects: Map<string, ObjectRecord>;
  /** Names in GCS's listing order (UTF-8 byte order), rebuilt after a name is added or removed. */
  sorted?: string[];
}

export interface NewObject {
  bucket: string;
  name: string;
  blob: string;
  /** The bytes' hashes, or only their size: then the hashes are computed when first needed (see `hashed`). */
  digest: Digest | { size: number };
  properties: ObjectProperties;
  preconditions: Preconditions;
  /** For composed objects: no md5Hash, as GCS keeps none for them. */
  componentCount?: number;
}

/** A patch: `null` clears a field; in `metadata`, a `null` value removes that key. */
export type ObjectPatch = { [K in keyof Omit<ObjectProperties, 'metadata'>]?: string | null } & { metadata?: Record<string, string | null> | null };

const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * Buckets and live objects (one generation per name: no versioning), held in memory and written
 * through to a RecordStore. Every check-then-change runs synchronously, so a precondition such as
 * ifGenerationMatch=0 holds against concurrent writers of the same name: the second one gets 412.
 */
export class Catalog {
  private readonly buckets = new Map<string, BucketState>();
  private lastGeneration = 0;
  /** Hashes being computed, by blob id: concurrent requests for one object read its bytes once. */
  private readonly hashing = new Map<string, Promise<Digest>>();

  private constructor(
    readonly blobs: BlobStore,
    private readonly records: RecordStore,
  ) {}

  static async open(blobs: BlobStore, records: RecordStore): Promise<Catalog> {
    const catalog = new Catalog(blobs, records);
    const { buckets, objects } = await records.load();
    for (const record of buckets) catalog.buckets.set(record.name, { record, objects: new Map() });
    const keep = new Set<string>();
    for (const object of objects) {
      const state = catalog.buckets.get(object.bucket);
      if (!state) continue;
      state.objects.set(object.name, object);
      keep.add(object.blob);
      catalog.lastGeneration = Math.max(catalog.lastGeneration, Number(object.generation));
    }
    await blobs.sweep(keep);
    return catalog;
  }

  /** GCS generations are microsecond timestamps; these also strictly increase within a run and across restarts. */
  private nextGeneration(): string {
    this.lastGeneration = Math.max(Date.now() * 1000, this.lastGeneration + 1);
    return String(this.lastGeneration);
  }

  private state(bucket: string): BucketState {
    const state = this.buckets.get(bucket);
    if (!state) throw noSuchBucket();
    return state;
  }

  listBuckets(): BucketRecord[] {
    return [...this.buckets.values()].map((s) => s.record).sort((a, b) => byUtf8(a.name, b.name));
  }

  getBucket(name: string): BucketRecord {
    return this.state(name).record;
  }

  async createBucket(name: string, fields: Pick<BucketRecord, 'location' | 'storageClass' | 'labels'>): Promise<BucketRecord> {
    if (this.buckets.has(name)) {
      throw new GcsApiError(409, 'conflict', 'Your previous request to create the named bucket succeeded and you already own it.');
    }
    const now = new Date().toISOString();
    const record: BucketRecord = { name, timeCreated: now, updated: now, metageneration: '1', ...fields };
    this.buckets.set(name, { record, objects: new Map() });
    await this.records.saveBucket(record);
    return record;
  }

  async deleteBucket(name: string): Promise<void> {
    const state = this.state(name);
    if (state.objects.size > 0) throw new GcsApiError(409, 'conflict', 'The bucket you tried to delete is not empty.');
    this.buckets.delete(name);
    await this.records.removeBucket(name);
  }

  getObject(bucket: string, name: string): ObjectRecord | undefined {
    return this.state(bucket).objects.get(name);
  }

  /** The live object, or 404; `generation` (from the query) must name the live one. */
  requireObject(bucket: string, name: string, generation?: string | null): ObjectRecord {
    const object = this.getObject(bucket, name);
    if (!object || (generation != null && generation !== object.generation)) throw noSuchObject(bucket, name);
    return object;
  }

  sortedNames(bucket: string): string[] {
    const state = this.state(bucket);
    state.sorted ??= [...state.objects.keys()].sort(byUtf8);
    return state.sorted;
  }

  /**
   * `object` with its md5Hash and crc32c: as it is when it has them, else computed from its bytes
   * (once per blob, however many requests ask at the same time) and kept in the live record (the same
   * generation and metageneration: hashes are not metadata a client changed) and its stored copy.
   */
  async hashed(object: ObjectRecord): Promise<HashedObject> {
    if (object.crc32c !== undefined) return object as HashedObject;
    let pending = this.hashing.get(object.blob);
    if (!pending) {
      pending = this.digestBlob(object.blob, object.size).finally(() => this.hashing.delete(object.blob));
      this.hashing.set(object.blob, pending);
    }
    const digest = await pending;
    const hashes = object.componentCount === undefined ? { md5Hash: digest.md5Hash, crc32c: digest.crc32c } : { crc32c: digest.crc32c };
    const live = this.buckets.get(object.bucket)?.objects.get(object.name);
    if (live && live.blob === object.blob && live.crc32c === undefined) {
      const next = { ...live, ...hashes };
      this.buckets.get(object.bucket)?.objects.set(object.name, next);
      await this.records.saveObject(next);
    }
    return { ...object, ...hashes };
  }

  private async digestBlob(blob: string, size: number): Promise<Digest> {
    const hasher = new Hasher();
    for await (const chunk of this.blobs.read(blob, 0, size) as AsyncIterable<Uint8Array>) hasher.update(chunk);
    if (hasher.size !== size) throw new Error(`blob ${blob} holds ${hasher.size} bytes where its object records ${size}; the data directory was changed outside the server`);
    return hasher.digest();
  }

  /** Makes a finished blob the live object `name`, or removes the blob and throws when a precondition fails. */
  async commitObject(input: NewObject & { digest: Digest }): Promise<HashedObject>;
  async commitObject(input: NewObject): Promise<ObjectRecord>;
  async commitObject(input: NewObject): Promise<ObjectRecord> {
    let previous: ObjectRecord | undefined;
    let record: ObjectRecord;
    try {
      const state = this.state(input.bucket);
      previous = state.objects.get(input.name);
      checkPreconditions(previous, input.preconditions);
      const now = new Date().toISOString();
      record = {
        bucket: input.bucket,
        name: input.name,
        generation: this.nextGeneration(),
        metageneration: '1',
        size: input.digest.size,
        ...('crc32c' in input.digest ? { crc32c: input.digest.crc32c } : {}),
        ...(input.componentCount !== undefined ? { componentCount: input.componentCount } : 'md5Hash' in input.digest ? { md5Hash: input.digest.md5Hash } : {}),
        ...input.properties,
        contentType: input.properties.contentType ?? 'application/octet-stream',
        timeCreated: now,
        updated: now,
        blob: input.blob,
      };
      state.objects.set(input.name, record);
      if (!previous) state.sorted = undefined;
    } catch (error) {
      await this.blobs.remove(input.blob);
      throw error;
    }
    await this.records.saveObject(record);
    if (previous) await this.blobs.remove(previous.blob);
    return record;
  }

  async deleteObject(bucket: string, name: string, preconditions: Preconditions, generation?: string | null): Promise<void> {
    const state = this.state(bucket);
    const object = this.requireObject(bucket, name, generation);
    checkPreconditions(object, preconditions);
    state.objects.delete(name);
    state.sorted = undefined;
    await this.records.removeObject(bucket, name);
    await this.blobs.remove(object.blob);
  }

  async patchObject(bucket: string, name: string, patch: ObjectPatch, preconditions: Preconditions, generation?: string | null): Promise<ObjectRecord> {
    const state = this.state(bucket);
    const current = this.requireObject(bucket, name, generation);
    checkPreconditions(current, preconditions);
    const next: ObjectRecord = { ...current, metageneration: String(Number(current.metageneration) + 1), updated: new Date().toISOString() };
    for (const key of ['contentType', 'contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl'] as const) {
      const value = patch[key];
      if (value === null) delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    next.contentType ??= 'application/octet-stream';
    if (patch.metadata === null) delete next.metadata;
    else if (patch.metadata) {
      const merged: Record<string, string> = { ...(current.metadata ?? {}) };
      for (const [key, value] of Object.entries(patch.metadata)) {
        if (value === null) delete merged[key];
        else merged[key] = value;
      }
      next.metadata = merged;
    }
    state.objects.set(name, next);
    await this.records.saveObject(next);
    return next;
  }

  flush(): Promise<void> {
    return this.records.flush();
  }
}
