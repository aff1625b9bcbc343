import { decodeHc1 } from '../../core/hc1/hc1.js'
import { webPlatform } from '../../core/platform/web.js'
import { VIETNAM_VACCINES } from '../../core/dcc/vietnam-vaccines.js'
import { VACCINE_MAH_MANF } from '../../core/dcc/value-sets.js'
import { readEntries, readNumber, readProp, readText } from '../../core/dcc/read-field.js'
import { formatIsoSeconds } from '../../core/verify/format-iso-seconds.js'
import type { Lang } from './i18n.js'

/** The fields a holder sees, read from the signed pass itself (never from a second source). */
export interface CertificateFields {
  familyName: string
  givenName: string
  familyNameTransliterated: string
  givenNameTransliterated: string
  dateOfBirth: string
  disease: string
  dosesInSeries: number | undefined
  doseNumber: number | undefined
  vaccinationDate: string
  vaccineType: string
  product: string
  manufacturer: string
  certificateId: string
  country: string
  issuer: string
  issuedAt: string | undefined
  expiresAt: string | undefined
}

const VACCINE_TYPES: Record<string, { vi: string; en: string }> = {
  '1119349007': { vi: 'Vắc xin mRNA SARS-CoV-2', en: 'SARS-CoV-2 mRNA vaccine' },
  '1119305005': { vi: 'Vắc xin kháng nguyên SARS-CoV-2', en: 'SARS-CoV-2 antigen vaccine' },
  '28531000087107': { vi: 'Vắc xin COVID-19', en: 'COVID-19 vaccine' },
  J07BX03: { vi: 'Vắc xin COVID-19', en: 'COVID-19 vaccine' },
}

/**
 * Decodes an `HC1:` string (no signature check: it is the holder's own pass) into display fields,
 * with product and manufacturer names in the user's language where known.
 */
export async function describeHc1(hc1: string, lang: Lang): Promise<CertificateFields> {
  const { claims } = await decodeHc1(hc1, { platform: webPlatform })
  const dcc = claims.dcc
  const nam = readProp(dcc, 'nam')
  const v = readEntries(readProp(dcc, 'v'))[0]
  const mp = readText(readProp(v, 'mp')) ?? ''
  const vaccine = VIETNAM_VACCINES.find((x) => x.mp === mp)
  const vp = readText(readProp(v, 'vp')) ?? ''
  const iso = (seconds: number | undefined): string | undefined =>
    seconds === undefined ? undefined : formatIsoSeconds(seconds)
  return {
    familyName: readText(readProp(nam, 'fn')) ?? '',
    givenName: readText(readProp(nam, 'gn')) ?? '',
    familyNameTransliterated: readText(readProp(nam, 'fnt')) ?? '',
    givenNameTransliterated: readText(readProp(nam, 'gnt')) ?? '',
    dateOfBirth: readText(readProp(dcc, 'dob')) ?? '',
    disease:
      readText(readProp(v, 'tg')) === '840539006'
        ? 'COVID-19'
        : (readText(readProp(v, 'tg')) ?? ''),
    dosesInSeries: readNumber(readProp(v, 'sd')),
    doseNumber: readNumber(readProp(v, 'dn')),
    vaccinationDate: readText(readProp(v, 'dt')) ?? '',
    vaccineType: VACCINE_TYPES[vp]?.[lang] ?? vp,
    product: vaccine ? (lang === 'vi' ? vaccine.nameVi : vaccine.nameEn) : mp,
    manufacturer:
      VACCINE_MAH_MANF[readText(readProp(v, 'ma')) ?? ''] ?? readText(readProp(v, 'ma')) ?? '',
    certificateId: readText(readProp(v, 'ci')) ?? '',
    country: readText(readProp(v, 'co')) ?? '',
    issuer: readText(readProp(v, 'is')) ?? '',
    issuedAt: iso(claims.iat),
    expiresAt: iso(claims.exp),
  }
}
