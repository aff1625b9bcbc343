// The paper certificate (Node: reads its fonts from node_modules).
export { renderCertificatePdf } from './render-certificate-pdf.js'
export type { RenderCertificatePdfOptions } from './render-certificate-pdf.js'
export type { CertificateView } from './certificate-view.js'
