import { describe, expect, it } from 'vitest'
import { VaxpassError, isVaxpassError } from './errors.js'

describe('VaxpassError', () => {
  it('carries a stable code, a cause and details', () => {
    const cause = new Error('inner')
    const err = new VaxpassError('ERR_BASE45', 'bad base45', { cause, details: { offset: 3 } })
    expect(err.code).toBe('ERR_BASE45')
    expect(err.cause).toBe(cause)
    expect(err.details).toEqual({ offset: 3 })
    expect(isVaxpassError(err, 'ERR_BASE45')).toBe(true)
    expect(isVaxpassError(err, 'ERR_ZLIB')).toBe(false)
    expect(isVaxpassError(new Error('x'))).toBe(false)
  })
})
