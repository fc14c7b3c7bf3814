/** An Azure Blob Storage container (Azurite offline) as a copy destination. */
import type { Readable } from 'node:stream';
import type { ContainerClient } from '@azure/storage-blob';
import type { CopyTarget } from './copy-target.js';

const BLOCK_SIZE = 8 * 1024 * 1024;

export class AzureTarget implements CopyTarget {
  readonly kind = 'azure' as const;

  constructor(private readonly container: ContainerClient) {}

  uri(name: string): string {
    return `${this.container.url}/${name}`;
  }

  async put(name: string, body: Readable): Promise<void> {
    await this.container.getBlockBlobClient(name).uploadStream(body, BLOCK_SIZE, 2);
  }

  async read(name: string): Promise<Readable> {
    const response = await this.container.getBlobClient(name).download();
    if (!response.readableStreamBody) throw new Error(`${this.uri(name)} has no body`);
    return response.readableStreamBody as Readable;
  }
}

/** The CLI's Azure client: AZURE_STORAGE_CONNECTION_STRING (holds the account key: never logged). */
export async function azureTargetFromEnv(container: string): Promise<AzureTarget> {
  const connection = process.env.AZURE_STORAGE_CONNECTION_STRING;
  if (!connection) throw new Error(`an azure destination (container ${container}) needs AZURE_STORAGE_CONNECTION_STRING`);
  const { BlobServiceClient } = await import('@azure/storage-blob');
  return new AzureTarget(BlobServiceClient.fromConnectionString(connection).getContainerClient(container));
}
