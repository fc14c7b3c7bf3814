/**
 * NET.HOST, NET.PUBLIC_SUFFIX and NET.REG_DOMAIN on their own. Expected values are worked out by
 * hand from ZetaSQL's reference implementation (zetasql/public/functions/net.cc Host and
 * DomainSuffix, zetasql/base/net/public_suffix_oss.cc) and the public suffix list's rules, never
 * by the engine. The last test checks, on the list data tldts ships, the facts the implementation
 * rests on where tldts's lookup and ZetaSQL's rule tree could part.
 */
import { describe, expect, test } from '@jest/globals';
import { createRequire } from 'node:module';
import { urlHost } from '../../../packages/embedded-bigquery/src/engine/sql/functions/net-values.js';
import { TLDS_WITHOUT_OWN_RULE, publicSuffix, regDomain } from '../../../packages/embedded-bigquery/src/engine/sql/functions/public-suffix.js';

describe('NET.HOST as net.cc reads a URL', () => {
  test.each([
    ['', null],
    ['   ', null],
    ['\t http://abc.xyz/ \n', 'abc.xyz'],
    // a first colon followed by // ends the scheme; otherwise it is a port or user separator
    ['mailto:foo@bar.com', 'bar.com'],
    ['javascript:alert(1)', 'javascript'],
    ['x-y+z://host.example', 'host.example'],
    // a backslash ends the authority like a slash, and two of them open it
    ['\\\\a.example\\path', 'a.example'],
    ['http://a.example\\path', 'a.example'],
    // userinfo up to the last @, port after the brackets of IPv6
    ['http://u:p@w@h.example:8080/', 'h.example'],
    ['http://[2001:db8::1]:443/x', '[2001:db8::1]'],
    ['http://[::1', '[::1'],
    // leading dots dropped, trailing dots kept as one; only dots gives NULL
    ['..a.example...', 'a.example.'],
    ['http://.../', null],
    // case, spaces inside and non-ASCII text are kept
    ['HTTP://A B.Example', 'A B.Example'],
    ['ftp://例子.中国:21', '例子.中国'],
  ])('%j → %j', (url, host) => {
    expect(urlHost(url)).toBe(host);
  });
});

describe('NET.PUBLIC_SUFFIX and NET.REG_DOMAIN', () => {
  test.each([
    // ICANN suffixes of several labels; private rules (github.io, s3.amazonaws.com) are not suffixes
    ['http://www.example.co.uk/', 'co.uk', 'example.co.uk'],
    ['user.github.io', 'io', 'github.io'],
    ['a.b.s3.amazonaws.com', 'com', 'amazonaws.com'],
    // *.kawasaki.jp with !city.kawasaki.jp
    ['a.b.c.kawasaki.jp', 'c.kawasaki.jp', 'b.c.kawasaki.jp'],
    ['www.city.kawasaki.jp', 'kawasaki.jp', 'city.kawasaki.jp'],
    // za has no rule of its own, only ac.za, co.za, ...: the implicit * makes it a suffix
    ['foo.za', 'za', 'foo.za'],
    ['x.co.za', 'co.za', 'x.co.za'],
    // the answer is cut from the original host: its case, its trailing dot
    ['WWW.Example.COM.', 'COM.', 'Example.COM.'],
    ['ÉCOLE.Example.FR', 'FR', 'Example.FR'],
    // a host whose ToASCII form fails is NULL: a hyphen at the end of a label, once the host needs it
    ['a-.Example.com', null, null],
    ['a-.example.com', 'com', 'example.com'],
    // no public suffix at all, whatever the form
    ['[::1]', null, null],
    ['192.168.0.1', null, null],
    ['LOCALHOST', null, null],
  ])('%j → %j, %j', (url, suffix, domain) => {
    expect(publicSuffix(url)).toBe(suffix);
    expect(regDomain(url)).toBe(domain);
  });

  test.each(['a..example.com', 'straße.de', 'ς.gr', 'xn--mnchen-3ya.DE', 'a_b.Example.com'])('%j fails loudly', (url) => {
    expect(() => publicSuffix(url)).toThrow(/not supported by the embedded BigQuery/);
  });
});

interface Trie {
  nodeFlags: Uint8Array;
  edgeStart: Uint32Array;
  edgeLength: Uint8Array;
  edgeChild: Uint32Array;
  labelText: string;
  rulesRoot: number;
  exceptionsRoot: number;
}

describe("tldts's data and ZetaSQL's rule tree", () => {
  // tldts's flat trie (an internal module of the installed version): ICANN = 1, PRIVATE = 2
  const t = createRequire(import.meta.url)('tldts/dist/cjs/src/data/trie.js') as Trie;
  const offsets: number[] = [];
  for (let node = 0, off = 0; node < t.nodeFlags.length; node++) {
    for (let e = t.edgeStart[node]!; e < t.edgeStart[node + 1]!; e++) {
      offsets[e] = off;
      off += t.edgeLength[e]!;
    }
  }
  const children = (node: number): [string, number][] => {
    const out: [string, number][] = [];
    for (let e = t.edgeStart[node]!; e < t.edgeStart[node + 1]!; e++) out.push([t.labelText.slice(offsets[e], offsets[e]! + t.edgeLength[e]!), t.edgeChild[e]!]);
    return out;
  };
  const icann = (node: number): boolean => (t.nodeFlags[node]! & 1) !== 0;

  test('a TLD neither a rule nor under a wildcard rule is listed (ZetaSQL answers it, tldts would not)', () => {
    const tlds = children(t.rulesRoot).filter(([, c]) => !icann(c) && !children(c).some(([l, cc]) => l === '*' && icann(cc)));
    expect(tlds.map(([l]) => l).sort()).toEqual([...TLDS_WITHOUT_OWN_RULE].sort());
  });

  test('no ICANN rule lies under a private one (ZetaSQL stops at a private rule, tldts walks on)', () => {
    const under: string[] = [];
    const walk = (node: number, path: string, privateAbove: boolean): void => {
      for (const [l, c] of children(node)) {
        if (privateAbove && icann(c)) under.push(`${l}.${path}`);
        walk(c, `${l}.${path}`, privateAbove || (t.nodeFlags[c]! & 2) !== 0);
      }
    };
    walk(t.rulesRoot, '', false);
    expect(under).toEqual([]);
  });

  test('an ICANN wildcard has no named sibling outside private rules (tldts takes the named edge, ZetaSQL matches both)', () => {
    const named: string[] = [];
    const walk = (node: number, path: string, privateAbove: boolean): void => {
      const kids = children(node);
      if (!privateAbove && kids.some(([l, c]) => l === '*' && icann(c))) named.push(...kids.filter(([l]) => l !== '*').map(([l]) => `${l}.${path}`));
      for (const [l, c] of kids) walk(c, `${l}.${path}`, privateAbove || (t.nodeFlags[c]! & 2) !== 0);
    };
    walk(t.rulesRoot, '', false);
    expect(named).toEqual([]);
  });
});
