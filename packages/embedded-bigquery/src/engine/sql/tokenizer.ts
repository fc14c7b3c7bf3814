/**
 * GoogleSQL lexer. Produces tokens with their decoded value (string literals unescaped, backticked
 * identifiers unquoted) so the translator never has to re-parse quoting rules.
 */
import { BigQueryApiError } from '../types.js';

export type TokenKind =
  | 'ident' // bare identifier or keyword
  | 'quoted' // `backticked` identifier (value may contain dots: `p.d.t`)
  | 'string' // '...' or "..." (value decoded)
  | 'bytes' // b'...' (value decoded as latin1 code units)
  | 'number'
  | 'param' // @name (value = name)
  | 'sysvar' // @@name
  | 'positional' // ?
  | 'op'
  | 'eof';

export interface Token {
  kind: TokenKind;
  value: string;
  /** Source text of the token. */
  text: string;
  start: number;
  end: number;
  /** Whitespace or a comment preceded this token. */
  spaceBefore: boolean;
}

const MULTI_OPS = ['<=', '>=', '<>', '!=', '||', '<<', '>>', '=>', '->', '|>'];

function decodeEscapes(body: string, raw: boolean, at: number, bytes = false): string {
  // a BYTES literal holds the UTF-8 bytes of the characters written in it (as latin1 code units)
  const text = (c: string): string => (bytes && c.charCodeAt(0) > 0x7f ? Buffer.from(c, 'utf8').toString('latin1') : c);
  if (raw) return bytes ? [...body].map(text).join('') : body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = String.fromCodePoint(body.codePointAt(i)!);
      out += text(cp);
      i += cp.length - 1;
      continue;
    }
    const n = body[++i];
    switch (n) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case 'a': out += '\x07'; break;
      case '\\': case "'": case '"': case '`': case '?': out += n; break;
      case 'x': case 'X': {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
        break;
      }
      case 'u': {
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
        break;
      }
      case 'U': {
        out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
        i += 8;
        break;
      }
      default:
        if (n !== undefined && n >= '0' && n <= '7') {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
          break;
        }
        throw new BigQueryApiError('invalidQuery', `Illegal escape sequence \\${n ?? ''} in string literal at position ${at}`);
    }
  }
  return out;
}

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let space = false;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
      space = true;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      space = true;
      continue;
    }
    if (c === '#') {
      while (i < n && sql[i] !== '\n') i++;
      space = true;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new BigQueryApiError('invalidQuery', `Unclosed comment at position ${i}`);
      i = close + 2;
      space = true;
      continue;
    }
    const start = i;
    const push = (kind: TokenKind, value: string): void => {
      tokens.push({ kind, value, text: sql.slice(start, i), start, end: i, spaceBefore: space });
      space = false;
    };
    // string / bytes literals with optional r/b prefixes
    const prefix = /^(?:rb|br|r|b)?(?=['"])/i.exec(sql.slice(i, i + 3));
    if (prefix && (prefix[0].length > 0 || c === "'" || c === '"')) {
      const p = prefix[0].toLowerCase();
      const raw = p.includes('r');
      const isBytes = p.includes('b');
      i += p.length;
      const q = sql[i]!;
      const triple = sql.slice(i, i + 3) === q.repeat(3);
      const delim = triple ? q.repeat(3) : q;
      i += delim.length;
      let body = '';
      for (;;) {
        if (i >= n) throw new BigQueryApiError('invalidQuery', `Unclosed string literal at position ${start}`);
        if (sql[i] === '\\') {
          body += sql.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (sql.startsWith(delim, i)) {
          i += delim.length;
          break;
        }
        if (!triple && sql[i] === '\n') throw new BigQueryApiError('invalidQuery', `Unclosed string literal at position ${start}`);
        body += sql[i];
        i++;
      }
      push(isBytes ? 'bytes' : 'string', decodeEscapes(body, raw, start, isBytes));
      continue;
    }
    if (c === '`') {
      // a quoted identifier takes the escape sequences of a string literal (lexical#quoted_identifiers): `a\`b`, `\t`
      let close = i + 1;
      while (close < n && sql[close] !== '`') close += sql[close] === '\\' ? 2 : 1;
      if (close >= n) throw new BigQueryApiError('invalidQuery', `Unclosed identifier literal at position ${i}`);
      const body = sql.slice(start + 1, close);
      i = close + 1;
      push('quoted', body.includes('\\') ? decodeEscapes(body, false, start) : body);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      while (i < n && /[A-Za-z0-9_]/.test(sql[i]!)) i++;
      // project ids with hyphens only appear backticked in GoogleSQL, so '-' ends an identifier
      push('ident', sql.slice(start, i));
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      if (c === '0' && /[xX]/.test(sql[i + 1] ?? '')) {
        i += 2;
        while (i < n && /[0-9A-Fa-f]/.test(sql[i]!)) i++;
      } else {
        while (i < n && /[0-9]/.test(sql[i]!)) i++;
        if (sql[i] === '.') {
          i++;
          while (i < n && /[0-9]/.test(sql[i]!)) i++;
        }
        if (/[eE]/.test(sql[i] ?? '') && /[-+0-9]/.test(sql[i + 1] ?? '')) {
          i += 2;
          while (i < n && /[0-9]/.test(sql[i]!)) i++;
        }
      }
      push('number', sql.slice(start, i));
      continue;
    }
    if (c === '@') {
      if (sql[i + 1] === '@') {
        i += 2;
        while (i < n && /[A-Za-z0-9_.]/.test(sql[i]!)) i++;
        push('sysvar', sql.slice(start + 2, i));
        continue;
      }
      i++;
      if (sql[i] === '`') {
        const close = sql.indexOf('`', i + 1);
        i = close + 1;
        push('param', sql.slice(start + 2, close));
        continue;
      }
      while (i < n && /[A-Za-z0-9_]/.test(sql[i]!)) i++;
      push('param', sql.slice(start + 1, i));
      continue;
    }
    if (c === '?') {
      i++;
      push('positional', '?');
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (MULTI_OPS.includes(two)) {
      i += 2;
      push('op', two);
      continue;
    }
    i++;
    push('op', c);
  }
  tokens.push({ kind: 'eof', value: '', text: '', start: n, end: n, spaceBefore: space });
  return tokens;
}

export function isKeyword(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === 'ident' && words.includes(t.value.toUpperCase());
}

export function isOp(t: Token | undefined, ...ops: string[]): boolean {
  return t !== undefined && t.kind === 'op' && ops.includes(t.value);
}

/** Split a script into statements on top-level `;` (strings and comments are already tokens). */
export function splitStatements(tokens: Token[]): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'eof') break;
    if (isOp(t, ';')) {
      if (cur.length > 0) out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}
