/**
 * Load jobs from `gs://` source URIs: every URI is matched against the Cloud Storage the server is
 * given (gcs-read.ts), the objects are downloaded into the server's upload directory, and the load
 * runs as an upload's would (gzip'd CSV / NDJSON decompressed, the same limits). Several objects load
 * as one file, so the job stays atomic as BigQuery's is: NDJSON and CSV objects are concatenated
 * (each decompressed first, a line break added where one is missing). What concatenation would get
 * wrong is refused by name: several Parquet objects, and several CSV objects with skipLeadingRows
 * (BigQuery skips the rows at the top of each file).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Engine } from '../engine/types.js';
import { BigQueryApiError } from '../engine/types.js';
import { downloadFromGcs, matchSourceUri, type GcsListedObject } from './gcs-read.js';
import type { GcsTarget } from './gcs-upload.js';
import { plainUpload } from './gzip-upload.js';
import { runLoadJob, type JobOutcome, type LoadJobControl } from './job-runners.js';
import type { LoadJobConfig } from './job-types.js';

export interface GcsLoadControl extends LoadJobControl {
  /** Where downloaded objects are kept for the duration of the job. */
  dir: string;
}

async function endsWithNewline(path: string): Promise<boolean> {
  const { size } = await stat(path);
  if (size === 0) return true;
  const handle = await open(path, 'r');
  try {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

function write(out: WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
}

/** The objects of every source URI, in URI order then name order (an object named twice loads twice, as in BigQuery). */
async function sourcesOf(gcs: GcsTarget, config: LoadJobConfig, signal?: AbortSignal): Promise<GcsListedObject[]> {
  const uris = config.sourceUris ?? [];
  const objects: GcsListedObject[] = [];
  for (const uri of uris) objects.push(...(await matchSourceUri(gcs, uri, signal)));
  return objects;
}

/** Runs a load job whose data is `configuration.load.sourceUris` in Cloud Storage. */
export async function runGcsLoadJob(engine: Engine, projectId: string, config: LoadJobConfig, gcs: GcsTarget | undefined, control: GcsLoadControl): Promise<JobOutcome> {
  if (!gcs) {
    throw new BigQueryApiError('invalid', `Load jobs from gs:// URIs (${(config.sourceUris ?? []).join(', ')}) need Cloud Storage: start the embedded BigQuery with the \`gcs\` option (an embedded GCS url), or upload the data instead`);
  }
  const format = (config.sourceFormat ?? 'CSV').toUpperCase();
  const objects = await sourcesOf(gcs, config, control.signal);
  if (objects.length > 1 && format === 'PARQUET') {
    throw new BigQueryApiError('invalid', `Loading ${objects.length} Parquet objects in one load job is not supported by the embedded BigQuery; load each object with its own job`);
  }
  if (objects.length > 1 && format === 'CSV' && Number(config.skipLeadingRows ?? 0) > 0) {
    throw new BigQueryApiError('invalid', `Loading ${objects.length} CSV objects with skipLeadingRows in one load job is not supported by the embedded BigQuery; load each object with its own job`);
  }
  const temps: string[] = [];
  const temp = (): string => {
    const path = join(control.dir, `${randomUUID()}.gcs`);
    temps.push(path);
    return path;
  };
  try {
    let dataPath: string;
    if (objects.length === 1) {
      dataPath = temp();
      await downloadFromGcs(gcs, objects[0]!, dataPath, control.signal);
    } else {
      dataPath = await concatenate(gcs, objects, format, control, temp);
    }
    const outcome = await runLoadJob(engine, projectId, config, dataPath, control);
    const inputBytes = objects.reduce((n, o) => n + o.size, 0);
    return { ...outcome, statistics: { ...outcome.statistics, load: { ...outcome.statistics.load, inputFiles: String(objects.length), inputFileBytes: String(inputBytes) } } };
  } finally {
    await Promise.all(temps.map((path) => rm(path, { force: true })));
  }
}

/** NDJSON or CSV objects as one plain file, each decompressed, at most `maxBytes` in all. */
async function concatenate(gcs: GcsTarget, objects: GcsListedObject[], format: string, control: GcsLoadControl, temp: () => string): Promise<string> {
  const combined = temp();
  const out = createWriteStream(combined);
  let written = 0;
  try {
    for (const object of objects) {
      const download = temp();
      await downloadFromGcs(gcs, object, download, control.signal);
      const plain = await plainUpload(download, format, Math.max(0, control.maxBytes - written), control.signal);
      try {
        const size = (await stat(plain.path)).size;
        written += size;
        if (written > control.maxBytes) {
          throw new BigQueryApiError('invalid', `Error while reading data: the ${objects.length} source objects hold more than the embedded BigQuery's upload limit of ${control.maxBytes} bytes (option maxUploadBytes)`);
        }
        await pipeline(createReadStream(plain.path, { highWaterMark: 1 << 20 }), out, { end: false, ...(control.signal ? { signal: control.signal } : {}) });
        if (!(await endsWithNewline(plain.path))) {
          await write(out, '\n');
          written += 1;
        }
      } finally {
        await plain.cleanup();
        await rm(download, { force: true });
      }
    }
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  return combined;
}
