import { describe, expect, it } from 'vitest'
import { VaxpassError } from '../core/errors.js'
import { errorResponseFor } from './error-status.js'

describe('errorResponseFor', () => {
  it('maps domain codes to statuses with the code and message in the body', () => {
    expect(errorResponseFor(new VaxpassError('ERR_FORBIDDEN', 'admins only'))).toEqual({
      status: 403,
      body: { error: { code: 'ERR_FORBIDDEN', message: 'admins only' } },
    })
    expect(errorResponseFor(new VaxpassError('ERR_AUTH_REQUIRED', 'x')).status).toBe(401)
    expect(errorResponseFor(new VaxpassError('ERR_TOO_MANY_FAILURES', 'x')).status).toBe(429)
    expect(errorResponseFor(new VaxpassError('ERR_CERT_NOT_ACTIVE', 'x')).status).toBe(409)
    expect(errorResponseFor(new VaxpassError('ERR_BASE45', 'bad')).status).toBe(400)
  })
  it('hides the message of server-side failures and unknown codes', () => {
    expect(errorResponseFor(new VaxpassError('ERR_DB_MIGRATION', 'relation x at /srv'))).toEqual({
      status: 500,
      body: { error: { code: 'ERR_DB_MIGRATION', message: 'internal error' } },
    })
    expect(errorResponseFor(new VaxpassError('ERR_SOMETHING_NEW', 'detail'))).toEqual({
      status: 500,
      body: { error: { code: 'ERR_INTERNAL', message: 'internal error' } },
    })
    expect(errorResponseFor(new Error('stack here'))).toEqual({
      status: 500,
      body: { error: { code: 'ERR_INTERNAL', message: 'internal error' } },
    })
    expect(errorResponseFor('a string')).toMatchObject({ status: 500 })
  })
  it('maps fastify request errors', () => {
    expect(errorResponseFor({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }).status).toBe(413)
    expect(errorResponseFor({ validation: [], message: 'body/x must be string' }).body.error.code).toBe('ERR_VALIDATION')
  })
})
