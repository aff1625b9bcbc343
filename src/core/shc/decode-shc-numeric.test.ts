import { describe, expect, it } from 'vitest'
import { decodeShcNumeric, encodeShcNumeric } from './decode-shc-numeric.js'
import { readShcInput } from './read-shc-input.js'

describe('SHC numeric QR content', () => {
  it('round-trips every base64url character and the dot', () => {
    const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
    expect(decodeShcNumeric(encodeShcNumeric(all))).toBe(all)
    expect(encodeShcNumeric('-z')).toBe('0077')
  })

  it('refuses odd lengths (truncated), pairs above 77 and non-digits', () => {
    expect(() => decodeShcNumeric('567')).toThrowError(
      expect.objectContaining({ code: 'ERR_SHC_CHUNKS' }),
    )
    expect(() => decodeShcNumeric('78')).toThrowError(expect.objectContaining({ code: 'ERR_SHC' }))
    expect(() => decodeShcNumeric('5a')).toThrowError(expect.objectContaining({ code: 'ERR_SHC' }))
  })

  it('reassembles chunks in any order, accepts an identical repeat, refuses gaps and mixed counts', () => {
    const jws = 'aa.bb.cc'
    const n = encodeShcNumeric(jws)
    const parts = [n.slice(0, 4), n.slice(4, 10), n.slice(10)]
    const chunks = parts.map((p, i) => `shc:/${i + 1}/3/${p}`)
    expect(readShcInput([chunks[2]!, chunks[0]!, chunks[1]!, chunks[0]!]).jws).toBe(jws)
    expect(() => readShcInput([chunks[0]!, chunks[2]!])).toThrowError(
      expect.objectContaining({ code: 'ERR_SHC_CHUNKS', message: 'missing chunk 2 of 3' }),
    )
    expect(() => readShcInput([chunks[0]!, 'shc:/2/2/5656'])).toThrowError(
      expect.objectContaining({ code: 'ERR_SHC_CHUNKS' }),
    )
    expect(() => readShcInput([chunks[0]!, 'shc:/4/3/56'])).toThrowError(
      expect.objectContaining({ code: 'ERR_SHC_CHUNKS' }),
    )
  })
})
