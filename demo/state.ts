import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isDemoSize, type DemoSize } from './generate/index.js';

/** What the demo remembers between runs about the data it generated. */
export interface DemoState {
  version: 1;
  seed: number;
  size: DemoSize;
  scale: number;
  /** The seed's "now" (ISO): the end of the seeded history. */
  anchor: string;
  /** The simulated clock (ISO): the end of the last window written to the source. */
  clock: string;
  simulations: number;
}

export async function readDemoState(file: string): Promise<DemoState | null> {
  if (!existsSync(file)) return null;
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<DemoState>;
  if (parsed.version !== 1 || typeof parsed.seed !== 'number' || typeof parsed.size !== 'string' || !isDemoSize(parsed.size)
    || typeof parsed.anchor !== 'string' || typeof parsed.clock !== 'string') {
    throw new Error(`${file}: not a demo state this version understands; run \`landform reset\``);
  }
  return parsed as DemoState;
}

export async function writeDemoState(file: string, state: DemoState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(state, null, 2)}\n`);
}
