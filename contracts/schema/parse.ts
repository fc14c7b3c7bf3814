/** YAML text → validated contract, or every ContractError found in it. */
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ContractError, formatPath } from './errors.js';
import { checkTable, checkTelemetry, type RuleIssue } from './shared/index.js';
import { tableContractSchema, telemetryContractSchema, type TableContract, type TelemetryContract } from './schema.js';

export type Checked<T> = { ok: true; contract: T } | { ok: false; errors: ContractError[] };

export function parseYamlText(text: string, file: string): { ok: true; value: unknown } | { ok: false; errors: ContractError[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        return new ContractError(file, `(line ${line}, column ${col})`, `invalid YAML: ${e.message.split('\n')[0]}`);
      }),
    };
  }
  return { ok: true, value: doc.toJS() };
}

function zodErrors(file: string, error: z.ZodError): ContractError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // A key with spaces is usually a description cut at an unquoted comma inside `{...}`.
      const hint = (key: string) => (/\s/.test(key) ? ' (an unquoted comma inside a {...} mapping? quote the value)' : '');
      return issue.keys.map((key) => new ContractError(file, formatPath([...issue.path, key]), `unknown field${hint(key)}`));
    }
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return [new ContractError(file, formatPath(issue.path), missing ? `required field is missing (expected ${issue.expected})` : issue.message)];
  });
}

const toErrors = (file: string, issues: RuleIssue[]) => issues.map((i) => new ContractError(file, formatPath(i.path), i.rule));

// The rules (shape and cross-field) are the shared ones the Dataform includes run at compile time;
// zod then only turns a valid value into the typed, normalized contract (defaults, type aliases).
export function checkTableContract(value: unknown, file: string, fileStem: string): Checked<TableContract> {
  const issues = checkTable(value, fileStem);
  if (issues.length > 0) return { ok: false, errors: toErrors(file, issues) };
  const parsed = tableContractSchema.safeParse(value);
  return parsed.success ? { ok: true, contract: parsed.data } : { ok: false, errors: zodErrors(file, parsed.error) };
}

export function checkTelemetryContract(value: unknown, file: string): Checked<TelemetryContract> {
  const issues = checkTelemetry(value);
  if (issues.length > 0) return { ok: false, errors: toErrors(file, issues) };
  const parsed = telemetryContractSchema.safeParse(value);
  return parsed.success ? { ok: true, contract: parsed.data } : { ok: false, errors: zodErrors(file, parsed.error) };
}
