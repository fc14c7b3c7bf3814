import type { Readable } from 'node:stream';
import type { Digest } from '../hashing.js';

export interface BucketRecord {
  name: string;
  timeCreated: string;
  updated: string;
  metageneration: string;
  location: string;
  storageClass: string;
  labels?: Record<string, string>;
}

/** What a client may set on an object (insert, patch, rewrite, compose destination). */
export interface ObjectProperties {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  metadata?: Record<string, string>;
}

export interface ObjectRecord extends ObjectProperties {
  bucket: string;
  name: string;
  /** Decimal strings, as GCS reports them (generations exceed 2^31). */
  generation: string;
  metageneration: string;
  size: number;
  /** Absent for composite objects, as in GCS; absent until hashed for an object whose hashes are deferred. */
  md5Hash?: string;
  /**
   * Absent only while the hashes of an object handed over in process (putFile) are not computed yet:
   * Catalog.hashed computes them the first time a response needs them, and keeps them in the record.
   */
  crc32c?: string;
  contentType: string;
  timeCreated: string;
  updated: string;
  /** Set on composed objects: how many components they hold. */
  componentCount?: number;
  /** The id of the immutable blob holding the bytes. */
  blob: string;
}

/** A record with its hashes, as every response reports it (Catalog.hashed makes one). */
export type HashedObject = ObjectRecord & { crc32c: string };

/** A blob being written: bytes are hashed as they arrive; `finish` makes it readable under `id`. */
export interface BlobWriter {
  readonly id: string;
  readonly size: number;
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<Digest>;
  abort(): Promise<void>;
}

/** Immutable byte blobs, named by ids the store makes up (never by anything a client sent). */
export interface BlobStore {
  create(): BlobWriter;
  /** Takes over a finished file of this machine as a new blob (see put-file.ts); returns its id. */
  adopt(filePath: string): Promise<string>;
  /** Bytes [start, end) of a finished blob. */
  read(id: string, start: number, end: number): Readable;
  remove(id: string): Promise<void>;
  /** Removes every blob not in `keep` (and unfinished ones): after a crash, before serving. */
  sweep(keep: Set<string>): Promise<void>;
}

/** Where bucket and object records live between runs. Writes apply in the order they are called. */
export interface RecordStore {
  load(): Promise<{ buckets: BucketRecord[]; objects: ObjectRecord[] }>;
  saveBucket(bucket: BucketRecord): Promise<void>;
  removeBucket(name: string): Promise<void>;
  saveObject(object: ObjectRecord): Promise<void>;
  removeObject(bucket: string, name: string): Promise<void>;
  /** Resolves once every write called so far is done. */
  flush(): Promise<void>;
}
