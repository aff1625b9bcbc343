import type { FastifyInstance } from 'fastify'
import { Type } from '@sinclair/typebox'
import type { AppDeps } from '../app-deps.js'
import { need } from '../not-available.js'
import { errorResponses, VerificationReportSchema, VerifyBody } from '../schemas.js'

const anyJson = Type.Unknown()

/**
 * Public routes: health, the trust list (DCC gateway shape), the revocation list, the value sets
 * and the verify endpoint. Rate limited like every route.
 *
 * @example
 * registerPublicRoutes(app, deps)
 */
export function registerPublicRoutes(app: FastifyInstance, deps: AppDeps): void {
  const config = { audience: 'public' as const }
  app.get(
    '/health',
    {
      config,
      schema: {
        tags: ['public'],
        summary: 'Liveness',
        response: { 200: Type.Object({ status: Type.Literal('ok'), time: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' as const, time: deps.now().toISOString() }),
  )
  app.get(
    '/api/public/trust-list',
    {
      config,
      schema: {
        tags: ['public'],
        summary: 'Document signer certificates in the DCC gateway JSON shape',
        description: 'Items {kid, timestamp, country, certificateType, thumbprint, signature, rawData}.',
        response: { 200: anyJson, ...errorResponses, 503: anyJson },
      },
    },
    async () => {
      const fn = need(deps.publicDocuments?.trustList, 'the trust list')
      return fn.call(deps.publicDocuments, deps.now())
    },
  )
  app.get(
    '/api/public/revocation-list',
    {
      config,
      schema: {
        tags: ['public'],
        summary: 'Revoked certificates (EU DCC revocation list: UCI, COUNTRYCODEUCI, SIGNATURE hashes)',
        response: { 200: anyJson, ...errorResponses, 503: anyJson },
      },
    },
    async () => {
      const fn = need(deps.publicDocuments?.revocationList, 'the revocation list')
      return fn.call(deps.publicDocuments, deps.now())
    },
  )
  app.get(
    '/api/public/value-sets',
    {
      config,
      schema: {
        tags: ['public'],
        summary: 'EU DCC value sets used by this issuer',
        response: { 200: anyJson, ...errorResponses, 503: anyJson },
      },
    },
    async () => {
      const fn = need(deps.publicDocuments?.valueSets, 'the value sets')
      return fn.call(deps.publicDocuments)
    },
  )
  app.post<{ Body: VerifyBody }>(
    '/api/public/verify',
    {
      config,
      bodyLimit: 16 * 1024,
      // The schema documents the report; V8's JSON.stringify writes it (~2x faster than the
      // compiled serialiser on a fresh report, whose strings the serialiser escapes in JavaScript).
      serializerCompiler: () => (data: unknown) => JSON.stringify(data),
      schema: {
        tags: ['public'],
        summary: 'Verify a pass (HC1 and the other supported formats); returns the full report',
        body: VerifyBody,
        response: { 200: VerificationReportSchema, ...errorResponses, 503: anyJson },
      },
    },
    async (request) => {
      const verify = need(deps.verify, 'verification')
      return verify(request.body.hc1, deps.now())
    },
  )
}
