// Worker thread of bulk issuing: builds, signs and encodes; the main thread reads and writes.
import { parentPort, workerData } from 'node:worker_threads'
import { createNodeSigner } from '../core/cose/node-signer.js'
import { signHc1 } from '../core/hc1/hc1.js'
import { buildVaccinationDcc, type IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import type { IssuanceCandidate } from '../storage/certificates/load-issuance-candidates.js'
import type { WorkerRequest, WorkerResponse, WorkerSetup, WorkerCertificate } from './worker-protocol.js'

const setup = workerData as WorkerSetup
const signer = createNodeSigner({
  privateKey: setup.privateKeyPkcs8,
  alg: setup.alg,
  kid: setup.kidBytes,
})
const config: IssuanceConfig = setup.config
const country = config.country ?? 'VN'

function issue(candidates: readonly IssuanceCandidate[], now: Date): WorkerResponse['result'] {
  const certs: WorkerCertificate[] = []
  const failures: Array<{ cccd: string; code: string }> = []
  let unchanged = 0
  for (const c of candidates) {
    try {
      const built = buildVaccinationDcc(c, c.doses, config, now)
      if (c.activeUvci !== null && c.activeContentHash === built.contentHash) {
        unchanged++
        continue
      }
      const hc1 = signHc1(built.payload, { signer, issuer: country, iat: built.iat, exp: built.exp })
      certs.push({
        uvci: built.uvci,
        personCccd: c.cccd,
        contentHash: built.contentHash,
        iat: built.iat.getTime(),
        exp: built.exp.getTime(),
        hc1,
        supersedes: c.activeUvci,
        phone: c.phone,
        email: c.email,
      })
    } catch (err) {
      failures.push({ cccd: c.cccd, code: (err as { code?: string }).code ?? 'ERR_INTERNAL' })
    }
  }
  return { certs, unchanged, failures }
}

parentPort?.on('message', (msg: WorkerRequest) => {
  const response: WorkerResponse = { id: msg.id, result: issue(msg.candidates, new Date(msg.now)) }
  parentPort?.postMessage(response)
})
