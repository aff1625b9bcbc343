import { randomUUID } from 'node:crypto'
import { createReadStream, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { createNodeSigner } from '../core/cose/node-signer.js'
import { VACCINE_MAH_MANF, VACCINE_MEDICINAL_PRODUCT, VACCINE_PROPHYLAXIS } from '../core/dcc/value-sets.js'
import { VIETNAM_VACCINES } from '../core/dcc/vietnam-vaccines.js'
import { VaxpassError } from '../core/errors.js'
import { loadTrustStore } from '../core/trust/load-trust-store.js'
import { renderQrPng } from '../core/qr/render-qr-png.js'
import { renderQrSvg } from '../core/qr/render-qr-svg.js'
import { verify } from '../core/verify/verify.js'
import type { DeclarationInput } from '../domain/declarations/declaration-types.js'
import type { IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import { buildTrustList } from '../domain/trust/build-trust-list.js'
import { renderCertificatePdf } from '../pdf/render-certificate-pdf.js'
import {
  getActiveCertificate,
  getCertificate,
  issueCertificate,
  renewCertificates,
  revokeCertificate,
  type CertificateRecord,
  type IssuingKey,
} from '../storage/certificates/certificate-store.js'
import { loadRevocationList } from '../storage/certificates/load-revocation-list.js'
import { TABLE_OUTBOX_ADAPTERS, type OutboxAdapters } from '../storage/certificates/outbox.js'
import {
  approveDeclaration,
  fileDeclaration,
  listReviewQueue,
  loadDeclarationReview,
  rejectDeclaration,
} from '../storage/declarations/declaration-store.js'
import { listFiledDeclarations } from '../storage/declarations/list-filed-declarations.js'
import { formatCsvLine } from '../storage/import/read-csv-records.js'
import { importDoses } from '../storage/import/import-doses.js'
import {
  keystoreExists,
  listKeys,
  listPublishedDscs,
  loadActiveSigningKey,
  resolveKeysDir,
} from '../storage/keystore/keystore.js'
import { readKeyPassphrase } from '../storage/keystore/read-key-passphrase.js'
import { linkDoseRecords } from '../storage/registry/link-dose-records.js'
import type { Storage } from '../storage/storage.js'
import { createRegistryCitizenDirectory } from '../storage/users/registry-citizen-directory.js'
import type {
  AppDeps,
  CertificateService,
  CertificateSummary,
  DeclarationService,
  DoseService,
  ReviewService,
  StaffActor,
} from './app-deps.js'
import type { DeclarationBody } from './schemas.js'
import { certificateViewOf } from './services/certificate-view-of.js'
import { createOtpOutbox } from './services/create-otp-outbox.js'

/** Options of {@link composeAppDeps}. */
export interface ComposeOptions {
  readonly env: Readonly<Record<string, string | undefined>>
  readonly now: () => Date
  /** Where rejects files of uploads go (default `./data/rejects`). */
  readonly dataDir?: string
  /** Keystore folder and passphrase; default from the environment (VAXPASS_KEYS_DIR, ...). */
  readonly keys?: { readonly dir: string; readonly passphrase: string }
  /**
   * Where one-time codes go. Default: the table adapters (demo), which keep the code in the
   * outbox table; real SMS/e-mail adapters send at once and store no code.
   */
  readonly outboxAdapters?: OutboxAdapters
  /** How often the keystore is checked for rotated keys (default 10 s; tests pass 0). */
  readonly keyCheckMs?: number
}

/**
 * Wires the HTTP app to the project's real services over one open database: registry (lookup,
 * dose entry and CSV import), keystore and certificates (issue, renew, revoke, trust list,
 * revocation list), QR and PDF renderers, value sets, and the verifier trusting our own DSCs.
 * A keystore that exists but cannot be unlocked stops here with `ERR_KEY_PASSPHRASE`; without a
 * keystore, issuing and the trust list answer 503.
 *
 * @example
 * const app = await buildApp({ ...(await composeAppDeps(storage, { env: process.env, now: () => new Date() })), logger: true })
 */
export async function composeAppDeps(
  storage: Storage,
  options: ComposeOptions,
): Promise<Omit<AppDeps, 'logger' | 'limits' | 'webRoot'>> {
  const db = storage.db as never
  const now = options.now
  const dataDir = resolve(options.dataDir ?? 'data')
  const country = options.env.VAXPASS_COUNTRY ?? 'VN'
  const config: IssuanceConfig = { issuer: options.env.VAXPASS_ISSUER ?? 'Ministry of Health of Viet Nam', country }

  const keysDir = options.keys?.dir ?? resolveKeysDir(options.env as NodeJS.ProcessEnv)
  const passphrase = (): string => options.keys?.passphrase ?? readKeyPassphrase(options.env as NodeJS.ProcessEnv)
  let keys = await loadKeys(keysDir, passphrase, country, now())
  // Keys rotate from another process (`vaxpass keys rotate`): the keystore index changing on disk
  // rebuilds the signing key and the trust store in the background, checked at most every 10 s,
  // so the verify route never pays for it.
  const keyCheckMs = options.keyCheckMs ?? KEY_CHECK_MS
  let checkedAt = Date.now()
  let refreshing = false
  const current = (): LoadedKeys => {
    if (!refreshing && Date.now() - checkedAt >= keyCheckMs) {
      checkedAt = Date.now()
      const stamp = keystoreStamp(keysDir)
      if (stamp !== keys.stamp) {
        refreshing = true
        loadKeys(keysDir, passphrase, country, now())
          .then((fresh) => {
            keys = fresh
          })
          // A keystore that cannot be read now keeps the keys already loaded.
          .catch(() => undefined)
          .finally(() => {
            refreshing = false
          })
      }
    }
    return keys
  }

  const summary = (c: CertificateRecord): CertificateSummary => ({
    uvci: c.uvci,
    personId: c.personCccd,
    status: c.status,
    hc1: c.hc1,
    issuedAt: c.iat,
    expiresAt: c.exp,
  })
  const needKey = (): IssuingKey => {
    const key = current().issuingKey
    if (key === undefined) throw new VaxpassError('ERR_NOT_AVAILABLE', 'no signing keys: run "vaxpass keys init"')
    return key
  }
  const actorId = (a: StaffActor) => `u:${a.userId}`
  const certificates: CertificateService = {
    async findCurrentByPerson(personId) {
      const c = await getActiveCertificate(storage, personId)
      return c && summary(c)
    },
    async findCurrentByIdNumber(idNumber) {
      const c = await getActiveCertificate(storage, idNumber)
      return c && summary(c)
    },
    async findByUvci(uvci) {
      const c = await getCertificate(storage, uvci)
      return c && summary(c)
    },
    async issueForPerson(personId, actor, at) {
      const r = await issueCertificate(storage, personId, { key: needKey(), config, now: at, actor: actorId(actor) })
      return summary(r.certificate)
    },
    async renewExpiring(beforeDays, actor, at) {
      const r = await renewCertificates(storage, { beforeDays, key: needKey(), config, now: at, actor: actorId(actor) })
      return { renewed: r.renewed }
    },
    async revoke(uvci, reason, actor, at) {
      return summary(await revokeCertificate(storage, uvci, reason, { now: at, actor: actorId(actor) }))
    },
  }

  const rejectsDir = join(dataDir, 'rejects')
  // Site staff enter doses for their own site only; rows naming another go to the rejects file.
  const sitesOf = (a: StaffActor): { allowedSites?: ReadonlySet<string> } =>
    a.role === 'site_staff' ? { allowedSites: new Set(a.siteCode === null ? [] : [a.siteCode]) } : {}
  const doses: DoseService = {
    async enterDose(entry, actor, at) {
      // One dose goes through the same validation as a CSV row: the importer is the one gate.
      mkdirSync(rejectsDir, { recursive: true, mode: 0o700 })
      const rejectsPath = join(rejectsDir, `entry-${randomUUID()}.csv`)
      const line = formatCsvLine([
        entry.cccd,
        entry.fullName,
        entry.dob,
        entry.sex,
        entry.product,
        entry.lot,
        entry.date,
        String(entry.doseNumber),
        entry.siteCode,
      ])
      try {
        const r = await importDoses(
          storage,
          Readable.from([`cccd,full_name,dob,sex,product,lot,date,dose_number,site_code\n${line}\n`]),
          { rejectsPath, enteredBy: actorId(actor), now: () => at, ...sitesOf(actor) },
        )
        if (r.rejected > 0) {
          const reason = existsSync(rejectsPath) ? (readFileSync(rejectsPath, 'utf8').split('\n')[1] ?? '').split(',')[0] : ''
          throw new VaxpassError('ERR_VALIDATION', `dose refused: ${reason || 'invalid'}`)
        }
        await linkDoseRecords(storage, { now: () => at, actor: actorId(actor) })
        return { id: String(r.jobId), inserted: r.inserted, duplicate: r.duplicate } as { id: string }
      } finally {
        rmSync(rejectsPath, { force: true })
      }
    },
    async importCsv(csv, actor, at) {
      mkdirSync(rejectsDir, { recursive: true, mode: 0o700 })
      const id = randomUUID()
      const rejectsPath = join(rejectsDir, `${actor.userId}.${id}.csv`)
      const r = await importDoses(storage, csv, { rejectsPath, enteredBy: actorId(actor), now: () => at, ...sitesOf(actor) })
      await linkDoseRecords(storage, { now: () => at, actor: actorId(actor) })
      const { read, inserted, duplicate, rejected } = r
      return rejected > 0 ? { read, inserted, duplicate, rejected, rejectsId: id } : { read, inserted, duplicate, rejected }
    },
    async readRejects(rejectsId, actor) {
      if (!/^[0-9a-f-]{36}$/.test(rejectsId)) return undefined
      // The uploader's id is part of the file name: nobody else can fetch their rejects.
      const path = join(rejectsDir, `${actor.userId}.${rejectsId}.csv`)
      return existsSync(path) ? createReadStream(path) : undefined
    },
  }

  const declarationId = (id: string): number => {
    const n = Number(id)
    if (!Number.isSafeInteger(n) || n < 1) throw new VaxpassError('ERR_DECLARATION_NOT_FOUND', 'no such declaration')
    return n
  }
  const reviewer = (a: StaffActor) => ({ userId: actorId(a), roles: [a.role] })
  const reviews: ReviewService = {
    async listQueue() {
      return listReviewQueue(storage, { limit: 100 })
    },
    async detail(id) {
      return loadDeclarationReview(storage, declarationId(id))
    },
    async approve(id, actor, at) {
      const n = declarationId(id)
      const result = await approveDeclaration(storage, n, reviewer(actor), { now: at })
      // Approval corrects the records; the holder's certificate follows them.
      let certificate: CertificateSummary | undefined
      const { declaration } = await loadDeclarationReview(storage, n)
      if (declaration.cccd !== null && current().issuingKey !== undefined) {
        try {
          certificate = await certificates.issueForPerson(declaration.cccd, actor, at)
        } catch {
          // Not certifiable yet (e.g. no linked dose): the approval stands, issuance waits.
        }
      }
      return { ...result, ...(certificate ? { certificate: { uvci: certificate.uvci, status: certificate.status } } : {}) }
    },
    async reject(id, reason, actor, at) {
      await rejectDeclaration(storage, declarationId(id), reviewer(actor), reason, { now: at })
      return { id, status: 'rejected' }
    },
  }
  const declarations: DeclarationService = {
    async file(personId, body, at) {
      const b = body as DeclarationBody
      const input: DeclarationInput = {
        cccd: personId,
        fullName: b.fullName,
        dob: b.dob,
        sex: b.sex,
        phone: b.phone ?? null,
        email: b.email ?? null,
        doses: b.doses,
        evidence: b.evidence ? { mediaType: b.evidence.mediaType, bytes: Buffer.from(b.evidence.data, 'base64') } : null,
      }
      const filed = await fileDeclaration(storage, input, { userId: `person:${personId}`, roles: [] }, { now: at })
      return { id: String(filed.id) }
    },
    async listOwn(personId, limit) {
      const filed = await listFiledDeclarations(storage.db, `person:${personId}`, limit)
      return filed.map((d) => ({ ...d, id: String(d.id) }))
    },
  }

  return {
    db: storage.db as never,
    reviews,
    declarations,
    now,
    citizens: createRegistryCitizenDirectory(db),
    outbox: createOtpOutbox(db, options.outboxAdapters ?? TABLE_OUTBOX_ADAPTERS),
    certificates,
    doses,
    renderers: {
      qrSvg: (hc1) => renderQrSvg(hc1),
      qrPng: (hc1) => renderQrPng(hc1, { scale: 6 }),
      pdf: async (cert) => renderCertificatePdf(await certificateViewOf(cert.hc1)),
    },
    publicDocuments: {
      trustList: async () => current().trustList,
      revocationList: async (at) => loadRevocationList(storage, { country, now: at }),
      valueSets: async () => ({
        'vaccines-covid-19-names': VACCINE_MEDICINAL_PRODUCT,
        'vaccines-covid-19-auth-holders': VACCINE_MAH_MANF,
        'sct-vaccines-covid-19': VACCINE_PROPHYLAXIS,
        'vietnam-vaccines': VIETNAM_VACCINES,
      }),
    },
    verify: (input, at) => verify(input, { trust: current().trust, now: at }),
  }
}

const KEY_CHECK_MS = 10_000

/** The signing key and the published DSCs as loaded at one moment. */
interface LoadedKeys {
  readonly stamp: string
  readonly issuingKey: IssuingKey | undefined
  readonly trustList: ReturnType<typeof buildTrustList>
  readonly trust: Awaited<ReturnType<typeof loadTrustStore>>
}

/** Size and time of the keystore index: what changes when keys are created or rotated. */
function keystoreStamp(dir: string): string {
  try {
    const s = statSync(join(dir, 'keystore.json'))
    return `${s.size}:${s.mtimeMs}`
  } catch {
    return 'none'
  }
}

async function loadKeys(dir: string, passphrase: () => string, country: string, now: Date): Promise<LoadedKeys> {
  const stamp = keystoreStamp(dir)
  if (!keystoreExists(dir)) return { stamp, issuingKey: undefined, trustList: [], trust: await loadTrustStore({ trustList: [] }) }
  const active = loadActiveSigningKey({ dir, passphrase: passphrase(), now })
  const issuingKey: IssuingKey = {
    signer: createNodeSigner({ privateKey: active.privateKey, alg: active.alg, kid: Buffer.from(active.kid, 'base64') }),
    kid: active.kid,
  }
  // The CSCA's signature over each DSC is kept in the keystore index.
  const signatures = new Map(listKeys(dir, now).map((k) => [k.kid, k.trustSignature ?? null]))
  const trustList = buildTrustList(
    listPublishedDscs(dir, now).map((d) => ({
      kid: d.kid,
      der: d.der,
      timestamp: d.createdAt,
      signature: signatures.get(d.kid) ?? null,
    })),
    { country },
  )
  return { stamp, issuingKey, trustList, trust: await loadTrustStore({ trustList }) }
}
