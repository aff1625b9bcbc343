import { Type, type Static } from '@sinclair/typebox'

/** Every error answer. */
export const ErrorBodySchema = Type.Object(
  { error: Type.Object({ code: Type.String(), message: Type.String() }) },
)

const isoDate = '^\\d{4}-\\d{2}-\\d{2}$'
const partialDate = '^\\d{4}(-\\d{2}(-\\d{2})?)?$'

export const SignInBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
)
export type SignInBody = Static<typeof SignInBody>

export const StaffUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: Type.String(),
  siteCode: Type.Union([Type.String(), Type.Null()]),
})

export const SessionAnswer = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  user: Type.Optional(StaffUserSchema),
})

export const NewUserBody = Type.Object(
  {
    username: Type.String({ minLength: 2, maxLength: 63 }),
    role: Type.Union([Type.Literal('site_staff'), Type.Literal('reviewer'), Type.Literal('admin')]),
    siteCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    password: Type.String({ minLength: 12, maxLength: 1024 }),
  },
  { additionalProperties: false },
)
export type NewUserBody = Static<typeof NewUserBody>

export const NewApiKeyBody = Type.Object(
  { appName: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,40}$' }) },
  { additionalProperties: false },
)
export type NewApiKeyBody = Static<typeof NewApiKeyBody>

export const LookupBody = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    dateOfBirth: Type.String({ pattern: partialDate }),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
    idNumber: Type.String({ pattern: '^(\\d{9}|\\d{12})$' }),
    lastDoseDate: Type.String({ pattern: isoDate }),
  },
  { additionalProperties: false },
)
export type LookupBody = Static<typeof LookupBody>

export const LookupAnswerSchema = Type.Object({
  challengeId: Type.String(),
  expiresAt: Type.String(),
  message: Type.String(),
})

export const ConfirmCodeBody = Type.Object(
  {
    challengeId: Type.String({ format: 'uuid' }),
    code: Type.String({ pattern: '^\\d{6}$' }),
  },
  { additionalProperties: false },
)
export type ConfirmCodeBody = Static<typeof ConfirmCodeBody>

export const CertificateSchema = Type.Object({
  uvci: Type.String(),
  status: Type.String(),
  hc1: Type.String(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
})

export const UvciParams = Type.Object({ uvci: Type.String({ minLength: 10, maxLength: 120 }) })
export type UvciParams = Static<typeof UvciParams>

export const IdNumberParams = Type.Object({ idNumber: Type.String({ pattern: '^(\\d{9}|\\d{12})$' }) })
export type IdNumberParams = Static<typeof IdNumberParams>

export const DoseBody = Type.Object(
  {
    cccd: Type.String({ pattern: '^(\\d{9}|\\d{12})$' }),
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    dob: Type.String({ pattern: partialDate }),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
    product: Type.String({ minLength: 1, maxLength: 64 }),
    lot: Type.String({ minLength: 1, maxLength: 64 }),
    date: Type.String({ pattern: isoDate }),
    doseNumber: Type.Integer({ minimum: 1, maximum: 9 }),
    siteCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
)
export type DoseBody = Static<typeof DoseBody>

export const ImportSummarySchema = Type.Object({
  read: Type.Integer(),
  inserted: Type.Integer(),
  duplicate: Type.Integer(),
  rejected: Type.Integer(),
  rejectsUrl: Type.Optional(Type.String()),
})

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) })
export type IdParams = Static<typeof IdParams>

export const RejectBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
  { additionalProperties: false },
)
export type RejectBody = Static<typeof RejectBody>

export const IssueBody = Type.Object(
  { personId: Type.String({ minLength: 1, maxLength: 80 }) },
  { additionalProperties: false },
)
export type IssueBody = Static<typeof IssueBody>

export const RenewBody = Type.Object(
  { beforeDays: Type.Integer({ minimum: 0, maximum: 366 }) },
  { additionalProperties: false },
)
export type RenewBody = Static<typeof RenewBody>

export const VerifyBody = Type.Object(
  { hc1: Type.String({ minLength: 1, maxLength: 8192 }) },
  { additionalProperties: false },
)
export type VerifyBody = Static<typeof VerifyBody>

export const DeclarationBody = Type.Object(
  {
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    dob: Type.String({ pattern: partialDate }),
    sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    email: Type.Optional(Type.String({ maxLength: 200 })),
    doses: Type.Array(
      Type.Object(
        {
          product: Type.String({ minLength: 1, maxLength: 64 }),
          lot: Type.String({ maxLength: 64 }),
          date: Type.String({ pattern: isoDate }),
          doseNumber: Type.Integer({ minimum: 1, maximum: 9 }),
          siteCode: Type.String({ minLength: 1, maxLength: 32 }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10 },
    ),
    /** Photo of the paper card, base64 (JPEG or PNG), at most 3 MB decoded. */
    evidence: Type.Optional(
      Type.Object(
        {
          mediaType: Type.Union([Type.Literal('image/jpeg'), Type.Literal('image/png')]),
          data: Type.String({ maxLength: 4_000_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
)
export type DeclarationBody = Static<typeof DeclarationBody>

/** Responses that every route can give, added to each route's schema. */
export const errorResponses = {
  400: ErrorBodySchema,
  429: ErrorBodySchema,
  500: ErrorBodySchema,
}
export const authErrorResponses = { ...errorResponses, 401: ErrorBodySchema, 403: ErrorBodySchema }

export const OwnDeclarationSchema = Type.Object({
  id: Type.String(),
  filedAt: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
  rejectReason: Type.Union([Type.String(), Type.Null()]),
  doses: Type.Integer(),
})

const anyValue = Type.Unknown()
const optionalString = Type.Optional(Type.String())

/**
 * The verifier's report (src/core/verify/report.ts), for the OpenAPI document. The verify route
 * writes it with JSON.stringify (every property, so a field added to the report is never dropped);
 * `additionalProperties: true` says so to readers of the document.
 */
export const VerificationReportSchema = Type.Object(
  {
    valid: Type.Boolean(),
    format: Type.Union([Type.String(), Type.Null()]),
    holder: Type.Optional(
      Type.Object({ name: Type.String(), familyName: optionalString, givenName: optionalString, dateOfBirth: Type.String() }, { additionalProperties: true }),
    ),
    events: Type.Optional(
      Type.Array(
        Type.Object(
          {
            product: Type.String(),
            productName: optionalString,
            manufacturer: optionalString,
            vaccineType: optionalString,
            disease: optionalString,
            date: Type.String(),
            doseNumber: Type.Optional(Type.Number()),
            seriesDoses: Type.Optional(Type.Number()),
            country: optionalString,
            certificateId: optionalString,
          },
          { additionalProperties: true },
        ),
      ),
    ),
    issuer: Type.Optional(Type.Object({ id: optionalString, country: optionalString, trustAnchor: optionalString }, { additionalProperties: true })),
    validity: Type.Optional(
      Type.Object({ issuedAt: optionalString, notBefore: optionalString, expiresAt: optionalString }, { additionalProperties: true }),
    ),
    payload: Type.Optional(anyValue),
    headers: Type.Optional(anyValue),
    checks: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          ok: Type.Boolean(),
          code: Type.Union([Type.String(), Type.Null()]),
          message: Type.String(),
          skipped: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: true },
      ),
    ),
    warnings: Type.Array(
      Type.Object({ code: Type.String(), message: Type.String(), path: optionalString }, { additionalProperties: true }),
    ),
    rules: Type.Optional(Type.Array(anyValue)),
  },
  { additionalProperties: true },
)
