// Worker thread of bulk issuing: builds, signs and encodes; the main thread reads and writes.
import { parentPort, workerData } from 'node:worker_threads'
import { createNodeSigner } from '../core/cose/node-signer.js'
import { signHc1 } from '../core/hc1/hc1.js'
import {
  buildVaccinationDcc,
  type IssuanceConfig,
  type IssuanceDose,
} from '../domain/issuance/build-vaccination-dcc.js'
import type { WorkerRequest, WorkerResponse, WorkerResult, WorkerSetup } from './worker-protocol.js'

const setup = workerData as WorkerSetup
const signer = createNodeSigner({
  privateKey: setup.privateKeyPkcs8,
  alg: setup.alg,
  kid: setup.kidBytes,
})
const config: IssuanceConfig = setup.config
const country = config.country ?? 'VN'

function issue(wire: ReadonlyArray<string | number>, people: number, now: Date): WorkerResult {
  const issued: Array<string | number> = []
  const failures: Array<string | number> = []
  let unchanged = 0
  let iat = 0
  let exp = 0
  let at = 0
  for (let i = 0; i < people; i++) {
    const cccd = wire[at] as string
    const fullName = wire[at + 1] as string
    const dob = wire[at + 2] as string
    const activeHash = wire[at + 3] as string
    const n = wire[at + 4] as number
    at += 5
    const doses: IssuanceDose[] = new Array(n)
    for (let j = 0; j < n; j++, at += 3) {
      doses[j] = { product: wire[at] as string, date: wire[at + 1] as string, doseNumber: wire[at + 2] as number }
    }
    try {
      const built = buildVaccinationDcc({ cccd, fullName, dob }, doses, config, now)
      if (activeHash !== '' && activeHash === built.contentHash) {
        unchanged++
        continue
      }
      const hc1 = signHc1(built.payload, { signer, issuer: country, iat: built.iat, exp: built.exp })
      iat = built.iat.getTime()
      exp = built.exp.getTime()
      issued.push(i, built.uvci, built.contentHash, hc1)
    } catch (err) {
      failures.push(i, (err as { code?: string }).code ?? 'ERR_INTERNAL')
    }
  }
  return { iat, exp, issued, failures, unchanged }
}

parentPort?.on('message', (msg: WorkerRequest) => {
  const response: WorkerResponse = { id: msg.id, result: issue(msg.wire, msg.people, new Date(msg.now)) }
  parentPort?.postMessage(response)
})
