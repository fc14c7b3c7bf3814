/**
 * The few object operations an export needs, over a GCS bucket through @google-cloud/storage
 * (the embedded GCS offline: `apiEndpoint` or STORAGE_EMULATOR_HOST).
 */
import type { Readable } from 'node:stream';
import type { Bucket, Storage } from '@google-cloud/storage';

export interface ObjectInfo {
  name: string;
  size: number;
}

export interface ObjectStore {
  /** `gs://bucket/name` of an object name. */
  uri(name: string): string;
  exists(name: string): Promise<boolean>;
  list(prefix: string): Promise<ObjectInfo[]>;
  read(name: string): Readable;
  readText(name: string): Promise<string>;
  writeText(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
}

export class GcsObjectStore implements ObjectStore {
  private readonly bucket: Bucket;

  constructor(
    storage: Storage,
    readonly bucketName: string,
  ) {
    this.bucket = storage.bucket(bucketName);
  }

  uri(name: string): string {
    return `gs://${this.bucketName}/${name}`;
  }

  async exists(name: string): Promise<boolean> {
    const [exists] = await this.bucket.file(name).exists();
    return exists;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    const [files] = await this.bucket.getFiles({ prefix, autoPaginate: true });
    return files.map((f) => ({ name: f.name, size: Number(f.metadata.size ?? 0) })).sort((a, b) => a.name.localeCompare(b.name));
  }

  read(name: string): Readable {
    // crc32c-validated by the client as it streams
    return this.bucket.file(name).createReadStream();
  }

  async readText(name: string): Promise<string> {
    const [bytes] = await this.bucket.file(name).download();
    return bytes.toString('utf8');
  }

  async writeText(name: string, text: string): Promise<void> {
    await this.bucket.file(name).save(text, { resumable: false, contentType: 'application/json' });
  }

  async remove(name: string): Promise<void> {
    await this.bucket.file(name).delete({ ignoreNotFound: true });
  }
}
