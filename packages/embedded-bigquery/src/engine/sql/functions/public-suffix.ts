/**
 * NET.PUBLIC_SUFFIX and NET.REG_DOMAIN (net_functions page), following ZetaSQL's reference
 * implementation (functions/net.cc DomainSuffix, base/net/public_suffix): the host as NET.HOST reads
 * it; when it holds an upper-case ASCII letter or a character from U+007F up, it is looked up in
 * its UTS #46 ToASCII form (a host that form rejects gives NULL); the suffix is found among the
 * public suffix list's ICANN rules only (tldts, private rules off), and the answer is that many
 * labels of the original host, its case and script kept. A TLD the list does not know gives NULL
 * (ZetaSQL applies the list's implicit "*" rule only to TLDs its rule tree holds). Cases where the
 * page and the reference implementation disagree, or where Node's ToASCII may differ from ICU's,
 * fail loudly.
 */
import { domainToASCII } from 'node:url';
import { parse } from 'tldts';
import { unsupported } from '../../errors.js';
import { urlHost } from './net-values.js';

const ICANN_ONLY = { allowPrivateDomains: false, extractHostname: false, validateHostname: false, detectIp: false, mixedInputs: false } as const;

/**
 * TLDs that are a node of the list's rule tree without being a rule nor having a wildcard rule:
 * the implicit "*" makes them a public suffix in ZetaSQL, while tldts falls back to its default
 * rule. Checked against tldts's data by test/embedded-bigquery/engine/public-suffix.test.ts.
 */
export const TLDS_WITHOUT_OWN_RULE = new Set(['za']);

/** ZetaSQL's GetPublicSuffix on a lower-case name: the ICANN suffix, or '' when there is none. */
function publicSuffixOf(name: string): string {
  const trail = name.endsWith('.') ? '.' : '';
  const core = trail ? name.slice(0, -1) : name;
  if (core === '') return '';
  const r = parse(core, ICANN_ONLY);
  if (r.isIcann && r.publicSuffix) return r.publicSuffix + trail;
  const tld = core.slice(core.lastIndexOf('.') + 1);
  if (tld === '') return '';
  // a TLD with only a wildcard rule (*.bd) is itself a suffix through the implicit "*"
  const probe = parse(`a.${tld}`, ICANN_ONLY);
  if (TLDS_WITHOUT_OWN_RULE.has(tld) || (probe.isIcann && probe.publicSuffix === `a.${tld}`)) return tld + trail;
  return '';
}

/** ZetaSQL's GetTopPrivateDomain: the public suffix and one more label, or ''. */
function registrableDomainOf(name: string): string {
  const suffix = publicSuffixOf(name);
  if (suffix === '' || suffix.length >= name.length) return '';
  const rest = name.slice(0, name.length - suffix.length - 1);
  const label = rest.slice(rest.lastIndexOf('.') + 1);
  return label === '' ? '' : `${label}.${suffix}`;
}

const needsToAscii = (host: string): boolean => /[A-Z\u007f-\uffff]/.test(host);

/**
 * The host's UTS #46 ToASCII form as ICU gives it to ZetaSQL (errors are NULL: an empty label, a
 * label over 63 octets or a name over 253, a hyphen at either end of a label or in its 3rd and 4th
 * places). Node's domainToASCII does the mapping and punycode; the checks ICU adds are made here.
 * Characters where the two may differ (the deviation characters ß ς ZWJ ZWNJ, punctuation, symbols,
 * ACE labels) fail loudly.
 */
function toAscii(host: string, fn: string): string | null {
  const labels = host.split('.');
  if (labels[labels.length - 1] === '') labels.pop();
  if (labels.length === 0 || labels.some((l) => l === '')) return null;
  const loud = (): never => {
    throw unsupported(`${fn} of the host ${JSON.stringify(host)} (its IDNA form may differ from BigQuery's)`);
  };
  for (const l of labels) {
    if (/[\u00df\u03c2\u200c\u200d]/u.test(l) || !/^[A-Za-z0-9\-\p{L}\p{M}\p{Nd}]+$/u.test(l) || /^xn--/i.test(l)) loud();
    // eslint-disable-next-line no-control-regex
    const ascii = /^[\x00-\x7f]+$/.test(l);
    if (l.startsWith('-') || l.endsWith('-')) return null;
    if (l.includes('--')) {
      if (!ascii) loud();
      if (l.slice(2, 4) === '--') return null;
    }
  }
  const out = domainToASCII(host);
  if (out === '') return null;
  const outLabels = out.split('.');
  if (outLabels[outLabels.length - 1] === '') outLabels.pop();
  if (outLabels.length !== labels.length) loud();
  if (outLabels.some((l) => l.length > 63) || outLabels.join('.').length > 253) return null;
  return out;
}

function domainSuffix(url: string, fn: string, lookup: (name: string) => string): string | null {
  const host = urlHost(url);
  if (host === null) return null;
  let name = host;
  if (needsToAscii(host)) {
    // a name with no suffix in any form gives NULL whatever ToASCII would say of it
    // eslint-disable-next-line no-control-regex
    if (/^[\x00-\x7f]*$/.test(host) && lookup(host.toLowerCase()) === '') return null;
    const ascii = toAscii(host, fn);
    if (ascii === null) return null;
    name = ascii;
  } else if (host.includes('..')) {
    // the page says adjacent dots give NULL, the reference implementation answers past them
    throw unsupported(`${fn} of a host with adjacent dots (${JSON.stringify(host)})`);
  }
  const suffix = lookup(name);
  if (suffix === '') return null;
  // as many labels of the original host as the suffix has
  let dots = [...suffix].filter((c) => c === '.').length;
  let p = host.length;
  while (--p >= 0) {
    if (host[p] === '.' && --dots < 0) break;
  }
  const out = host.slice(p + 1);
  return out === '' ? null : out;
}

export const publicSuffix = (url: string): string | null => domainSuffix(url, 'NET.PUBLIC_SUFFIX', publicSuffixOf);
export const regDomain = (url: string): string | null => domainSuffix(url, 'NET.REG_DOMAIN', registrableDomainOf);
