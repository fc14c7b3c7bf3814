/** A place for batch files: a local directory, or a GCS bucket in GCP. Paths are relative, `/`-separated. */
import type { Writable } from 'node:stream';

/** What a BigQuery load job reads: a local file (uploaded) or objects in GCS (read in place). */
export type LoadSource = { kind: 'file'; path: string } | { kind: 'gcs'; bucket: string; name: string };

export interface Stage {
  readonly kind: 'local' | 'gcs';
  /** Address for lineage and manifests (`file:///...` or `gs://bucket/...`). */
  uri(path: string): string;
  createWriteStream(path: string): Writable;
  writeText(path: string, text: string): Promise<void>;
  remove(path: string): Promise<void>;
  loadSource(path: string): LoadSource;
}
