import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Hasher, type Digest } from '../hashing.js';
import { validateBucketName } from '../names.js';
import type { BlobStore, BlobWriter, BucketRecord, ObjectRecord, RecordStore } from './types.js';

/**
 * On-disk layout under the data directory (no path component ever comes from a client unchecked):
 *   blobs/<uuid>                                   object bytes (ids made up here; `.part` while uploading)
 *   buckets/<bucket>/bucket/bucket.json            bucket names pass GCS's rules: [a-z0-9._-], no `..`
 *   buckets/<bucket>/objects/<sha256(name)>.json   one small record per object, holding its real name
 */
const BLOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function checkBlobId(id: string): string {
  if (!BLOB_ID.test(id)) throw new Error(`invalid blob id ${JSON.stringify(id)}`);
  return id;
}

export function objectFileName(name: string): string {
  return `${createHash('sha256').update(name, 'utf8').digest('hex')}.json`;
}

export class DiskBlobStore implements BlobStore {
  constructor(private readonly dir: string) {}

  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  create(): BlobWriter {
    const id = randomUUID();
    const partPath = join(this.dir, `${id}.part`);
    const out = createWriteStream(partPath);
    const hasher = new Hasher();
    let failure: Error | undefined;
    out.on('error', (error) => (failure = error));
    const finalPath = join(this.dir, id);
    return {
      id,
      get size() {
        return hasher.size;
      },
      async write(chunk) {
        if (failure) throw failure;
        hasher.update(chunk);
        if (!out.write(chunk)) await once(out, 'drain');
      },
      async finish(): Promise<Digest> {
        out.end();
        await finished(out);
        await rename(partPath, finalPath);
        return hasher.digest();
      },
      async abort() {
        out.destroy();
        await finished(out).catch(() => undefined);
        await rm(partPath, { force: true });
      },
    };
  }

  async adopt(filePath: string): Promise<string> {
    const id = randomUUID();
    const partPath = join(this.dir, `${id}.part`);
    try {
      // a hard link costs nothing; another file system (or no link support) gets a copy
      await link(filePath, partPath).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV' && error.code !== 'EPERM' && error.code !== 'EMLINK' && error.code !== 'ENOTSUP') throw error;
        await copyFile(filePath, partPath);
      });
      await rename(partPath, join(this.dir, id));
    } catch (error) {
      await rm(partPath, { force: true });
      throw error;
    }
    return id;
  }

  read(id: string, start: number, end: number): Readable {
    if (end <= start) return Readable.from([]);
    return createReadStream(join(this.dir, checkBlobId(id)), { start, end: end - 1 });
  }

  async remove(id: string): Promise<void> {
    await rm(join(this.dir, checkBlobId(id)), { force: true });
  }

  async sweep(keep: Set<string>): Promise<void> {
    for (const entry of await readdir(this.dir)) {
      if (!keep.has(entry)) await rm(join(this.dir, entry), { force: true, recursive: true });
    }
  }
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, JSON.stringify(value));
  await rename(temp, path);
}

async function readJsonFiles<T>(dir: string): Promise<T[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: T[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    // A write cut off by a crash: the record it was replacing is still in place.
    if (entry.endsWith('.tmp')) {
      await rm(path, { force: true });
      continue;
    }
    if (entry.endsWith('.json')) out.push(JSON.parse(await readFile(path, 'utf8')) as T);
  }
  return out;
}

export class DiskRecordStore implements RecordStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  private bucketDir(bucket: string): string {
    validateBucketName(bucket);
    return join(this.dir, bucket);
  }

  /** Writes run one at a time in call order, so the last record written for a name is the last committed. */
  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  async load(): Promise<{ buckets: BucketRecord[]; objects: ObjectRecord[] }> {
    await mkdir(this.dir, { recursive: true });
    const buckets: BucketRecord[] = [];
    const objects: ObjectRecord[] = [];
    for (const entry of await readdir(this.dir)) {
      try {
        validateBucketName(entry);
      } catch {
        continue;
      }
      const [bucket] = await readJsonFiles<BucketRecord>(join(this.dir, entry, 'bucket'));
      if (!bucket || bucket.name !== entry) continue;
      buckets.push(bucket);
      for (const object of await readJsonFiles<ObjectRecord>(join(this.dir, entry, 'objects'))) {
        if (object.bucket === entry && BLOB_ID.test(object.blob)) objects.push(object);
      }
    }
    return { buckets, objects };
  }

  saveBucket(bucket: BucketRecord): Promise<void> {
    return this.enqueue(async () => {
      const dir = this.bucketDir(bucket.name);
      await mkdir(join(dir, 'objects'), { recursive: true });
      await mkdir(join(dir, 'bucket'), { recursive: true });
      await writeJsonAtomically(join(dir, 'bucket', 'bucket.json'), bucket);
    });
  }

  removeBucket(name: string): Promise<void> {
    return this.enqueue(() => rm(this.bucketDir(name), { recursive: true, force: true }));
  }

  saveObject(object: ObjectRecord): Promise<void> {
    return this.enqueue(() => writeJsonAtomically(join(this.bucketDir(object.bucket), 'objects', objectFileName(object.name)), object));
  }

  removeObject(bucket: string, name: string): Promise<void> {
    return this.enqueue(() => rm(join(this.bucketDir(bucket), 'objects', objectFileName(name)), { force: true }));
  }

  flush(): Promise<void> {
    return this.enqueue(async () => undefined);
  }
}
