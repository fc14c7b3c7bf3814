import { describe, expect, test } from '@jest/globals';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTerraform } from './terraform-config.js';
import { checkPolicy } from './terraform-policy.js';

const infraDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../infra');

/** Copies infra/*.tf to a temp dir, rewrites one file's text, and runs the checks on the copy. */
async function checkEdited(file: string, edit: (text: string) => string): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'landform-infra-'));
  try {
    for (const f of (await readdir(infraDir)).filter((n) => n.endsWith('.tf'))) await copyFile(path.join(infraDir, f), path.join(dir, f));
    const original = await readFile(path.join(dir, file), 'utf8');
    const edited = edit(original);
    expect(edited).not.toBe(original);
    await writeFile(path.join(dir, file), edited);
    return checkPolicy(await loadTerraform(dir)).map((v) => `${v.rule} ${v.subject}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('editing the HCL text', () => {
  test('widening the loader raw-dataset grant to the whole project fails the checks', async () => {
    const violations = await checkEdited('iam.tf', (text) =>
      text.replace(
        'resource "google_bigquery_dataset_iam_member" "loader_raw_editor" {\n  count = var.enable_export ? 1 : 0\n\n  dataset_id = google_bigquery_dataset.raw[0].dataset_id',
        'resource "google_project_iam_member" "loader_raw_editor" {\n  count = var.enable_export ? 1 : 0\n\n  project = var.project_id',
      ),
    );
    expect(violations).toEqual(['iam-scope google_project_iam_member.loader_raw_editor']);
  });

  test('a new resource without the export gate fails the checks', async () => {
    const violations = await checkEdited('bucket.tf', (text) => `${text}\nresource "google_storage_bucket" "scratch" {\n  name                        = "scratch"\n  location                    = "US"\n  uniform_bucket_level_access = true\n  public_access_prevention    = "enforced"\n}\n`);
    expect(violations).toEqual([
      'bucket google_storage_bucket.scratch',
      'bucket-lifecycle google_storage_bucket.scratch',
      'export-gate google_storage_bucket.scratch',
    ]);
  });
});
