/** `dataform test` (the project's `type: "test"` files) on its own scratch embedded BigQuery, torn down after. */
import { runDataform, type DataformResult } from '../demo/dataform.js';
import { startScratchWarehouse } from './scratch.js';

export async function runDataformUnitTests(projectDir: string): Promise<DataformResult> {
  const warehouse = await startScratchWarehouse(projectDir);
  try {
    return await runDataform({ command: 'test', projectDir, credentialsFile: warehouse.credentialsFile, env: warehouse.env });
  } finally {
    await warehouse.stop();
  }
}
