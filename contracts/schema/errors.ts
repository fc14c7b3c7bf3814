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

export type IssuePath = ReadonlyArray<string | number | symbol>;

/** `columns[2].privacy`, `metrics.battery_v.min`; the whole document is `(root)`. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}
