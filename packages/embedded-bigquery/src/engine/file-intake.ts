/**
 * The one directory DuckDB may read files from. DuckDB runs with external access off (see
 * database.ts), so a load job's file, wherever the HTTP layer saved it, is first linked into this
 * directory (a hard link: no copy on the same file system; a copy otherwise) and removed after.
 */
import { copyFile, link, mkdtemp, readdir, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processAlive } from '../process-alive.js';

const PREFIX = 'landform-bq-intake-';

/** Intake directories of engines whose process is gone (killed before close) hold only their in-flight files. */
async function sweepAbandoned(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const name of names) {
    const pid = Number(/^landform-bq-intake-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || processAlive(pid)) continue;
    await rm(path.join(tmpdir(), name), { recursive: true, force: true }).catch(() => undefined);
  }
}

export interface AdmittedFile {
  /** Where DuckDB reads the file. */
  path: string;
  release(): Promise<void>;
}

export class FileIntake {
  private constructor(readonly dir: string) {}

  static async create(): Promise<FileIntake> {
    await sweepAbandoned();
    return new FileIntake(await mkdtemp(path.join(tmpdir(), `${PREFIX}${process.pid}-`)));
  }

  async admit(filePath: string): Promise<AdmittedFile> {
    // keep the extension: DuckDB's readers look at it (.gz, .parquet)
    const target = path.join(this.dir, `${randomUUID()}${path.extname(filePath)}`);
    try {
      await link(filePath, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw e;
      await copyFile(filePath, target);
    }
    return { path: target, release: () => rm(target, { force: true }) };
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
