import type { BucketRecord, HashedObject } from '../store/types.js';

/** GCS's etag for a resource version; clients treat it as opaque. */
function etagOf(...parts: string[]): string {
  return Buffer.from(parts.join('/')).toString('base64');
}

export function bucketResource(bucket: BucketRecord, baseUrl: string): Record<string, unknown> {
  return {
    kind: 'storage#bucket',
    selfLink: `${baseUrl}/storage/v1/b/${bucket.name}`,
    id: bucket.name,
    name: bucket.name,
    projectNumber: '0',
    metageneration: bucket.metageneration,
    location: bucket.location,
    locationType: /^[A-Z]+$/.test(bucket.location) && ['US', 'EU', 'ASIA'].includes(bucket.location) ? 'multi-region' : 'region',
    storageClass: bucket.storageClass,
    etag: etagOf(bucket.name, bucket.metageneration),
    timeCreated: bucket.timeCreated,
    updated: bucket.updated,
    iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
    ...(bucket.labels ? { labels: bucket.labels } : {}),
  };
}

/** An object as GCS's JSON API reports it: numbers that may exceed 2^53 (size, generations) as strings. */
export function objectResource(object: HashedObject, baseUrl: string): Record<string, unknown> {
  const encoded = encodeURIComponent(object.name);
  return {
    kind: 'storage#object',
    id: `${object.bucket}/${object.name}/${object.generation}`,
    selfLink: `${baseUrl}/storage/v1/b/${object.bucket}/o/${encoded}`,
    mediaLink: `${baseUrl}/download/storage/v1/b/${object.bucket}/o/${encoded}?generation=${object.generation}&alt=media`,
    name: object.name,
    bucket: object.bucket,
    generation: object.generation,
    metageneration: object.metageneration,
    contentType: object.contentType,
    storageClass: 'STANDARD',
    size: String(object.size),
    ...(object.md5Hash ? { md5Hash: object.md5Hash } : {}),
    crc32c: object.crc32c,
    ...(object.componentCount !== undefined ? { componentCount: object.componentCount } : {}),
    etag: etagOf(object.generation, object.metageneration),
    timeCreated: object.timeCreated,
    updated: object.updated,
    timeStorageClassUpdated: object.timeCreated,
    timeFinalized: object.timeCreated,
    ...(object.contentEncoding ? { contentEncoding: object.contentEncoding } : {}),
    ...(object.contentDisposition ? { contentDisposition: object.contentDisposition } : {}),
    ...(object.contentLanguage ? { contentLanguage: object.contentLanguage } : {}),
    ...(object.cacheControl ? { cacheControl: object.cacheControl } : {}),
    ...(object.metadata ? { metadata: object.metadata } : {}),
  };
}
