import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultLogger, type Logger } from './logger.js';
import { Catalog } from './store/catalog.js';
import { lockDataDir } from './store/dir-lock.js';
import { DiskBlobStore, DiskRecordStore } from './store/disk-store.js';
import { MemoryBlobStore, MemoryRecordStore } from './store/memory-store.js';
import { startGcsServer, type GcsServer } from './server/server.js';
import { putFile, type PutFileOptions, type PutFileResult } from './store/put-file.js';

export type { Logger } from './logger.js';
export type { PutFileOptions, PutFileResult } from './store/put-file.js';
export { waitForStopSignal } from './signals.js';

export interface EmbeddedGcsOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** A directory (created if missing, kept across restarts) or ':memory:' (the default). */
  dataPath?: string;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Browser origins (`http://localhost:3000`) allowed to call it with CORS; every other Origin is refused. */
  allowedOrigins?: string[];
  /** Project the metadata endpoint reports and `env` names (default `landform-local`). */
  projectId?: string;
  /** Loopback only. */
  host?: '127.0.0.1';
  logger?: Logger;
}

export interface EmbeddedGcs {
  url: string;
  port: number;
  /**
   * Environment for a child process so @google-cloud/storage (and google-auth-library) talk to this
   * server instead of Google. Never applied to this process.
   */
  env: Record<string, string>;
  /** The HTTP server, for tests that need it. */
  server: GcsServer;
  /**
   * In-process handoff, for a host that runs a producer of files beside this server (an embedded
   * BigQuery's extract jobs): the file at `filePath` becomes object `bucket/name` (replacing a live
   * one of that name) without HTTP and without a second copy on the same file system; the caller
   * must not change the file afterwards. `options.bytes` may stream the file's bytes as they are
   * written: the handoff then completes when that stream ends, and its length must be the file's.
   * The object's md5Hash and crc32c are computed from the stored bytes on the first request that
   * reports them (get, list, download, patch), not here. The host passes this function to the
   * producer explicitly; nothing reaches it over the network.
   */
  putFile(bucket: string, name: string, filePath: string, options?: PutFileOptions): Promise<PutFileResult>;
  stop(): Promise<void>;
}

/**
 * Variables that point Google's Node clients at the embedded GCS:
 * - STORAGE_EMULATOR_HOST: @google-cloud/storage's JSON API base and upload endpoint; against a
 *   non-Google host the client sends no credentials at all.
 * - GCE_METADATA_IP / GCE_METADATA_HOST and METADATA_SERVER_DETECTION=assume-present: where
 *   google-auth-library gets a token if something in the child asks for one anyway (a project id
 *   lookup, another Google client), so it never reaches for Google.
 * - GOOGLE_CLOUD_PROJECT / GCLOUD_PROJECT: the project id.
 * - GOOGLE_APPLICATION_CREDENTIALS='' and CLOUDSDK_CONFIG=<empty dir>: keep a developer's real
 *   credentials from being picked up first (a key file always calls Google's token endpoint).
 */
export function embeddedGcsEnv(host: string, port: number, projectId: string): Record<string, string> {
  const hostPort = `${host}:${port}`;
  return {
    STORAGE_EMULATOR_HOST: `http://${hostPort}`,
    GCE_METADATA_HOST: hostPort,
    GCE_METADATA_IP: hostPort,
    METADATA_SERVER_DETECTION: 'assume-present',
    GOOGLE_CLOUD_PROJECT: projectId,
    GCLOUD_PROJECT: projectId,
    GOOGLE_APPLICATION_CREDENTIALS: '',
    CLOUDSDK_CONFIG: join(tmpdir(), 'landform-embedded-gcs-no-gcloud'),
  };
}

async function openCatalog(dataPath: string): Promise<{ catalog: Catalog; unlock: () => Promise<void> }> {
  if (dataPath === ':memory:') return { catalog: await Catalog.open(new MemoryBlobStore(), new MemoryRecordStore()), unlock: async () => undefined };
  const root = resolve(dataPath);
  await mkdir(root, { recursive: true });
  const unlock = await lockDataDir(root);
  try {
    const blobs = new DiskBlobStore(join(root, 'blobs'));
    await blobs.init();
    return { catalog: await Catalog.open(blobs, new DiskRecordStore(join(root, 'buckets'))), unlock };
  } catch (error) {
    await unlock();
    throw error;
  }
}

/** Starts the GCS-compatible JSON API on 127.0.0.1. */
export async function startEmbeddedGcs(options: EmbeddedGcsOptions = {}): Promise<EmbeddedGcs> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new Error(`embedded GCS binds to 127.0.0.1 only (got host ${String(host)})`);
  if (options.token !== undefined && !/^[\x21-\x7e]+$/.test(options.token)) throw new Error('embedded GCS token must be printable ASCII without spaces');
  const projectId = options.projectId ?? 'landform-local';
  const { catalog, unlock } = await openCatalog(options.dataPath ?? ':memory:');
  let server: GcsServer;
  try {
    server = await startGcsServer({
      catalog,
      logger: options.logger ?? defaultLogger(),
      host,
      port: options.port ?? 0,
      projectId,
      allowedOrigins: options.allowedOrigins ?? [],
      ...(options.token !== undefined ? { token: options.token } : {}),
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${server.port}`,
    port: server.port,
    env: embeddedGcsEnv(host, server.port, projectId),
    server,
    putFile: (bucket, name, filePath, putOptions) => putFile(catalog, bucket, name, filePath, putOptions),
    stop() {
      stopping ??= server.close().finally(unlock);
      return stopping;
    },
  };
}
