import { VACCINE_MAH_MANF, VACCINE_MEDICINAL_PRODUCT, VACCINE_PROPHYLAXIS } from '../../core/dcc/value-sets.js'
import { decodeHc1 } from '../../core/hc1/hc1.js'
import type { CertificateView } from '../../pdf/certificate-view.js'

/**
 * The paper certificate's view of a signed `HC1:` string: decoded (not verified: it comes from our
 * own store) and its codes turned into names with the value sets.
 *
 * @example
 * const pdf = await renderCertificatePdf(await certificateViewOf(cert.hc1))
 */
export async function certificateViewOf(hc1: string): Promise<CertificateView> {
  const { claims } = await decodeHc1(hc1)
  const dcc = (claims.dcc ?? {}) as {
    dob?: string
    nam?: { fn?: string; gn?: string; fnt?: string; gnt?: string }
    v?: Array<Record<string, unknown>>
  }
  const v = dcc.v?.[0] ?? {}
  const str = (x: unknown): string => (x === undefined || x === null ? '' : String(x))
  const date = (s: number | undefined): string => (s === undefined ? '' : new Date(s * 1000).toISOString())
  return {
    familyName: str(dcc.nam?.fn),
    givenName: str(dcc.nam?.gn),
    familyNameTransliterated: str(dcc.nam?.fnt),
    givenNameTransliterated: str(dcc.nam?.gnt),
    dateOfBirth: str(dcc.dob),
    nationality: 'Việt Nam / Viet Nam',
    disease: v.tg === '840539006' ? 'COVID-19' : str(v.tg),
    dosesInSeries: str(v.sd),
    doseNumber: str(v.dn),
    vaccinationDate: str(v.dt),
    vaccineType: VACCINE_PROPHYLAXIS[str(v.vp)] ?? str(v.vp),
    vaccineProduct: VACCINE_MEDICINAL_PRODUCT[str(v.mp)] ?? str(v.mp),
    manufacturer: VACCINE_MAH_MANF[str(v.ma)] ?? str(v.ma),
    certificateId: str(v.ci),
    issuer: str(v.is),
    issuedAt: date(claims.iat),
    expiresAt: date(claims.exp),
    hc1,
  }
}
