import { invalid } from '../errors.js';
import type { ObjectPatch } from '../store/catalog.js';
import type { ObjectProperties } from '../store/types.js';

const STRING_FIELDS = ['contentType', 'contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl'] as const;

function metadataValue(key: string, value: unknown): string {
  // GCS keeps custom metadata as strings; clients send numbers and booleans too.
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(`Invalid value for metadata.${key}: custom metadata values must be strings`);
}

/** The writable properties of an object resource a client sent (insert, rewrite, compose destination). */
export function objectProperties(resource: Record<string, unknown>): ObjectProperties {
  const out: ObjectProperties = {};
  for (const field of STRING_FIELDS) {
    const value = resource[field];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value !== 'string') throw invalid(`Invalid value for ${field}: must be a string`);
    out[field] = value;
  }
  const metadata = resource.metadata;
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid('Invalid value for metadata: must be an object');
    const entries = Object.entries(metadata as Record<string, unknown>).filter(([, v]) => v !== null);
    if (entries.length > 0) out.metadata = Object.fromEntries(entries.map(([k, v]) => [k, metadataValue(k, v)]));
  }
  return out;
}

/** A patch request: like objectProperties, but `null` means "clear". */
export function objectPatch(resource: Record<string, unknown>): ObjectPatch {
  const out: ObjectPatch = {};
  for (const field of STRING_FIELDS) {
    const value = resource[field];
    if (value === undefined) continue;
    if (value !== null && typeof value !== 'string') throw invalid(`Invalid value for ${field}: must be a string`);
    out[field] = value;
  }
  const metadata = resource.metadata;
  if (metadata === null) out.metadata = null;
  else if (metadata !== undefined) {
    if (typeof metadata !== 'object' || Array.isArray(metadata)) throw invalid('Invalid value for metadata: must be an object');
    out.metadata = Object.fromEntries(Object.entries(metadata as Record<string, unknown>).map(([k, v]) => [k, v === null ? null : metadataValue(k, v)]));
  }
  return out;
}
