/** A contract that breaks a rule: names the file, the path inside it and the rule, never a bare stack. */
export class ContractError extends Error {
  constructor(
    readonly file: string,
    readonly path: string,
    readonly rule: string,
  ) {
    super(`${file}: ${path}: ${rule}`);
    this.name = 'ContractError';
  }
}

export type { IssuePath } from './shared/index.js';
// One path format for the validator and the compile-time check.
export { formatPath } from './shared/index.js';
