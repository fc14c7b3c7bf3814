/**
 * The incremental model test format (`definitions/<layer>/<domain>/<model>.test.yaml`), parsed and
 * checked with zod at the edge: everything past `loadTestFile` works on a typed, validated case.
 * Dataform's compile reads only `.sqlx`, `.js` and `actions.yaml` under definitions/, so it never
 * sees these files.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { formatPath } from '../contracts/schema/errors.js';

/** A test file that breaks a rule: file, field and rule in one line. */
export class TestFileError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${file}: ${field}: ${rule}`);
    this.name = 'TestFileError';
  }
}

export const TEST_FILE_SUFFIX = '.test.yaml';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,127}$/;
const identifier = z.string().regex(IDENTIFIER, 'must be a lower snake_case name');
const row = z.record(identifier, z.unknown());
const rowBlock = z.strictObject({
  defaults: row.optional(),
  rows: z.array(row),
});
// `--vars=a=1,b=2` cannot carry a comma or an equals sign, and workflow vars are strings.
const varValue = z.string({ error: 'must be a string (quote it in YAML)' }).regex(/^[^,=]*$/, 'cannot contain "," or "=" (the CLI\'s --vars syntax)');
const caseSchema = z.strictObject({
  name: z.string().min(1),
  vars: z.record(identifier, varValue).optional(),
  inputs: z.record(identifier, rowBlock).optional(),
  prior: rowBlock.optional(),
  expect: z.strictObject({
    incremental: rowBlock.optional(),
    full_refresh: rowBlock.optional(),
  }),
});
const fileSchema = z.strictObject({
  model: identifier,
  cases: z.array(caseSchema).min(1),
});

export type Row = Record<string, unknown>;

/** Expected rows and the columns they name (the same set on every row). */
export interface ExpectedRows {
  columns: string[];
  rows: Row[];
  /** Field path of the block, for messages. */
  field: string;
}

export interface ModelTestCase {
  file: string;
  model: string;
  name: string;
  /** Field path of the case (`cases[1]`), for messages. */
  field: string;
  vars: Record<string, string>;
  /** Raw rows per dependency (its `ref()` name), defaults applied. */
  inputs: Map<string, Row[]>;
  /** The target's rows before the run; undefined: the table does not exist yet. */
  prior: Row[] | undefined;
  expect: { incremental?: ExpectedRows; full_refresh?: ExpectedRows };
}

function zodErrors(file: string, error: z.ZodError): TestFileError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => new TestFileError(file, formatPath([...issue.path, key]), 'unknown field'));
    // A record key (column, table or var name) that breaks the name rule: zod wraps the rule's message.
    if (issue.code === 'invalid_key') return [new TestFileError(file, formatPath(issue.path), issue.issues[0]?.message ?? 'invalid name')];
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return [new TestFileError(file, formatPath(issue.path), missing ? `required field is missing (expected ${issue.expected})` : issue.message)];
  });
}

const withDefaults = (block: z.infer<typeof rowBlock>): Row[] => block.rows.map((r) => ({ ...(block.defaults ?? {}), ...r }));

function expectedRows(file: string, field: string, block: z.infer<typeof rowBlock>): ExpectedRows {
  const rows = withDefaults(block);
  const columns = Object.keys(rows[0] ?? block.defaults ?? {});
  const wanted = [...columns].sort().join(',');
  rows.forEach((r, i) => {
    if (Object.keys(r).sort().join(',') !== wanted) {
      throw new TestFileError(file, `${field}.rows[${i}]`, `every expected row names the same columns (${columns.join(', ')}), since only those are compared`);
    }
  });
  if (columns.length === 0 && rows.length > 0) throw new TestFileError(file, field, 'expected rows name no column');
  return { columns, rows, field };
}

function toCase(file: string, model: string, index: number, value: z.infer<typeof caseSchema>): ModelTestCase {
  const field = `cases[${index}]`;
  if (value.expect.incremental === undefined && value.expect.full_refresh === undefined) {
    throw new TestFileError(file, `${field}.expect`, 'give incremental rows, full_refresh rows, or both');
  }
  const expect: ModelTestCase['expect'] = {};
  if (value.expect.incremental) expect.incremental = expectedRows(file, `${field}.expect.incremental`, value.expect.incremental);
  if (value.expect.full_refresh) expect.full_refresh = expectedRows(file, `${field}.expect.full_refresh`, value.expect.full_refresh);
  return {
    file, model, name: value.name, field, vars: value.vars ?? {},
    inputs: new Map(Object.entries(value.inputs ?? {}).map(([name, block]) => [name, withDefaults(block)])),
    prior: value.prior ? withDefaults(value.prior) : undefined,
    expect,
  };
}

/** Parses and checks one test file's text; `file` is the name used in messages. */
export function parseTestFile(text: string, file: string): ModelTestCase[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const [yamlError] = doc.errors;
  if (yamlError) {
    const { line, col } = lineCounter.linePos(yamlError.pos[0]);
    throw new TestFileError(file, `(line ${line}, column ${col})`, `invalid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const [first] = zodErrors(file, parsed.error);
    throw first ?? new TestFileError(file, '(root)', 'invalid test file');
  }
  const stem = path.basename(file).slice(0, -TEST_FILE_SUFFIX.length);
  if (parsed.data.model !== stem) throw new TestFileError(file, 'model', `must be ${stem}, the model the file sits next to`);
  const seen = new Set<string>();
  return parsed.data.cases.map((c, i) => {
    if (seen.has(c.name)) throw new TestFileError(file, `cases[${i}].name`, `"${c.name}" is already the name of another case`);
    seen.add(c.name);
    return toCase(file, parsed.data.model, i, c);
  });
}

export async function loadTestFile(absolute: string, display: string): Promise<ModelTestCase[]> {
  return parseTestFile(await readFile(absolute, 'utf8'), display);
}
