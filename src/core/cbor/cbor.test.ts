import { describe, expect, it } from 'vitest'
import { decodeCbor, encodeCbor, toJsonValue } from './cbor.js'

describe('cbor', () => {
  it('encodes with definite lengths, integer keys and no tag on byte strings', () => {
    const bytes = encodeCbor(new Map<number, unknown>([[1, 'VN'], [4, new Uint8Array([1, 2])]]))
    expect(Array.from(bytes)).toEqual([0xa2, 0x01, 0x62, 0x56, 0x4e, 0x04, 0x42, 0x01, 0x02])
    expect(Array.from(encodeCbor({ a: 1 }))).toEqual([0xa1, 0x61, 0x61, 0x01])
  })
  it('decodes maps as Maps and reads tagged and untagged date-times', () => {
    const m = decodeCbor(new Uint8Array([0xa1, 0x01, 0x62, 0x56, 0x4e])) as Map<number, unknown>
    expect(m.get(1)).toBe('VN')
    // tag 1, epoch 1620000000
    const t1 = decodeCbor(new Uint8Array([0xc1, 0x1a, 0x60, 0x8f, 0x3d, 0x00]))
    expect((t1 as Date).toISOString()).toBe('2021-05-03T00:00:00.000Z')
    const t0 = decodeCbor(encodeCbor({ dt: '2021-05-03T00:00:00Z' }))
    expect(toJsonValue(t0)).toEqual({ dt: '2021-05-03T00:00:00Z' })
    const tag0 = new Uint8Array([0xc0, 0x74, ...new TextEncoder().encode('2021-05-03T00:00:00Z')])
    expect(toJsonValue(decodeCbor(tag0))).toBe('2021-05-03T00:00:00.000Z')
  })
  it('refuses nesting 10,000 deep without overflowing the stack', () => {
    const deep = new Uint8Array(10_001).fill(0x81)
    deep[10_000] = 0x00
    expect(() => decodeCbor(deep)).toThrowError(expect.objectContaining({ code: 'ERR_CBOR_TOO_DEEP' }))
  })
  it('refuses a byte string claiming 1 GB without allocating it', () => {
    const huge = new Uint8Array([0x5a, 0x40, 0x00, 0x00, 0x00, 1, 2, 3])
    expect(() => decodeCbor(huge)).toThrowError(expect.objectContaining({ code: 'ERR_CBOR' }))
    const hugeArray = new Uint8Array([0x9b, 0, 0, 0, 0x40, 0, 0, 0, 0, 1])
    expect(() => decodeCbor(hugeArray)).toThrowError(expect.objectContaining({ code: 'ERR_CBOR' }))
  })
  it('rejects truncated, trailing and reserved bytes', () => {
    for (const bad of [[], [0x82, 0x01], [0x01, 0x02], [0x1c], [0xff], [0x5f, 0x61, 0x61, 0xff]]) {
      expect(() => decodeCbor(new Uint8Array(bad)), JSON.stringify(bad)).toThrowError(
        expect.objectContaining({ code: 'ERR_CBOR' }),
      )
    }
  })
  it('accepts indefinite lengths as readers must', () => {
    expect(decodeCbor(new Uint8Array([0x9f, 0x01, 0x02, 0xff]))).toEqual([1, 2])
    // cbor-x cannot read indefinite-length strings; they are refused cleanly, never crash
    expect(() => decodeCbor(new Uint8Array([0x7f, 0x61, 0x61, 0x61, 0x62, 0xff]))).toThrowError(
      expect.objectContaining({ code: 'ERR_CBOR' }),
    )
  })
})
