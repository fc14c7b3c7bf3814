/**
 * The stage as a GCS bucket (Cloud Run Job, and `npm start` on the embedded GCS). Load jobs read the
 * objects in place (gs:// URIs), so no data passes through the loader twice. Tested end to end on the
 * embedded GCS through @google-cloud/storage (test/loader/stage/gcs-stage.test.ts).
 */
import type { Writable } from 'node:stream';
import type { Storage } from '@google-cloud/storage';
import type { MovableStage } from './failed-batch.js';
import type { LoadSource } from './stage.js';

export class GcsStage implements MovableStage {
  readonly kind = 'gcs' as const;

  constructor(
    private readonly storage: Storage,
    readonly bucket: string,
  ) {}

  uri(relative: string): string {
    return `gs://${this.bucket}/${relative}`;
  }

  createWriteStream(relative: string): Writable {
    // One request per object (no resumable session): batch files are written once, start to end.
    return this.storage.bucket(this.bucket).file(relative).createWriteStream({ resumable: false, validation: 'md5', metadata: { contentType: contentTypeOf(relative) } });
  }

  async writeText(relative: string, text: string): Promise<void> {
    await this.storage.bucket(this.bucket).file(relative).save(text, { resumable: false, contentType: contentTypeOf(relative) });
  }

  async remove(relative: string): Promise<void> {
    await this.storage.bucket(this.bucket).file(relative).delete({ ignoreNotFound: true });
  }

  loadSource(relative: string): LoadSource {
    return { kind: 'gcs', bucket: this.bucket, name: relative };
  }

  /** Each object under `prefix`, copied to its new name and then deleted (a failed batch going to `_failed/`). */
  async moveAll(prefix: string, rename: (name: string) => string): Promise<string[]> {
    const bucket = this.storage.bucket(this.bucket);
    const [files] = await bucket.getFiles({ prefix, autoPaginate: true });
    const moved: string[] = [];
    for (const file of files) {
      const target = rename(file.name);
      await file.copy(bucket.file(target));
      await file.delete({ ignoreNotFound: true });
      moved.push(target);
    }
    return moved;
  }
}

function contentTypeOf(name: string): string {
  if (name.endsWith('.gz')) return 'application/gzip';
  if (name.endsWith('.json')) return 'application/json';
  return 'text/plain';
}

/**
 * The stage a config names; @google-cloud/storage is imported only when a bucket is used. `timeoutMs`
 * bounds each request; `apiEndpoint` names a GCS JSON API other than Google's (the embedded GCS).
 */
export async function createGcsStage(bucket: string, projectId: string, timeoutMs: number, apiEndpoint?: string): Promise<GcsStage> {
  const { Storage } = await import('@google-cloud/storage');
  return new GcsStage(new Storage({ projectId, timeout: timeoutMs, ...(apiEndpoint !== undefined ? { apiEndpoint } : {}) }), bucket);
}
