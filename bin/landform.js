#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a fresh clone needs no build step. The
// repository's tsconfig is named explicitly: its `paths` map @landform/embedded-bigquery to the
// workspace's sources, from whatever directory the command is run.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// `landform ... | head` closes stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { main } = await import('../cli/main.ts');
await main(process.argv);
