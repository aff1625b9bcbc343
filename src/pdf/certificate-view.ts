/**
 * What the paper certificate shows: display strings, already formatted by the caller (dates as
 * the holder should read them, product names rather than codes). The PDF renderer only lays
 * them out, so the same view can feed other renderings (web page, app).
 */
export interface CertificateView {
  /** `nam.fn`, with diacritics, e.g. "Nguyễn". */
  familyName: string
  /** `nam.gn`, middle and given names, e.g. "Thị Hồng Đào". */
  givenName: string
  /** `nam.fnt`, ICAO 9303, e.g. "NGUYEN". */
  familyNameTransliterated: string
  /** `nam.gnt`, ICAO 9303, e.g. "THI<HONG<DAO". */
  givenNameTransliterated: string
  /** `dob`, e.g. "1990-05-17". */
  dateOfBirth: string
  /** Nationality (no DCC field), e.g. "Việt Nam / Viet Nam". */
  nationality: string
  /** `v[0].tg`, e.g. "COVID-19". */
  disease: string
  /** `v[0].sd`, e.g. "2". */
  dosesInSeries: string
  /** `v[0].dn`, e.g. "2". */
  doseNumber: string
  /** `v[0].dt`, e.g. "2021-09-14". */
  vaccinationDate: string
  /** `v[0].vp`, e.g. "SARS-CoV-2 mRNA vaccine". */
  vaccineType: string
  /** `v[0].mp`, e.g. "Comirnaty". */
  vaccineProduct: string
  /** `v[0].ma`, e.g. "Biontech Manufacturing GmbH". */
  manufacturer: string
  /** `v[0].ci`, the UVCI, e.g. "URN:UVCI:01:VN:...#K". */
  certificateId: string
  /** `v[0].is`, e.g. "Bộ Y tế / Ministry of Health". */
  issuer: string
  /** Issue time (`iat`), e.g. "2022-01-10". An ISO 8601 value also fixes the PDF's dates. */
  issuedAt: string
  /** Expiry (`exp`), e.g. "2023-01-10". */
  expiresAt: string
  /** The signed `HC1:` string drawn as the QR code. */
  hc1: string
}
