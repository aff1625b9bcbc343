import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { VaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from '../../domain/users/auth-policy.js'
import { createToken } from '../../domain/users/create-token.js'
import { hashPassword } from '../../domain/users/hash-password.js'
import type { Role } from '../../domain/users/roles.js'
import { validateNewUser } from '../../domain/users/validate-new-user.js'
import { insertApiKey } from '../../storage/users/api-key-store.js'
import { asAuthDb } from '../../storage/users/auth-tables.js'
import { insertUser, listUsers } from '../../storage/users/user-store.js'
import type { AppDeps, StaffActor } from '../app-deps.js'
import { readSessionToken, sessionCookie } from '../auth/read-credentials.js'
import { requireRole } from '../auth/require-role.js'
import { need } from '../not-available.js'
import {
  authErrorResponses,
  CertificateSchema,
  DoseBody,
  errorResponses,
  IdParams,
  ImportSummarySchema,
  IssueBody,
  NewApiKeyBody,
  NewUserBody,
  RejectBody,
  RenewBody,
  SessionAnswer,
  SignInBody,
  StaffUserSchema,
  UvciParams,
} from '../schemas.js'
import { signInStaff, signOut } from '../services/sign-in-staff.js'

const anyJson = Type.Unknown()
const security: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }]

function actorOf(request: FastifyRequest): StaffActor {
  // requireRole ran in onRequest; a route without it is a programming error caught by tests.
  if (request.staff === undefined) throw new VaxpassError('ERR_AUTH_REQUIRED', 'sign in first')
  return request.staff
}

/**
 * Staff routes: sign-in/out, doses (entry and CSV upload), the review queue, certificate issue /
 * renew / revoke, and user and API key administration. Every route but sign-in carries
 * `requireRole` and declares its roles in `config.roles`.
 *
 * @example
 * registerStaffRoutes(app, deps)
 */
