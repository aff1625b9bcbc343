const COMBINING_MARKS = /\p{M}/gu
const SEPARATORS = /[\s\-‐‑‒–—_.,']+/gu

/**
 * The matching key of a name: Unicode NFD with combining marks dropped (so NFC and NFD inputs
 * meet), `Đ`/`đ` folded to `d`, lower case, hyphens and punctuation read as spaces, runs of
 * spaces collapsed, ends trimmed. Two names with the same key are the same name for linkage;
 * what differed is reported by {@link compareNames}.
 *
 * @example
 * normaliseName('  NGUYỄN  thị Hồng-Đào ') // 'nguyen thi hong dao'
 */
export function normaliseName(s: string): string {
  return s
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[Đđ\u00D0\u00F0]/g, 'd')
    .toLowerCase()
    .replace(SEPARATORS, ' ')
    .trim()
}

/**
 * A name in canonical form, diacritics kept: NFC, whitespace collapsed and trimmed, lower case.
 * Two names with the same canonical form differ at most in case, spacing or Unicode form.
 *
 * @example
 * canonicaliseName(' Nguyễn  Văn A'.normalize('NFD')) === 'nguyễn văn a' // true
 */
export function canonicaliseName(s: string): string {
  return s.normalize('NFC').replace(/\s+/gu, ' ').trim().toLowerCase()
}
