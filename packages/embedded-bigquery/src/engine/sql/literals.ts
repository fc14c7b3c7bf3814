/** GoogleSQL number and bytes literals as DuckDB literals. */

export function numberLiteral(text: string): string {
  if (/^0[xX]/.test(text)) return BigInt(text).toString();
  if (/[.eE]/.test(text)) return `CAST(${text} AS DOUBLE)`;
  // INT64 literals: DuckDB would type small ones INTEGER and overflow at 2^31
  return text.length > 9 ? `CAST(${text} AS BIGINT)` : text;
}

export function bytesLiteral(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f && ch !== '\\' && ch !== "'") out += ch;
    else out += `\\x${code.toString(16).padStart(2, '0').toUpperCase()}`;
  }
  return `CAST('${out}' AS BLOB)`;
}
