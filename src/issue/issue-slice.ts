// Builds, signs and encodes one slice of a bulk batch: the work of an issuing worker thread.
import type { Signer } from '../core/cose/signer.js'
import { signHc1Ascii } from '../core/hc1/hc1.js'
import { buildVaccinationDcc, type IssuanceConfig } from '../domain/issuance/build-vaccination-dcc.js'
import { readWireRecord } from '../storage/certificates/load-issuance-candidates.js'
import { ISSUED_STRIDE, type WorkerResult } from './worker-protocol.js'

// A vaccination HC1 is ~600 characters and its UVCI and hash ~80: room for most slices at once.
const BYTES_PER_CERTIFICATE = 768

/** Appends UTF-8 strings and bytes to a growable buffer that is handed over (transferred) when full. */
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
  writeBytes(b: Uint8Array): number {
    if (this.at + b.length > this.bytes.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.at + b.length))
      this.bytes.copy(grown, 0, 0, this.at)
      this.bytes = grown
    }
    this.bytes.set(b, this.at)
    this.at += b.length
    return this.at
  }
}

/**
 * Issues the people of one packed slice (see WorkerRequest) with `now` as the batch's time;
 * `first` is the slice's first person's position in its batch.
 *
 * @example
 * const result = issueSlice(wire, ends, new Date(), 0, signer, { issuer: 'Ministry of Health' })
 */
export function issueSlice(
  slice: Uint8Array,
  ends: Uint32Array,
  now: Date,
  first: number,
  signer: Signer,
  config: IssuanceConfig,
): WorkerResult {
  const country = config.country ?? 'VN'
  const wire = Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength)
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
      // The UVCI's sequence is the person's position in the batch: stored in that order, each
      // UVCI appends to the primary-key index.
      const built = buildVaccinationDcc(record.person, record.doses, config, now, { uvciSequence: first + i })
      if (record.activeContentHash !== null && record.activeContentHash === built.contentHash) {
        unchanged++
        continue
      }
      // The HC1 as ASCII bytes on signHc1's scratch, copied straight into the packer: no string.
      const hc1 = signHc1Ascii(built.payload, { signer, issuer: country, iat: built.iat, exp: built.exp })
      iat = built.iat.getTime()
      exp = built.exp.getTime()
      const k = count * ISSUED_STRIDE
      index[k] = i
      index[k + 1] = packer.write(built.uvci)
      index[k + 2] = packer.write(built.contentHash)
      index[k + 3] = packer.writeBytes(hc1)
      count++
    } catch (err) {
      failures.push(i, (err as { code?: string }).code ?? 'ERR_INTERNAL')
    }
  }
  return { iat, exp, count, index, bytes: packer.bytes.subarray(0, packer.at), failures, unchanged }
}

