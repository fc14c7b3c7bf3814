/**
 * A temp copy of the Dataform project (test files included) that a test may break on purpose, with
 * the Dataform CLI the runner starts. The CLI is linked, not copied: only @dataform/core must be a
 * real directory (the compile sandbox refuses a module whose real path is outside the project).
 */
import { readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyProject, type ProjectCopy } from './embedded-project.js';
import { REPO_ROOT } from './load-includes.js';

export async function mutableProject(): Promise<ProjectCopy> {
  const copy = await copyProject();
  await symlink(path.join(REPO_ROOT, 'node_modules/@dataform/cli'), path.join(copy.projectDir, 'node_modules/@dataform/cli'), 'dir');
  return copy;
}

/** Replaces `from` (which must occur exactly once) with `to` in one file of the copy. */
export async function mutate(copy: ProjectCopy, file: string, from: string, to: string): Promise<void> {
  const absolute = path.join(copy.projectDir, file);
  const text = await readFile(absolute, 'utf8');
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`${file}: expected "${from}" once, found it ${count} times (the model changed: update the mutation)`);
  await writeFile(absolute, text.replace(from, to));
}
