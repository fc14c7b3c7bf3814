/**
 * Cross-cloud copies (disaster recovery, partner exchange): after an export succeeded in GCS, its
 * files, manifest and SUCCESS marker are copied to each S3 and Azure destination under the same
 * relative names (after the destination's prefix), each copy read back and its sha256 compared
 * with the GCS object's. A copy that does not match fails the export's copy step.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ExportDestination } from '../contracts/schema/exports.js';
import type { ObjectStore } from './object-store.js';

export interface CopyTarget {
  readonly kind: 's3' | 'azure';
  uri(name: string): string;
  put(name: string, body: Readable, size: number): Promise<void>;
  read(name: string): Promise<Readable>;
}

/** Builds the client for a non-GCS destination; the CLI's reads credentials from the environment. */
export type CopyTargetFactory = (destination: Exclude<ExportDestination, { kind: 'gcs' }>) => Promise<CopyTarget>;

export interface CopyReport {
  kind: 's3' | 'azure';
  uri: string;
  objects: { name: string; sha256: string }[];
}

export async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class CopyMismatchError extends Error {
  // not transient by the loader's classification, but a fresh copy may succeed: the caller retries it
  readonly reason = 'backendError';
}

/** Copies `names` (in GCS, under `dir`) to `target`, then verifies every copy by its sha256. */
export async function copyVerified(source: ObjectStore, target: CopyTarget, prefix: string, names: { name: string; size: number }[]): Promise<CopyReport> {
  const objects: CopyReport['objects'] = [];
  const join = (name: string): string => (prefix ? `${prefix.replace(/\/+$/, '')}/${name}` : name);
  for (const { name, size } of names) {
    await target.put(join(name), source.read(name), size);
    const [expected, actual] = await Promise.all([sha256Of(source.read(name)), sha256Of(await target.read(join(name)))]);
    if (expected !== actual) throw new CopyMismatchError(`copy ${target.uri(join(name))} has sha256 ${actual}, the GCS object ${source.uri(name)} ${expected}`);
    objects.push({ name: join(name), sha256: actual });
  }
  return { kind: target.kind, uri: target.uri(join('')), objects };
}