export function registerStaffRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = asAuthDb(deps.db)
  const csvLimit = deps.limits?.csvLimit ?? 1024 * 1024 * 1024

  const staff = (...roles: Role[]) => ({
    onRequest: requireRole(deps, ...roles),
    config: { roles, audience: 'staff' as const },
  })

  app.post<{ Body: SignInBody }>(
    '/api/staff/sign-in',
    {
      config: { audience: 'public' },
      schema: {
        tags: ['staff'],
        summary: 'Sign in; returns a session token and sets an HttpOnly SameSite=Strict cookie',
        body: SignInBody,
        response: { 200: SessionAnswer, ...errorResponses, 401: anyJson },
      },
    },
    async (request, reply) => {
      const { token, user, expiresAt } = await signInStaff(
        db,
        request.body.username,
        request.body.password,
        request.ip,
        deps.now(),
      )
      reply.header('set-cookie', sessionCookie(token, AUTH_POLICY.staffSessionMs / 1000, deps.secureCookies ?? false))
      return {
        token,
        expiresAt: expiresAt.toISOString(),
        user: { id: user.id, username: user.username, role: user.role, siteCode: user.siteCode },
      }
    },
  )

  app.post(
    '/api/staff/sign-out',
    {
      ...staff('site_staff', 'reviewer', 'admin'),
      schema: { tags: ['staff'], summary: 'Sign out', security, response: { 204: Type.Null(), ...authErrorResponses } },
    },
    async (request, reply) => {
      const token = readSessionToken(request)
      if (token !== undefined) await signOut(db, token, deps.now())
      reply.header('set-cookie', sessionCookie('', 0, deps.secureCookies ?? false))
      return reply.code(204).send()
    },
  )

  app.get(
    '/api/staff/me',
    {
      ...staff('site_staff', 'reviewer', 'admin'),
      schema: { tags: ['staff'], summary: 'Who is signed in', security, response: { 200: StaffUserSchema, ...authErrorResponses } },
    },
    async (request) => {
      const a = actorOf(request)
      return { id: a.userId, username: a.username, role: a.role, siteCode: a.siteCode }
    },
  )

  // Doses: site staff, for their own site only.
  app.post<{ Body: DoseBody }>(
    '/api/staff/doses',
    {
      ...staff('site_staff'),
      schema: {
        tags: ['staff'],
        summary: 'Enter one dose (site staff, for their own site)',
        security,
        body: DoseBody,
        response: { 201: anyJson, ...authErrorResponses, 503: anyJson },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request)
      const doses = need(deps.doses, 'dose records')
      if (request.body.siteCode !== undefined && request.body.siteCode !== actor.siteCode) {
        throw new VaxpassError('ERR_FORBIDDEN', 'you can only enter doses for your own site')
      }
      const { siteCode: _ignored, ...rest } = request.body
      const result = await doses.enterDose({ ...rest, siteCode: actor.siteCode ?? '' }, actor, deps.now())
      return reply.code(201).send(result)
    },
  )

  app.post(
    '/api/staff/doses/import',
    {
      ...staff('site_staff'),
      bodyLimit: csvLimit,
      schema: {
        tags: ['staff'],
        summary: 'Upload a dose CSV (text/csv, streamed); returns the summary and a rejects link',
        security,
        consumes: ['text/csv'],
        response: { 200: ImportSummarySchema, ...authErrorResponses, 413: anyJson, 415: anyJson, 503: anyJson },
      },
    },
    async (request) => {
      const actor = actorOf(request)
      const doses = need(deps.doses, 'dose records')
      if (!String(request.headers['content-type'] ?? '').startsWith('text/csv')) {
        throw new VaxpassError('ERR_UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv')
      }
      const summary = await doses.importCsv(request.body as NodeJS.ReadableStream as never, actor, deps.now())
      const { rejectsId, ...counts } = summary
      return rejectsId === undefined
        ? counts
        : { ...counts, rejectsUrl: `/api/staff/imports/${encodeURIComponent(rejectsId)}/rejects` }
    },
  )

  app.get<{ Params: IdParams }>(
    '/api/staff/imports/:id/rejects',
    {
      ...staff('site_staff'),
      schema: { tags: ['staff'], summary: 'The rejects CSV of an import', security, params: IdParams },
    },
    async (request, reply) => {
      const doses = need(deps.doses, 'dose records')
      const file = await doses.readRejects(request.params.id, actorOf(request))
      if (file === undefined) throw new VaxpassError('ERR_NOT_FOUND', 'no such rejects file')
      return reply.type('text/csv; charset=utf-8').send(file)
    },
  )

  // Review queue: reviewers.
  app.get(
    '/api/staff/reviews',
    {
      ...staff('reviewer'),
      schema: { tags: ['staff'], summary: 'The review queue', security, response: { 200: anyJson, ...authErrorResponses } },
    },
    async (request) => need(deps.reviews, 'reviews').listQueue(actorOf(request), deps.now()),
  )
  app.get<{ Params: IdParams }>(
    '/api/staff/reviews/:id',
    {
      ...staff('reviewer'),
      schema: {
        tags: ['staff'],
        summary: 'A declaration with each difference against the register and the dose records',
        security,
        params: IdParams,
        response: { 200: anyJson, ...authErrorResponses, 404: anyJson },
      },
    },
    async (request) => need(deps.reviews, 'reviews').detail(request.params.id, actorOf(request)),
  )
  app.post<{ Params: IdParams }>(
    '/api/staff/reviews/:id/approve',
    {
      ...staff('reviewer'),
      schema: { tags: ['staff'], summary: 'Approve a declaration', security, params: IdParams, response: { 200: anyJson, ...authErrorResponses } },
    },
    async (request) => need(deps.reviews, 'reviews').approve(request.params.id, actorOf(request), deps.now()),
  )
  app.post<{ Params: IdParams; Body: RejectBody }>(
    '/api/staff/reviews/:id/reject',
    {
      ...staff('reviewer'),
      schema: {
        tags: ['staff'],
        summary: 'Reject a declaration with a reason',
        security,
        params: IdParams,
        body: RejectBody,
        response: { 200: anyJson, ...authErrorResponses },
      },
    },
    async (request) =>
      need(deps.reviews, 'reviews').reject(request.params.id, request.body.reason, actorOf(request), deps.now()),
  )

  // Certificates: admins.
  const pub = (c: { uvci: string; status: string; hc1: string; issuedAt: string; expiresAt: string }) => ({
    uvci: c.uvci,
    status: c.status,
    hc1: c.hc1,
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
  })
  app.post<{ Body: IssueBody }>(
    '/api/staff/certificates/issue',
    {
      ...staff('admin'),
      schema: {
        tags: ['staff'],
        summary: 'Issue (or return the unchanged) certificate of a person',
        security,
        body: IssueBody,
        response: { 200: CertificateSchema, ...authErrorResponses },
      },
    },
    async (request) =>
      pub(await need(deps.certificates, 'certificates').issueForPerson(request.body.personId, actorOf(request), deps.now())),
  )
  app.post<{ Body: RenewBody }>(
    '/api/staff/certificates/renew',
    {
      ...staff('admin'),
      schema: {
        tags: ['staff'],
        summary: 'Re-issue the certificates that expire within beforeDays',
        security,
        body: RenewBody,
        response: { 200: Type.Object({ renewed: Type.Integer() }), ...authErrorResponses },
      },
    },
    async (request) =>
      need(deps.certificates, 'certificates').renewExpiring(request.body.beforeDays, actorOf(request), deps.now()),
  )
  app.post<{ Params: UvciParams; Body: RejectBody }>(
    '/api/staff/certificates/:uvci/revoke',
    {
      ...staff('admin'),
      schema: {
        tags: ['staff'],
        summary: 'Revoke a certificate with a reason',
        security,
        params: UvciParams,
        body: RejectBody,
        response: { 200: CertificateSchema, ...authErrorResponses },
      },
    },
    async (request) =>
      pub(
        await need(deps.certificates, 'certificates').revoke(
          request.params.uvci,
          request.body.reason,
          actorOf(request),
          deps.now(),
        ),
      ),
  )

  // Users and API keys: admins.
  app.get(
    '/api/staff/users',
    {
      ...staff('admin'),
      schema: { tags: ['staff'], summary: 'Staff accounts', security, response: { 200: Type.Array(StaffUserSchema), ...authErrorResponses } },
    },
    async () =>
      (await listUsers(db)).map((u) => ({ id: u.id, username: u.username, role: u.role, siteCode: u.siteCode })),
  )
  app.post<{ Body: NewUserBody }>(
    '/api/staff/users',
    {
      ...staff('admin'),
      schema: {
        tags: ['staff'],
        summary: 'Create a staff account',
        security,
        body: NewUserBody,
        response: { 201: StaffUserSchema, ...authErrorResponses, 409: anyJson },
      },
    },
    async (request, reply) => {
      const user = validateNewUser(request.body, request.body.password)
      const created = await insertUser(db, user, await hashPassword(request.body.password), deps.now())
      return reply
        .code(201)
        .send({ id: created.id, username: created.username, role: created.role, siteCode: created.siteCode })
    },
  )
  app.get(
    '/api/staff/outbox',
    {
      ...staff('admin'),
      schema: {
        tags: ['staff'],
        summary: 'Demo only: the latest messages of the outbox table (one-time codes, holder notices)',
        security,
        response: { 200: anyJson, ...authErrorResponses, 503: anyJson },
      },
    },
    async () => need(deps.demoOutbox, 'the demo outbox').recent(50),
  )
  app.post<{ Body: NewApiKeyBody }>(
    '/api/staff/api-keys',
    {
      ...staff('admin'),
      schema: {
        tags: ['staff'],
        summary: 'Create a national-app API key (shown once)',
        security,
        body: NewApiKeyBody,
        response: { 201: Type.Object({ appName: Type.String(), apiKey: Type.String() }), ...authErrorResponses, 409: anyJson },
      },
    },
    async (request, reply) => {
      const { token, hash } = createToken('vxk_')
      await insertApiKey(db, request.body.appName, hash, 'certificate:read', deps.now())
      return reply.code(201).send({ appName: request.body.appName, apiKey: token })
    },
  )
}
