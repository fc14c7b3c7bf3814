/** Results printed the way `dataform test` prints its own: `<name>: passed|failed`, then the reasons, indented. */
import type { CaseResult } from './round.js';

export function resultLines(result: CaseResult): string[] {
  return [`${result.name}: ${result.passed ? 'passed' : 'failed'}`, ...result.messages.map((m) => `    ${m}`)];
}

export function summaryLine(label: string, results: Array<{ passed: boolean }>, seconds: number): string {
  const failed = results.filter((r) => !r.passed).length;
  return `${label}: ${results.length - failed} passed, ${failed} failed in ${seconds.toFixed(1)}s`;
}
