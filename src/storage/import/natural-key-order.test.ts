import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { naturalKeyOrder } from './natural-key-order.js'

/** The straightforward order: 12-digit keys first, then the rest, each by string, stable. */
function reference(keys: readonly string[]): number[] {
  const isId = (k: string) => /^[0-9]{12}$/.test(k)
  return keys
    .map((_, i) => i)
    .sort((x, y) => {
      const a = keys[x] as string
      const b = keys[y] as string
      if (isId(a) !== isId(b)) return isId(a) ? -1 : 1
      return a < b ? -1 : a > b ? 1 : x - y
    })
}

const digit = fc.constantFrom(...'0123456789'.split(''))
const id = fc.array(digit, { minLength: 12, maxLength: 12 }).map((d) => d.join(''))
// Near misses: other lengths, a non-digit inside, name keys, the digits' neighbours in ASCII.
const other = fc.oneof(
  fc.array(digit, { minLength: 0, maxLength: 14 }).map((d) => d.join('')),
  fc.tuple(id, fc.nat(11), fc.constantFrom('/', ':', 'a', ' ', '٣')).map(
    ([s, i, c]) => s.slice(0, i) + c + s.slice(i + 1),
  ),
  fc.string().map((s) => `~${s}|1985`),
  fc.string(),
)

describe('naturalKeyOrder', () => {
  it('is the stable string order, 12-digit keys first', () => {
    fc.assert(
      fc.property(
        // Few distinct IDs, so persons repeat within a batch as they do in a file.
        fc.array(fc.oneof({ weight: 4, arbitrary: id }, { weight: 1, arbitrary: other }), {
          maxLength: 300,
        }),
        fc.array(id, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 300 }),
        (keys, repeated, picks) => {
          const all = [...keys, ...picks.map((p) => repeated[p % repeated.length] as string)]
          expect([...naturalKeyOrder(all)]).toEqual(reference(all))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('orders IDs that differ only in their last or first digit', () => {
    const keys = ['999999999999', '000000000001', '100000000000', '000000000000', '000000000001']
    expect([...naturalKeyOrder(keys)]).toEqual([3, 1, 4, 2, 0])
  })

  it('returns nothing for no rows', () => {
    expect(naturalKeyOrder([]).length).toBe(0)
  })
})
