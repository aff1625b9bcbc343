import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import { VaxpassError } from '../../core/errors.js'
import type { AppDeps } from '../app-deps.js'
import { requireApiKey } from '../auth/require-role.js'
import { need } from '../not-available.js'
import { authErrorResponses, CertificateSchema, IdNumberParams } from '../schemas.js'

/**
 * National-app routes (PC-Covid, the electronic health book): with an API key, a person's
 * current certificate by ID number.
 *
 * @example
 * registerAppRoutes(app, deps)
 */
export function registerAppRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: IdNumberParams }>(
    '/api/apps/certificates/:idNumber',
    {
      onRequest: requireApiKey(deps, 'certificate:read'),
      config: { audience: 'app' },
      schema: {
        tags: ['national apps'],
        summary: "A person's current certificate by CCCD (API key with certificate:read)",
        security: [{ apiKey: [] }],
        params: IdNumberParams,
        response: { 200: CertificateSchema, ...authErrorResponses, 404: Type.Unknown() },
      },
    },
    async (request) => {
      const cert = await need(deps.certificates, 'certificates').findCurrentByIdNumber(request.params.idNumber)
      if (cert === undefined) throw new VaxpassError('ERR_NOT_FOUND', 'no current certificate for this ID')
      return {
        uvci: cert.uvci,
        status: cert.status,
        hc1: cert.hc1,
        issuedAt: cert.issuedAt,
        expiresAt: cert.expiresAt,
      }
    },
  )
}
