import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { Hasher, type Digest } from '../hashing.js';
import type { BlobStore, BlobWriter, BucketRecord, ObjectRecord, RecordStore } from './types.js';

export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, Buffer>();

  create(): BlobWriter {
    const id = randomUUID();
    const chunks: Buffer[] = [];
    const hasher = new Hasher();
    const blobs = this.blobs;
    return {
      id,
      get size() {
        return hasher.size;
      },
      async write(chunk) {
        hasher.update(chunk);
        // Copy: the caller may reuse its buffer, and blobs are immutable once finished.
        chunks.push(Buffer.from(chunk));
      },
      async finish(): Promise<Digest> {
        blobs.set(id, Buffer.concat(chunks));
        chunks.length = 0;
        return hasher.digest();
      },
      async abort() {
        chunks.length = 0;
      },
    };
  }

  async adopt(filePath: string): Promise<string> {
    const id = randomUUID();
    this.blobs.set(id, await readFile(filePath));
    return id;
  }

  read(id: string, start: number, end: number): Readable {
    const blob = this.blobs.get(id);
    if (!blob) throw new Error(`blob ${id} is missing`);
    return Readable.from(end > start ? [blob.subarray(start, end)] : []);
  }

  async remove(id: string): Promise<void> {
    this.blobs.delete(id);
  }

  async sweep(keep: Set<string>): Promise<void> {
    for (const id of this.blobs.keys()) if (!keep.has(id)) this.blobs.delete(id);
  }
}

/** Records kept nowhere: the catalog's own maps are the only copy. */
export class MemoryRecordStore implements RecordStore {
  async load(): Promise<{ buckets: BucketRecord[]; objects: ObjectRecord[] }> {
    return { buckets: [], objects: [] };
  }
  async saveBucket(): Promise<void> {}
  async removeBucket(): Promise<void> {}
  async saveObject(): Promise<void> {}
  async removeObject(): Promise<void> {}
  async flush(): Promise<void> {}
}
