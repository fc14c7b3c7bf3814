/**
 * FORMAT: printf-style formatting as GoogleSQL defines it (string_functions#format_string). DuckDB's
 * printf differs in the apostrophe flag (it groups with ' and only decimals) and in %t of NULL (it
 * gives NULL, GoogleSQL 'NULL'); those specifiers are rewritten, the rest go to printf unchanged.
 */
import { unsupported } from '../../errors.js';
import { quoteString } from '../../type-mapping.js';
import type { CallArgs } from '../translation-context.js';
import { FunctionTable } from './function-table.js';

export const FORMAT_FUNCTIONS = new FunctionTable();

const SPEC = /%([-+ #0']*)(\*|\d+)?(?:\.(\*|\d+))?([a-zA-Z%])/g;

/** Digits grouped from the right: every `size` digits get `sep` (a leading sign stays in front). */
function grouped(text: string, size: number, sep: string): string {
  return `regexp_replace(reverse(regexp_replace(reverse(${text}), '([0-9a-fA-F]{${size}})', '\\1${sep}', 'g')), '^(-?)\\${sep}', '\\1')`;
}

FORMAT_FUNCTIONS.def('FORMAT', (a) => {
  const f = a.tokens[0];
  if (!f || f.length !== 1 || f[0]!.kind !== 'string') return `printf(${a.all().join(', ')})`;
  const format = f[0]!.value;
  if (!/%[-+ #0]*'|%t/.test(format)) return `printf(${a.all().join(', ')})`;
  // one piece per literal run and per specifier, each specifier consuming its argument
  const pieces: string[] = [];
  let arg = 1;
  let last = 0;
  for (const m of format.matchAll(SPEC)) {
    const [whole, flags = '', width, precision, conv = ''] = m;
    if (m.index > last) pieces.push(quoteString(format.slice(last, m.index)));
    last = m.index + whole.length;
    if (conv === '%') {
      pieces.push("'%'");
      continue;
    }
    if (width === '*' || precision === '*') throw unsupported("FORMAT with '*' widths together with %t or the ' flag");
    const value = argAt(a, arg++);
    if (conv === 't' && flags === '' && !width && !precision) {
      pieces.push(`coalesce(bq_to_string(${value}), 'NULL')`);
    } else if (flags === "'" && !width && !precision && 'diuxXo'.includes(conv)) {
      const text = `printf('%${conv === 'i' || conv === 'u' ? 'd' : conv}', ${value})`;
      pieces.push(conv === 'x' || conv === 'X' ? grouped(text, 4, ':') : conv === 'o' ? grouped(text, 4, ',') : grouped(text, 3, ','));
    } else if (flags.includes("'") || conv === 't') {
      throw unsupported(`FORMAT specifier ${whole}`);
    } else {
      pieces.push(`printf(${quoteString(whole)}, ${value})`);
    }
  }
  if (last < format.length) pieces.push(quoteString(format.slice(last)));
  // FORMAT is NULL when an argument is NULL, except where %t prints it
  return `(${pieces.join(' || ')})`;
});

function argAt(a: CallArgs, k: number): string {
  if (k >= a.tokens.length) throw unsupported('FORMAT with fewer arguments than specifiers');
  return a.sql(k);
}
