import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { VaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from '../../domain/users/auth-policy.js'
import { asAuthDb } from '../../storage/users/auth-tables.js'
import type { AppDeps, CertificateSummary } from '../app-deps.js'
import { readSessionToken, sessionCookie } from '../auth/read-credentials.js'
import { requireCitizen } from '../auth/require-role.js'
import { need } from '../not-available.js'
import {
  authErrorResponses,
  CertificateSchema,
  ConfirmCodeBody,
  DeclarationBody,
  errorResponses,
  LookupAnswerSchema,
  LookupBody,
  OwnDeclarationSchema,
  SessionAnswer,
  UvciParams,
} from '../schemas.js'
import { confirmLookupCode, startLookup } from '../services/citizen-lookup.js'
import { signOut } from '../services/sign-in-staff.js'

const anyJson = Type.Unknown()
const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }]

function personOf(request: FastifyRequest): string {
  if (request.citizenPersonId === undefined) throw new VaxpassError('ERR_AUTH_REQUIRED', 'confirm your code first')
  return request.citizenPersonId
}

/**
 * Citizen routes: the five-field lookup, the one-time code, then (with the citizen session) the
 * current certificate as HC1 text, QR SVG/PNG and PDF, and a correction request. A certificate of
 * another person answers 404, exactly as one that does not exist.
 *
 * @example
 * registerCitizenRoutes(app, deps)
 */
