import type { CertificateView } from '../../src/pdf/certificate-view.js'

// A realistic view; the HC1 string has the length of a real pass (base45 alphabet, not signed:
// the PDF only draws it).
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'
let seed = 11
let hc1 = 'HC1:'
for (let i = 0; i < 560; i++) {
  seed = (seed * 1103515245 + 12345) >>> 0
  hc1 += B45[(seed >>> 8) % 45]
}

export const sampleView: CertificateView = {
  familyName: 'Nguyễn',
  givenName: 'Thị Hồng Đào',
  familyNameTransliterated: 'NGUYEN',
  givenNameTransliterated: 'THI<HONG<DAO',
  dateOfBirth: '1990-05-17',
  nationality: 'Việt Nam / Viet Nam',
  disease: 'COVID-19',
  dosesInSeries: '2',
  doseNumber: '2',
  vaccinationDate: '2021-09-14',
  vaccineType: 'SARS-CoV-2 mRNA vaccine',
  vaccineProduct: 'Comirnaty',
  manufacturer: 'Biontech Manufacturing GmbH',
  certificateId: 'URN:UVCI:01:VN:8F3A21C49D7E4B06A1C5E2F9087D3B64#Q',
  issuer: 'Bộ Y tế / Ministry of Health',
  issuedAt: '2022-01-10',
  expiresAt: '2023-01-10',
  hc1,
}
