import type { FastifyInstance } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import type { Kysely } from 'kysely'
import { findProvince } from '../../domain/identity/provinces.js'
import { countCertificatesPerDay } from '../../storage/reconciliation/count-certificates-per-day.js'
import { loadReconciliation } from '../../storage/reconciliation/load-reconciliation.js'
import { listVaccinationSites } from '../../storage/registry/list-vaccination-sites.js'
import type { Database } from '../../storage/schema.js'
import type { AppDeps } from '../app-deps.js'
import { requireRole } from '../auth/require-role.js'
import { authErrorResponses } from '../schemas.js'

/** The staff console's reports (GET /api/staff/reports). */
export const StaffReportsSchema = Type.Object({
  provinces: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      administered: Type.Integer(),
      entered: Type.Integer(),
      linked: Type.Integer(),
      certifiable: Type.Integer(),
    }),
  ),
  mismatches: Type.Array(Type.Object({ reason: Type.String(), count: Type.Integer() })),
  certificatesPerDay: Type.Array(Type.Object({ day: Type.String(), count: Type.Integer() })),
})
export type StaffReports = Static<typeof StaffReportsSchema>

/**
 * Works out the staff reports: per province the doses reported administered, entered, linked
 * and certifiable (the reconciliation report), the people whose records fail linkage by reason,
 * and the certificates issued per day (UTC, from each certificate's `iat`, superseded ones
 * included: they were issued too).
 *
 * @example
 * const reports = await loadStaffReports(storage.db)
 * reports.certificatesPerDay // [{ day: '2026-03-01', count: 1200 }]
 */
export async function loadStaffReports(db: Kysely<Database>): Promise<StaffReports> {
  const reconciliation = await loadReconciliation({ db })
  const certificatesPerDay = await countCertificatesPerDay(db)
  return {
    provinces: reconciliation.provinces
      .filter((p) => p.provinceCode !== '')
      .map((p) => ({
        code: p.provinceCode,
        name: p.name,
        administered: p.administered,
        entered: p.entered,
        linked: p.linked,
        certifiable: p.certifiable,
      })),
    mismatches: Object.entries(reconciliation.mismatchedPeople).map(([reason, count]) => ({
      reason,
      count,
    })),
    certificatesPerDay,
  }
}

/** The vaccination sites for pickers (GET /api/public/sites): public names, no personal data. */
export const SiteListSchema = Type.Array(
  Type.Object({
    code: Type.String(),
    name: Type.String(),
    provinceCode: Type.String(),
    provinceName: Type.String(),
  }),
)

/**
 * GET /api/staff/reports for admins and reviewers: coverage by province, the dose pipeline,
 * mismatches by reason and certificates issued per day. Aggregates only: no personal data.
 * Also GET /api/public/sites, the site list for the wallet's pickers.
 *
 * @example
 * registerReportRoutes(app, deps)
 */
export function registerReportRoutes(app: FastifyInstance, deps: AppDeps): void {
  const roles = ['admin', 'reviewer'] as const
  app.get(
    '/api/staff/reports',
    {
      onRequest: requireRole(deps, ...roles),
      config: { roles: [...roles], audience: 'staff' as const },
      schema: {
        tags: ['staff'],
        summary: 'Reports: doses by province, mismatches by reason, certificates per day',
        security: [{ bearer: [] }, { cookie: [] }],
        response: { 200: StaffReportsSchema, ...authErrorResponses },
      },
    },
    async () => loadStaffReports(deps.db as Kysely<Database>),
  )
  // The site list feeds the pickers of the wallet's correction form (doses name their site).
  app.get(
    '/api/public/sites',
    {
      config: { audience: 'public' as const },
      schema: {
        tags: ['public'],
        summary: 'Vaccination sites (code, name, province), for pickers',
        response: { 200: SiteListSchema },
      },
    },
    async (_request, reply) => {
      const sites = await listVaccinationSites(deps.db as Kysely<Database>)
      reply.header('cache-control', 'public, max-age=3600')
      return sites.map((site) => ({
        ...site,
        provinceName: findProvince(site.provinceCode)?.nameVi ?? site.provinceCode,
      }))
    },
  )
}
