import { canonicaliseName, normaliseName } from './normalise-name.js'

/** How two names differ. Stable codes. */
export type NameDifferenceKind =
  'unicode_form' | 'spacing' | 'case' | 'diacritics' | 'spelling' | 'word_count'

export interface NameDifference {
  readonly kind: NameDifferenceKind
  /** Index of the word (0 = family name) for word-level differences. */
  readonly word?: number
  readonly a?: string
  readonly b?: string
}

export interface NameComparison {
  /** Same name, letters and diacritics, regardless of case, spacing and NFC/NFD form. */
  readonly equal: boolean
  /** Same name once diacritics are also folded (`Đ` as `D`). */
  readonly equalIgnoringDiacritics: boolean
  /** Every difference found, even when the names are equal (a case or form difference). */
  readonly differences: readonly NameDifference[]
}

/**
 * Compares two names and says what differs: Unicode form, spacing, case, diacritics or
 * spelling, word by word. Never throws.
 *
 * @example
 * compareNames('Nguyễn Văn Đức', 'NGUYEN VAN DUC')
 * // { equal: false, equalIgnoringDiacritics: true,
 * //   differences: [{ kind: 'case', ... }, { kind: 'diacritics', word: 0, a: 'Nguyễn', b: 'NGUYEN' }, ...] }
 */
export function compareNames(a: string, b: string): NameComparison {
  const differences: NameDifference[] = []
  if (a === b) return { equal: true, equalIgnoringDiacritics: true, differences }

  const nfcA = a.normalize('NFC')
  const nfcB = b.normalize('NFC')
  if (nfcA === nfcB) {
    differences.push({ kind: 'unicode_form' })
    return { equal: true, equalIgnoringDiacritics: true, differences }
  }
  if (a !== nfcA || b !== nfcB) differences.push({ kind: 'unicode_form' })

  const wordsA = nfcA.split(/\s+/u).filter((w) => w !== '')
  const wordsB = nfcB.split(/\s+/u).filter((w) => w !== '')
  if (wordsA.join(' ') !== nfcA || wordsB.join(' ') !== nfcB) differences.push({ kind: 'spacing' })

  const canonA = canonicaliseName(nfcA)
  const canonB = canonicaliseName(nfcB)
  const equal = canonA === canonB
  const equalIgnoringDiacritics = equal || normaliseName(nfcA) === normaliseName(nfcB)

  if (wordsA.length !== wordsB.length) {
    differences.push({ kind: 'word_count', a: wordsA.join(' '), b: wordsB.join(' ') })
    return { equal, equalIgnoringDiacritics, differences }
  }
  let caseNoted = false
  const noteCase = (): void => {
    if (!caseNoted) differences.push({ kind: 'case' })
    caseNoted = true
  }
  for (let i = 0; i < wordsA.length; i++) {
    const wa = wordsA[i] as string
    const wb = wordsB[i] as string
    if (wa === wb) continue
    if (wa.toLowerCase() === wb.toLowerCase()) {
      noteCase()
    } else if (normaliseName(wa) === normaliseName(wb)) {
      differences.push({ kind: 'diacritics', word: i, a: wa, b: wb })
      const [fa, fb] = [stripMarks(wa), stripMarks(wb)]
      if (fa !== fb && fa.toLowerCase() === fb.toLowerCase()) noteCase()
    } else {
      differences.push({ kind: 'spelling', word: i, a: wa, b: wb })
    }
  }
  return { equal, equalIgnoringDiacritics, differences }
}

function stripMarks(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[Đđ]/g, (c) => (c === 'Đ' ? 'D' : 'd'))
}
