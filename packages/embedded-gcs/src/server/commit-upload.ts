import type { Digest } from '../hashing.js';
import type { Catalog } from '../store/catalog.js';
import type { Preconditions } from '../store/preconditions.js';
import type { BlobWriter, HashedObject, ObjectProperties } from '../store/types.js';
import { verifyDeclared, type DeclaredHashes } from './receive.js';

/** Where an upload goes and what it must satisfy once its bytes are in. */
export interface UploadTarget {
  bucket: string;
  name: string;
  properties: ObjectProperties;
  preconditions: Preconditions;
  declared: DeclaredHashes[];
}

/** Finishes the blob, checks the hashes the client declared, and makes it the live object. */
export async function commitUpload(catalog: Catalog, writer: BlobWriter, target: UploadTarget): Promise<HashedObject> {
  let digest: Digest;
  try {
    digest = await writer.finish();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  try {
    verifyDeclared(digest, ...target.declared);
  } catch (error) {
    await catalog.blobs.remove(writer.id);
    throw error;
  }
  return catalog.commitObject({
    bucket: target.bucket,
    name: target.name,
    blob: writer.id,
    digest,
    properties: target.properties,
    preconditions: target.preconditions,
  });
}
