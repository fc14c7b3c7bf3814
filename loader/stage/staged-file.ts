/**
 * A compressed file being written to the stage, with its sha256 and size taken from the bytes that
 * actually land (after gzip), as the manifest records them.
 */
import { createHash } from 'node:crypto';
import { PassThrough, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip, constants } from 'node:zlib';
import type { Compression } from './layout.js';
import type { Stage } from './stage.js';

export interface StagedFileInfo {
  path: string;
  uri: string;
  bytes: number;
  sha256: string;
}

export interface StagedFile {
  /** Write uncompressed NDJSON here; end() it when done. */
  input: Writable;
  /** Resolves once every byte is in the stage. */
  done: Promise<StagedFileInfo>;
}

/**
 * gzip level 1: the loader's CPU goes to moving rows; level 1 keeps most of the size win
 * (NDJSON compresses well) at a fraction of level 6's cost. `none` suits a local stage, whose
 * files never cross a network.
 */
export function openStagedFile(stage: Stage, path: string, compression: Compression = 'gzip', level: number = constants.Z_BEST_SPEED): StagedFile {
  const gzip = compression === 'gzip' ? createGzip({ level, chunkSize: 256 * 1024 }) : new PassThrough({ highWaterMark: 1 << 20 });
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const done = pipeline(gzip, tap, stage.createWriteStream(path)).then(() => ({ path, uri: stage.uri(path), bytes, sha256: hash.digest('hex') }));
  // A failure surfaces through `done`; keep it from being reported as unhandled before it is awaited.
  done.catch(() => undefined);
  return { input: gzip, done };
}
