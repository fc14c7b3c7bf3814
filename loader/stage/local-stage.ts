/** The stage as a local directory (local runs, tests, the demo). */
import { createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Writable } from 'node:stream';
import type { LoadSource, Stage } from './stage.js';

export class LocalStage implements Stage {
  readonly kind = 'local' as const;
  private readonly root: string;

  constructor(dir: string) {
    this.root = path.resolve(dir);
  }

  private resolve(relative: string): string {
    const full = path.resolve(this.root, relative);
    if (!full.startsWith(this.root + path.sep)) throw new Error(`stage path ${relative} escapes the stage directory`);
    return full;
  }

  uri(relative: string): string {
    return pathToFileURL(this.resolve(relative)).href;
  }

  createWriteStream(relative: string): Writable {
    const full = this.resolve(relative);
    mkdirSync(path.dirname(full), { recursive: true });
    return createWriteStream(full);
  }

  async writeText(relative: string, text: string): Promise<void> {
    const full = this.resolve(relative);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, text);
  }

  async remove(relative: string): Promise<void> {
    await rm(this.resolve(relative), { force: true });
  }

  loadSource(relative: string): LoadSource {
    return { kind: 'file', path: this.resolve(relative) };
  }
}
