/** Types of the shared contract rules (index.js, plain CommonJS for the Dataform compile sandbox). */
export type IssuePath = ReadonlyArray<string | number | symbol>;
export interface RuleIssue {
  path: IssuePath;
  rule: string;
}
export function formatPath(path: IssuePath): string;
export function checkTable(value: unknown, fileStem: string): RuleIssue[];
export function checkTelemetry(value: unknown): RuleIssue[];
export function assertValid(contracts: Array<{ file: string; issues: RuleIssue[] }>): void;
