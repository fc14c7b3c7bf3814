/**
 * NORMALIZE and NORMALIZE_AND_CASEFOLD (string_functions#normalize): ZetaSQL normalizes with ICU
 * (NFC, NFKC, NFD, NFKD), then, for the casefold form, applies ICU's full default case folding
 * (UnicodeString::foldCase). JavaScript has no case folding; per code point, upper-then-lower
 * casing twice gives the full folding (ß and ẞ → ss, ς → σ, ǰ → j + caron, İ → i + dot above),
 * except for ı (no folding) and Cherokee (folds to upper case), which are handled or refused.
 */
export const NORMALIZATION_MODES = new Set(['NFC', 'NFKC', 'NFD', 'NFKD']);

export function normalize(s: string, mode: string): string {
  if (!NORMALIZATION_MODES.has(mode)) throw new Error(`Invalid normalization mode: ${mode}`);
  return s.normalize(mode as 'NFC' | 'NFKC' | 'NFD' | 'NFKD');
}

export function caseFold(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x131) out += ch;
    else if ((cp >= 0x13a0 && cp <= 0x13fd) || (cp >= 0xab70 && cp <= 0xabbf)) {
      throw new Error('NORMALIZE_AND_CASEFOLD of Cherokee text is not supported by the embedded BigQuery');
    } else out += ch.toUpperCase().toLowerCase().toUpperCase().toLowerCase();
  }
  return out;
}
