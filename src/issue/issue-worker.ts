// Worker thread of bulk issuing: builds, signs and encodes; the main thread reads and writes.
import { parentPort, workerData } from 'node:worker_threads'
import { createNodeSigner } from '../core/cose/node-signer.js'
import { signHc1 } from '../core/hc1/hc1.js'
import { buildVaccinationDcc, type IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import { readWireRecord } from '../storage/certificates/load-issuance-candidates.js'
import {
  ISSUED_STRIDE,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResult,
  type WorkerSetup,
} from './worker-protocol.js'

const setup = workerData as WorkerSetup
const signer = createNodeSigner({
  privateKey: setup.privateKeyPkcs8,
  alg: setup.alg,
  kid: setup.kidBytes,
})
const config: IssuanceConfig = setup.config
const country = config.country ?? 'VN'

// A vaccination HC1 is ~600 characters and its UVCI and hash ~80: room for most slices at once.
const BYTES_PER_CERTIFICATE = 768

/** Appends UTF-8 strings to a growable buffer that is handed over (transferred) when full. */
class Packer {
  bytes: Buffer
  at = 0
  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafeSlow(Math.max(1024, capacity))
  }
  write(s: string): number {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.at + s.length * 3 > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.at + s.length * 3))
      this.bytes.copy(grown, 0, 0, this.at)
      this.bytes = grown
    }
    this.at += this.bytes.write(s, this.at, 'utf8')
    return this.at
  }
}

function issue(wire: Uint8Array, ends: Uint32Array, now: Date): WorkerResult {
  const people = ends.length
  const index = new Uint32Array(people * ISSUED_STRIDE)
  const packer = new Packer(people * BYTES_PER_CERTIFICATE)
  const failures: Array<string | number> = []
  let count = 0
  let unchanged = 0
  let iat = 0
  let exp = 0
  for (let i = 0; i < people; i++) {
    try {
      // One person's strings at a time: they die young, the slice is never on this heap.
      const record = readWireRecord(wire, i === 0 ? 0 : ends[i - 1]!, ends[i]!)
      const built = buildVaccinationDcc(record.person, record.doses, config, now)
      if (record.activeContentHash !== null && record.activeContentHash === built.contentHash) {
        unchanged++
        continue
      }
      const hc1 = signHc1(built.payload, { signer, issuer: country, iat: built.iat, exp: built.exp })
      iat = built.iat.getTime()
      exp = built.exp.getTime()
      const k = count * ISSUED_STRIDE
      index[k] = i
      index[k + 1] = packer.write(built.uvci)
      index[k + 2] = packer.write(built.contentHash)
      index[k + 3] = packer.write(hc1)
      count++
    } catch (err) {
      failures.push(i, (err as { code?: string }).code ?? 'ERR_INTERNAL')
    }
  }
  return { iat, exp, count, index, bytes: packer.bytes.subarray(0, packer.at), failures, unchanged }
}

parentPort?.on('message', (msg: WorkerRequest) => {
  const result = issue(msg.wire, msg.ends, new Date(msg.now))
  const response: WorkerResponse = { id: msg.id, result }
  // Hand the buffers over instead of copying them: they are not used here again.
  parentPort?.postMessage(response, [result.index.buffer as ArrayBuffer, result.bytes.buffer as ArrayBuffer])
})
