import type { Command } from 'commander';

interface TestOptions {
  only?: string;
  models?: string;
  projectDir?: string;
}

const KINDS = ['incremental', 'dataform'];

function ends(code: number): Promise<never> {
  return new Promise(() => {
    process.stdout.write('', () => process.exit(code));
  });
}

/**
 * `landform test`: the incremental model tests (`<model>.test.yaml` next to each model, which Dataform
 * cannot express: it rejects `type: "test"` on incremental tables), then `dataform test`, each on a
 * scratch in-memory embedded BigQuery that is gone afterwards. Exit 0 all passed, 1 a test failed,
 * 2 a broken test file or a bad option.
 */
export function registerTestCommand(program: Command): void {
  program
    .command('test')
    .description('Run the incremental model tests (<model>.test.yaml next to each model) and `dataform test`, on a scratch embedded BigQuery')
    .option('--only <kind>', 'run only one kind: incremental or dataform')
    .option('--models <names>', 'comma-separated models whose incremental tests run (default: all)')
    .option('--project-dir <dir>', 'the Dataform project (default: this repository)')
    .action(async (options: TestOptions) => {
      const path = await import('node:path');
      const { REPO_ROOT } = await import('../../demo/paths.js');
      const { runModelTests, runDataformUnitTests, resultLines, summaryLine, TestFileError } = await import('../../dataform-testing/index.js');
      const out = (line: string) => process.stdout.write(`${line}\n`);
      if (options.only !== undefined && !KINDS.includes(options.only)) {
        process.stderr.write(`landform test: --only must be one of ${KINDS.join(', ')} (got "${options.only}")\n`);
        return ends(2);
      }
      const projectDir = path.resolve(options.projectDir ?? REPO_ROOT);
      let failed = false;
      try {
        if (options.only !== 'dataform') {
          const models = options.models?.split(',').map((m) => m.trim()).filter(Boolean);
          out('Running the incremental model tests...\n');
          const run = await runModelTests({ projectDir, ...(models ? { models } : {}), onResult: (r) => resultLines(r).forEach(out) });
          out(`\n${summaryLine('incremental model tests', run.results, run.seconds)} (${run.files.length} files, ${run.rounds} scratch round(s))`);
          failed ||= run.results.some((r) => !r.passed);
        }
        if (options.only !== 'incremental') {
          out('\nRunning dataform test...\n');
          const result = await runDataformUnitTests(projectDir);
          for (const t of result.tests) out(`${t.name}: ${t.passed ? 'passed' : 'failed'}`);
          // A failure's reasons (the rows that differ) are the CLI's own words, on its stderr.
          if (result.exitCode !== 0) process.stderr.write(result.output.trim() ? `${result.output.trim()}\n` : '');
          out(`\n${summaryLine('dataform test', result.tests, result.seconds)}`);
          failed ||= result.exitCode !== 0;
        }
      } catch (error) {
        process.stderr.write(`landform test: ${(error as Error).message}\n`);
        return ends(error instanceof TestFileError ? 2 : 1);
      }
      return ends(failed ? 1 : 0);
    });
}
