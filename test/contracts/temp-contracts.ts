import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = path.join(REPO_ROOT, 'test/fixtures/contracts');

/** A copy of the repository's contracts/ under a temp dir, named `contracts` so error files read `contracts/...`. */
export async function copyContracts(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(tmpdir(), 'landform-contracts-'));
  const dir = path.join(root, 'contracts');
  await cp(path.join(REPO_ROOT, 'contracts'), dir, { recursive: true });
  return { dir, cleanup: () => rm(root, { recursive: true, force: true }) };
}
