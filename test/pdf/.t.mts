import { renderCertificatePdf } from '../../src/pdf/render-certificate-pdf.js'
import { sampleView } from './sample-view.js'
for (let i = 0; i < 5; i++) {
  const t = Date.now()
  await renderCertificatePdf(sampleView)
  console.log(Date.now() - t)
}
