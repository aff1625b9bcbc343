/** Letters that NFD does not decompose, with their ICAO 9303 transliteration. */
const SPECIAL: Readonly<Record<string, string>> = {
  Đ: 'D',
  đ: 'D',
  Ð: 'D',
  ð: 'D',
  Æ: 'AE',
  æ: 'AE',
  Ø: 'OE',
  ø: 'OE',
  Œ: 'OE',
  œ: 'OE',
  ß: 'SS',
  Þ: 'TH',
  þ: 'TH',
  Ł: 'L',
  ł: 'L',
  ı: 'I',
}
const SPECIAL_RE = /[ĐđÐðÆæØøŒœßÞþŁłı]/g

/** The maximum length of a transliterated name in the DCC (`fnt`, `gnt`). */
export const MAX_TRANSLITERATED_LENGTH = 80

/**
 * Transliterates a name for the DCC `fnt`/`gnt` fields per ICAO 9303: Unicode NFD, combining
 * marks dropped, `Đ`/`đ` to `D`, upper case, spaces and hyphens to `<` (runs collapsed, ends
 * trimmed), anything else outside `A-Z` dropped, at most 80 characters. The result always
 * matches `^[A-Z<]{0,80}$`.
 *
 * @example
 * transliterateName('Thị Hồng Đào') // 'THI<HONG<DAO'
 * transliterateName('Nguyễn') // 'NGUYEN'
 */
export function transliterateName(s: string): string {
  const out = s
    // NFD first, so that letters like Ǽ (Æ with acute) reach the table as their base letter.
    .normalize('NFD')
    .replace(SPECIAL_RE, (c) => SPECIAL[c] ?? '')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—]+/gu, '<')
    .replace(/[^A-Z<]/g, '')
    .replace(/<{2,}/g, '<')
    .replace(/^<+|<+$/g, '')
  return out.length <= MAX_TRANSLITERATED_LENGTH
    ? out
    : out.slice(0, MAX_TRANSLITERATED_LENGTH).replace(/<+$/, '')
}
