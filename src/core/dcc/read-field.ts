// Tolerant field access shared by the normalisers: sloppy passes carry nulls, numbers for
// strings, stray whitespace and objects where arrays belong. Nothing here throws.

/**
 * A character outside U+0000-U+02FF and U+1E00-U+1EFF. Text made only of those is already NFC
 * (each is a stand-alone starter that neither decomposes nor combines with its neighbour; the
 * test checks every pair), so ICU's normalising can be skipped: that covers codes, ASCII text
 * and precomposed Vietnamese names. A regex scans one-byte strings faster than a loop.
 */
const NEEDS_NFC = /[^\u0000-\u02ff\u1e00-\u1eff]/u

/** A trimmed, NFC-normalised string from a string or number; undefined otherwise. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const s = (NEEDS_NFC.test(value) ? value.normalize('NFC') : value).trim()
    return s === '' ? undefined : s
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  // CBOR tag 0/1 date-times decode to Date objects.
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  return undefined
}

/** A finite number from a number or numeric text; undefined otherwise. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/u.test(value)) return Number(value)
  return undefined
}

/** A property of a plain object, or undefined (also when a getter throws). */
export function readProp(obj: unknown, key: string): unknown {
  try {
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined
    return (obj as Record<string, unknown>)[key]
  } catch {
    return undefined
  }
}

/** The entries of a `v`/`t`/`r` group: an array, or a lone object read as one entry. */
export function readEntries(value: unknown): unknown[] {
  if (Array.isArray(value)) return value
  if (typeof value === 'object' && value !== null) return [value]
  return []
}
