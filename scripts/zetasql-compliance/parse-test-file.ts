/**
 * Reads one ZetaSQL compliance test file (zetasql/compliance/testdata/*.test): sections separated by
 * a line `==`; each has `[option]` lines, the SQL, a line `--` and the expected text (a typed value
 * such as `ARRAY<STRUCT<INT64>>[{1}]`, or `ERROR: ...`). `[default option]` lines (and
 * `[default_time_zone=...]`) apply to every later section of the file; `[prepare_database]` marks a CREATE TABLE ... AS SELECT whose table the
 * later sections read.
 */

export interface TestSection {
  /** 1-based line of the section's first line in the file. */
  line: number;
  name: string;
  /** Options of the section, defaults of the file merged in (`required_features` unioned). */
  options: Map<string, string>;
  requiredFeatures: string[];
  forbiddenFeatures: string[];
  prepareDatabase: boolean;
  sql: string;
  /** The expected text with trailing NOTE lines and blank lines removed. */
  expected: string;
  /** NOTE lines after the expected value (e.g. "Reference implementation reports non-determinism"). */
  notes: string[];
}

const OPTION = /^\[(default\s+)?([A-Za-z_]+)(?:=([\s\S]*))?\]\s*$/;

function featureList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f.length > 0);
}

export function parseTestFile(text: string): TestSection[] {
  const lines = text.split('\n');
  const defaults = new Map<string, string>();
  const defaultRequired: string[] = [];
  const sections: TestSection[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const section = parseSection(lines.slice(start, end), start + 1, defaults, defaultRequired);
    if (section) sections.push(section);
    start = end + 1;
  };
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trimEnd() === '==') flush(i);
  }
  flush(lines.length);
  return sections;
}

function parseSection(lines: string[], line: number, defaults: Map<string, string>, defaultRequired: string[]): TestSection | undefined {
  const options = new Map<string, string>();
  const sqlLines: string[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    let l = lines[i] ?? '';
    if (l.trimEnd() === '--') break;
    // An option may span lines (`[parameters=a as x,` ... `b as y]`).
    if (sqlLines.length === 0 && l.startsWith('[') && !l.trimEnd().endsWith(']')) {
      while (i + 1 < lines.length && !l.trimEnd().endsWith(']') && lines[i + 1]?.trimEnd() !== '--') l += `\n${lines[++i] ?? ''}`;
    }
    const option = sqlLines.length === 0 ? OPTION.exec(l.trim()) : null;
    if (option) {
      const [, isDefault, rawKey = '', value] = option;
      const key = rawKey.toLowerCase();
      // `[default_time_zone=...]` holds for every later section too (the driver's rule, noted in
      // timestamp_with_default_time_zone.test), as a `[default ...]` option does
      if (isDefault || key === 'default_time_zone') {
        if (key === 'required_features') defaultRequired.push(...featureList(value));
        else defaults.set(key, value ?? '');
      } else {
        options.set(key, value ?? '');
      }
      continue;
    }
    if (sqlLines.length === 0 && (l.trim() === '' || l.startsWith('#'))) continue;
    sqlLines.push(l);
  }
  const sql = sqlLines.join('\n').trim();
  if (sql === '' || i >= lines.length) return undefined;
  const rest = lines.slice(i + 1);
  const notes = rest.filter((l) => l.startsWith('NOTE:'));
  const expected = rest
    .filter((l) => !l.startsWith('NOTE:') && !l.startsWith('#'))
    .join('\n')
    .trim();
  for (const [k, v] of defaults) if (!options.has(k)) options.set(k, v);
  return {
    line,
    name: options.get('name') ?? `line ${line}`,
    options,
    requiredFeatures: [...new Set([...defaultRequired, ...featureList(options.get('required_features'))])],
    forbiddenFeatures: featureList(options.get('forbidden_features')),
    prepareDatabase: options.has('prepare_database'),
    sql,
    expected,
    notes,
  };
}
