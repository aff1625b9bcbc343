import { VaxpassError } from '../errors.js'

/** Limits for {@link parseJsonBounded}. */
export interface JsonLimits {
  /** Largest accepted text, in UTF-16 code units. Default 1,000,000. */
  readonly maxLength?: number
  /** Deepest accepted nesting of arrays and objects. Default 64. */
  readonly maxDepth?: number
}

/**
 * Parses JSON from an untrusted source after checking its size and nesting depth with one
 * linear scan, so that a document nested 10,000 deep is refused with a code instead of
 * exhausting the stack of whatever walks it later.
 *
 * @throws VaxpassError ERR_INPUT_TOO_LARGE, ERR_INPUT_FORMAT (too deep or not JSON)
 * @example
 * parseJsonBounded('{"a":[1]}', { maxDepth: 8 }) // { a: [1] }
 */
export function parseJsonBounded(text: string, limits: JsonLimits = {}): unknown {
  const maxLength = limits.maxLength ?? 1_000_000
  const maxDepth = limits.maxDepth ?? 64
  if (text.length > maxLength) {
    throw new VaxpassError('ERR_INPUT_TOO_LARGE', `JSON text longer than ${maxLength} characters`, {
      details: { limit: maxLength },
    })
  }
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c)
        i++ // skip the escaped character
      else if (c === 0x22) inString = false
      continue
    }
    if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) {
        throw new VaxpassError('ERR_INPUT_FORMAT', `JSON nested deeper than ${maxDepth} levels`, {
          details: { limit: maxDepth },
        })
      }
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new VaxpassError('ERR_INPUT_FORMAT', 'input is not valid JSON', { cause })
  }
}
