/** An S3 bucket (or an S3-compatible server such as s3rver offline) as a copy destination. */
import type { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { CopyTarget } from './copy-target.js';

export class S3Target implements CopyTarget {
  readonly kind = 's3' as const;

  constructor(
    private readonly client: S3Client,
    readonly bucket: string,
  ) {}

  uri(name: string): string {
    return `s3://${this.bucket}/${name}`;
  }

  async put(name: string, body: Readable, size: number): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: name, Body: body, ContentLength: size }));
  }

  async read(name: string): Promise<Readable> {
    const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: name }));
    if (!response.Body) throw new Error(`${this.uri(name)} has no body`);
    return response.Body as Readable;
  }
}

/**
 * The CLI's S3 client: region from AWS_REGION (default us-east-1), credentials from the SDK's
 * default chain (environment, shared files, instance roles; never logged), and an optional
 * LANDFORM_S3_ENDPOINT (path-style) for S3-compatible servers. Checksums only where S3 requires
 * them, so servers that predate the SDK's default CRC32 trailers accept the requests.
 */
export async function s3TargetFromEnv(bucket: string): Promise<S3Target> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const endpoint = process.env.LANDFORM_S3_ENDPOINT;
  const client = new S3Client({
    region: process.env.AWS_REGION ?? 'us-east-1',
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
  return new S3Target(client, bucket);
}
