import { VaxpassError } from '../errors.js'

/** Limits of {@link scanCbor}. */
export interface CborLimits {
  /** Deepest nesting of arrays, maps and tags allowed. */
  readonly maxDepth: number
}

/** Nesting deeper than any real pass (a DCC payload nests about 6 levels). */
export const DEFAULT_CBOR_LIMITS: CborLimits = { maxDepth: 64 }

/**
 * Walks the structure of one CBOR data item without building it, iteratively (no recursion, so
 * no stack overflow), and checks it is well formed, nests at most `maxDepth` and never declares a
 * length longer than the bytes left. Run before a real decoder so that hostile input cannot make
 * it allocate a declared 1 GB string or recurse 10,000 levels deep.
 *
 * Errors: `ERR_CBOR_TOO_DEEP`, `ERR_CBOR` (malformed, truncated, trailing bytes).
 *
 * @example
 * scanCbor(bytes) // throws or returns
 */
export function scanCbor(bytes: Uint8Array, limits: CborLimits = DEFAULT_CBOR_LIMITS): void {
  const len = bytes.length
  let pos = 0
  // Per open container: items still expected (-1 = indefinite, ends at a break).
  const remaining: number[] = []
  // 0 = array/map, 2 or 3 = indefinite byte/text string (chunks must match), 6 = tag
  const kinds: number[] = []
  const fail = (message: string): never => {
    throw new VaxpassError('ERR_CBOR', message, { details: { offset: pos } })
  }
  const readArgument = (info: number): number => {
    if (info < 24) return info
    const size = info === 24 ? 1 : info === 25 ? 2 : info === 26 ? 4 : info === 27 ? 8 : 0
    if (size === 0) fail('reserved additional information value')
    if (pos + size > len) fail('truncated CBOR argument')
    let v = 0
    for (let i = 0; i < size; i++) v = v * 256 + bytes[pos + i]!
    pos += size
    return v
  }
  const push = (count: number, kind: number): void => {
    if (remaining.length >= limits.maxDepth) {
      throw new VaxpassError('ERR_CBOR_TOO_DEEP', `CBOR nests deeper than ${limits.maxDepth}`, {
        details: { offset: pos, maxDepth: limits.maxDepth },
      })
    }
    remaining.push(count)
    kinds.push(kind)
  }
  // Closes containers whose items are complete.
  const itemDone = (): void => {
    while (remaining.length > 0) {
      const top = remaining.length - 1
      if (remaining[top] === -1) return
      remaining[top]! -= 1
      if (remaining[top]! > 0) return
      remaining.pop()
      kinds.pop()
    }
  }
  let started = false
  while (!started || remaining.length > 0) {
    started = true
    if (pos >= len) fail('truncated CBOR')
    const initial = bytes[pos++]!
    const major = initial >> 5
    const info = initial & 0x1f
    const parentKind = kinds.length > 0 ? kinds[kinds.length - 1]! : 0
    if (initial === 0xff) {
      if (remaining.length === 0 || remaining[remaining.length - 1] !== -1) fail('unexpected break')
      remaining.pop()
      kinds.pop()
      itemDone()
      continue
    }
    if ((parentKind === 2 || parentKind === 3) && (major !== parentKind || info === 31)) {
      fail('indefinite string chunk of the wrong type')
    }
    switch (major) {
      case 0:
      case 1:
        readArgument(info)
        itemDone()
        break
      case 2:
      case 3: {
        if (info === 31) {
          push(-1, major)
          break
        }
        const n = readArgument(info)
        if (n > len - pos) fail('string length exceeds the input')
        pos += n
        itemDone()
        break
      }
      case 4:
      case 5: {
        if (info === 31) {
          push(-1, 0)
          break
        }
        const n = readArgument(info)
        const items = major === 5 ? n * 2 : n
        // every item takes at least one byte
        if (items > len - pos) fail('container length exceeds the input')
        if (items === 0) itemDone()
        else push(items, 0)
        break
      }
      case 6:
        readArgument(info)
        push(1, 6)
        break
      default: {
        // major 7: simple values and floats
        if (info === 31) fail('unexpected break')
        if (info >= 28) fail('reserved simple value')
        if (info === 24) {
          if (pos + 1 > len) fail('truncated simple value')
          pos += 1
        } else if (info >= 25) {
          const size = info === 25 ? 2 : info === 26 ? 4 : 8
          if (pos + size > len) fail('truncated float')
          pos += size
        }
        itemDone()
      }
    }
  }
  if (pos !== len) fail('trailing bytes after the CBOR item')
}