export function registerCitizenRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = asAuthDb(deps.db)
  const citizen = { onRequest: requireCitizen(deps), config: { audience: 'citizen' as const } }

  app.post<{ Body: LookupBody }>(
    '/api/citizen/lookup',
    {
      config: { audience: 'public' },
      schema: {
        tags: ['citizen'],
        summary: 'Look up with the five fields; a one-time code is sent if they all match',
        description: 'The answer is the same whether or not the person exists or a field is wrong.',
        body: LookupBody,
        response: { 202: LookupAnswerSchema, ...errorResponses, 503: anyJson },
      },
    },
    async (request, reply) => {
      const answer = await startLookup(
        {
          db,
          citizens: need(deps.citizens, 'citizen lookups'),
          outbox: need(deps.outbox, 'citizen lookups'),
        },
        request.body,
        request.ip,
        deps.now(),
      )
      return reply.code(202).send(answer)
    },
  )

  app.post<{ Body: ConfirmCodeBody }>(
    '/api/citizen/confirm',
    {
      config: { audience: 'public' },
      schema: {
        tags: ['citizen'],
        summary: 'Confirm the one-time code; opens a citizen session',
        body: ConfirmCodeBody,
        response: { 200: SessionAnswer, ...errorResponses, 401: anyJson },
      },
    },
    async (request, reply) => {
      const { token, expiresAt } = await confirmLookupCode(
        db,
        request.body.challengeId,
        request.body.code,
        request.ip,
        deps.now(),
      )
      reply.header('set-cookie', sessionCookie(token, AUTH_POLICY.citizenSessionMs / 1000, deps.secureCookies ?? false))
      return { token, expiresAt: expiresAt.toISOString() }
    },
  )

  app.post(
    '/api/citizen/sign-out',
    { ...citizen, schema: { tags: ['citizen'], summary: 'End the citizen session', security } },
    async (request, reply) => {
      const token = readSessionToken(request)
      if (token !== undefined) await signOut(db, token, deps.now())
      reply.header('set-cookie', sessionCookie('', 0, deps.secureCookies ?? false))
      return reply.code(204).send()
    },
  )

  const current = async (request: FastifyRequest): Promise<CertificateSummary> => {
    const cert = await need(deps.certificates, 'certificates').findCurrentByPerson(personOf(request))
    if (cert === undefined) throw new VaxpassError('ERR_NOT_FOUND', 'no certificate has been issued yet')
    return cert
  }
  const owned = async (request: FastifyRequest, uvci: string): Promise<CertificateSummary> => {
    const cert = await need(deps.certificates, 'certificates').findByUvci(uvci)
    // Another person's certificate looks exactly like a missing one.
    if (cert === undefined || cert.personId !== personOf(request)) {
      throw new VaxpassError('ERR_NOT_FOUND', 'no such certificate')
    }
    return cert
  }
  const pub = (c: CertificateSummary) => ({
    uvci: c.uvci,
    status: c.status,
    hc1: c.hc1,
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
  })

  app.get(
    '/api/citizen/certificate',
    {
      ...citizen,
      schema: {
        tags: ['citizen'],
        summary: 'My current certificate (HC1 text)',
        security,
        response: { 200: CertificateSchema, ...authErrorResponses, 404: anyJson },
      },
    },
    async (request) => pub(await current(request)),
  )
  app.get<{ Params: UvciParams }>(
    '/api/citizen/certificates/:uvci',
    {
      ...citizen,
      schema: {
        tags: ['citizen'],
        summary: 'One of my certificates (HC1 text)',
        security,
        params: UvciParams,
        response: { 200: CertificateSchema, ...authErrorResponses, 404: anyJson },
      },
    },
    async (request) => pub(await owned(request, request.params.uvci)),
  )
  app.get<{ Params: UvciParams }>(
    '/api/citizen/certificates/:uvci/qr.svg',
    { ...citizen, schema: { tags: ['citizen'], summary: 'QR as SVG', security, params: UvciParams } },
    async (request, reply) => {
      const cert = await owned(request, request.params.uvci)
      const svg = await need(deps.renderers, 'QR images').qrSvg(cert.hc1)
      return reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg)
    },
  )
  app.get<{ Params: UvciParams }>(
    '/api/citizen/certificates/:uvci/qr.png',
    { ...citizen, schema: { tags: ['citizen'], summary: 'QR as PNG', security, params: UvciParams } },
    async (request, reply) => {
      const cert = await owned(request, request.params.uvci)
      const png = await need(deps.renderers, 'QR images').qrPng(cert.hc1)
      return reply.type('image/png').header('cache-control', 'no-store').send(Buffer.from(png))
    },
  )
  app.get<{ Params: UvciParams }>(
    '/api/citizen/certificates/:uvci/pdf',
    { ...citizen, schema: { tags: ['citizen'], summary: 'Printable bilingual PDF', security, params: UvciParams } },
    async (request, reply) => {
      const cert = await owned(request, request.params.uvci)
      const pdf = await need(deps.renderers, 'PDF certificates').pdf(cert, deps.now())
      return reply
        .type('application/pdf')
        .header('cache-control', 'no-store')
        .header('content-disposition', 'attachment; filename="vaccination-certificate.pdf"')
        .send(Buffer.from(pdf))
    },
  )
  app.post<{ Body: DeclarationBody }>(
    '/api/citizen/declarations',
    {
      ...citizen,
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['citizen'],
        summary: 'Ask for a correction (a declaration, optionally with a photo of the paper card)',
        security,
        body: DeclarationBody,
        response: { 201: Type.Object({ id: Type.String() }), ...authErrorResponses, 503: anyJson },
      },
    },
    async (request, reply) => {
      const filed = await need(deps.declarations, 'declarations').file(
        personOf(request),
        request.body as Record<string, unknown>,
        deps.now(),
      )
      return reply.code(201).send({ id: String(filed.id) })
    },
  )
  app.get(
    '/api/citizen/declarations',
    {
      ...citizen,
      schema: {
        tags: ['citizen'],
        summary: 'My correction requests, newest first, with their status (and the reason when rejected)',
        security,
        response: { 200: Type.Array(OwnDeclarationSchema), ...authErrorResponses, 503: anyJson },
      },
    },
    async (request) => {
      const service = need(deps.declarations, 'declarations')
      const listOwn = need(service.listOwn, 'declarations')
      return listOwn.call(service, personOf(request), 100)
    },
  )
}
