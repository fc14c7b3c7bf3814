// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const ACTION_DONE = /^(Table created|Assertion passed|Operation completed successfully|Dataset creation failed|Assertion failed|Operation failed|Skipping \w+(?: \w+)?):\s+(\S+)/;
const TEST_DONE = /^(\S.*):\s+(passed|failed)\s*$/;

/**
 * Counts what the Dataform CLI reports as it streams (`run` prints one line per finished action,
 * `test` one per unit test) and describes it for the live progress line.
 */
export function dataformProgress(command: 'run' | 'test', show: (text: string) => void): { line(text: string): void; counts: { done: number; failed: number } } {
  const counts = { done: 0, failed: 0 };
  return {
    counts,
    line(text: string) {
      const clean = text.replace(ANSI, '').trim();
      const match = command === 'run' ? ACTION_DONE.exec(clean) : TEST_DONE.exec(clean);
      if (match === null || (command === 'test' && /^(Table|Assertion|Operation)/.test(match[1] ?? ''))) return;
      counts.done += 1;
      if (/failed/i.test(match[1] ?? '') || match[2] === 'failed') counts.failed += 1;
      const what = command === 'run' ? `${counts.done} actions done` : `${counts.done} tests run`;
      show(`${what}${counts.failed > 0 ? `, ${counts.failed} failed` : ''} (last: ${command === 'run' ? match[2] : match[1]})`);
    },
  };
}
