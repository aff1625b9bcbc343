import { VaxpassError } from '../errors.js'

/**
 * Serialises a JSON value in the RFC 8785 canonical form (JCS): object members sorted by the
 * UTF-16 code units of their names, no whitespace, numbers in the ECMAScript shortest form,
 * strings with the minimal JSON escapes. Signatures over JSON (ICAO VDS-NC) are computed over
 * exactly these bytes, so two equal documents always give the same string.
 *
 * Iterative, so deeply nested input cannot overflow the stack.
 *
 * @throws VaxpassError ERR_INPUT_FORMAT for values JSON cannot carry (NaN, Infinity, undefined,
 *   functions, bigint) and cycles.
 * @example
 * canonicalizeJson({ b: 1, a: [true, null, 'x'] }) // '{"a":[true,null,"x"],"b":1}'
 */
export function canonicalizeJson(value: unknown): string {
  const out: string[] = []
  // Work stack: either a value still to write, or a literal string to emit.
  const stack: Array<{ v: unknown } | string> = [{ v: value }]
  const open = new Set<object>()
  const closing = new Map<string, object>()
  let closeId = 0
  while (stack.length > 0) {
    const item = stack.pop()!
    if (typeof item === 'string') {
      const done = closing.get(item)
      if (done !== undefined) {
        open.delete(done)
        closing.delete(item)
        continue
      }
      out.push(item)
      continue
    }
    const v = item.v
    if (v === null) out.push('null')
    else if (typeof v === 'boolean') out.push(v ? 'true' : 'false')
    else if (typeof v === 'number') out.push(serializeNumber(v))
    else if (typeof v === 'string') out.push(JSON.stringify(v))
    else if (typeof v === 'object') {
      if (open.has(v))
        throw new VaxpassError('ERR_INPUT_FORMAT', 'cyclic value cannot be canonicalised')
      open.add(v)
      const marker = `\u0000close${closeId++}`
      closing.set(marker, v)
      stack.push(marker)
      if (Array.isArray(v)) {
        stack.push(']')
        for (let i = v.length - 1; i >= 0; i--) {
          stack.push({ v: v[i] === undefined ? null : v[i] })
          if (i > 0) stack.push(',')
        }
        stack.push('[')
      } else {
        const record = v as Record<string, unknown>
        const keys = Object.keys(record)
          .filter((k) => record[k] !== undefined)
          .sort(compareUtf16)
        stack.push('}')
        for (let i = keys.length - 1; i >= 0; i--) {
          const k = keys[i]!
          stack.push({ v: record[k] })
          stack.push(`${JSON.stringify(k)}:`)
          if (i > 0) stack.push(',')
        }
        stack.push('{')
      }
    } else {
      throw new VaxpassError('ERR_INPUT_FORMAT', `a ${typeof v} cannot be canonicalised as JSON`)
    }
  }
  return out.join('')
}

function serializeNumber(n: number): string {
  if (!Number.isFinite(n)) throw new VaxpassError('ERR_INPUT_FORMAT', 'non-finite number in JSON')
  // ECMAScript Number.prototype.toString is exactly the RFC 8785 number form (and -0 gives "0").
  return Object.is(n, -0) ? '0' : String(n)
}

// Default string comparison in JS is by UTF-16 code units, which is what RFC 8785 asks for.
function compareUtf16(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
