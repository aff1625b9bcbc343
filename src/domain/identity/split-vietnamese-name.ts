import { normaliseName } from './normalise-name.js'

/**
 * Family names of more than one word. Kept short on purpose: a word like `Phúc` after `Nguyễn`
 * is usually a middle name, so only unambiguous compounds are listed (matched without diacritics).
 */
const COMPOUND_FAMILY_NAMES: readonly string[] = [
  'cong tang ton nu',
  'ton that',
  'ton nu',
  'au duong',
  'tu ma',
  'gia cat',
]

/**
 * Splits a Vietnamese full name, written family name first, into the family name (DCC `fn`) and
 * the middle and given names (DCC `gn`). Whitespace is collapsed and the input normalised to NFC;
 * diacritics are kept. A one-word name is all family name.
 *
 * @example
 * splitVietnameseName('Nguyễn Thị Hồng Đào') // { family: 'Nguyễn', given: 'Thị Hồng Đào' }
 * splitVietnameseName('Tôn Thất Thuyết') // { family: 'Tôn Thất', given: 'Thuyết' }
 */
export function splitVietnameseName(full: string): { family: string; given: string } {
  const words = full
    .normalize('NFC')
    .split(/\s+/u)
    .filter((w) => w !== '')
  if (words.length === 0) return { family: '', given: '' }
  let familyWords = 1
  for (const compound of COMPOUND_FAMILY_NAMES) {
    const n = compound.split(' ').length
    if (words.length > n && normaliseName(words.slice(0, n).join(' ')) === compound) {
      familyWords = n
      break
    }
  }
  return {
    family: words.slice(0, familyWords).join(' '),
    given: words.slice(familyWords).join(' '),
  }
}
