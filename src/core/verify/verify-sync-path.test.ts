import fc from 'fast-check'
import { deflateSync, inflateSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  makeTestDsc,
  sampleDcc,
  type TestDsc,
} from '../../../test/conformance/support/make-test-dsc.js'
import { decodeBase45, encodeBase45 } from '../base45/base45.js'
import { decodeCoseSign1, signCoseSign1 } from '../cose/cose-sign1.js'
import { encodeCwtClaims } from '../cwt/cwt-claims.js'
import { signHc1 } from '../hc1/hc1.js'
import { nodePlatform } from '../platform/node.js'
import type { Platform } from '../platform/platform.js'
import { computeRevocationHashes } from '../revocation/revocation-hashes.js'
import { RevocationIndex } from '../revocation/revocation-index.js'
import { TrustStore } from '../trust/trust-store.js'
import type { VerificationReport } from './report.js'
import { verifyHc1, verifyHc1Now, type VerifyHc1Options } from './verify-hc1.js'
import { verify } from './verify.js'

/*
 * With node's platform, verifyHc1 checks a pass without an await and reads it from reused
 * scratch buffers. The reference is the same verifier on a platform without
 * verifySignatureSync (fresh buffers, awaited signature check): every report must be the same,
 * also when many verifications (some awaiting: a large pass inflated by zlib, revocation
 * hashes) run interleaved.
 */
const asyncOnly: Platform = {
  ...nodePlatform,
  verifySignatureSync: undefined,
  // Reads its input only after an await, as a stream-based inflater would.
  async inflate(data, opts) {
    await new Promise((resolve) => setTimeout(resolve, 1))
    return nodePlatform.inflate(data, opts)
  },
}
const iat = new Date('2022-01-01T00:00:00Z')
const exp = new Date('2023-01-01T00:00:00Z')
const now = new Date('2022-06-01T00:00:00Z')

let es: TestDsc
let other: TestDsc
let passes: string[]
let options: VerifyHc1Options

const dccWith = (is: string, ci: string) => {
  const dcc = sampleDcc() as { v: Record<string, unknown>[] }
  dcc.v[0] = { ...dcc.v[0], is, ci }
  return dcc
}

beforeAll(async () => {
  es = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
  other = await makeTestDsc({ alg: 'ES256' })
  const sign = (dcc: unknown, t = es) => signHc1(dcc, { signer: t.signer, issuer: 'VN', iat, exp })
  const valid = sign(sampleDcc())
  const revoked = sign(dccWith('MoH', 'URN:UVCI:01:VN:REVOKED'))
  // Over 16 KiB inflated: the fast inflater declines and the platform's inflate is awaited.
  const large = sign(dccWith('x'.repeat(20000), 'URN:UVCI:01:VN:LARGE'))
  const cwt = encodeCwtClaims({ iss: 'VN', iat: 1640995200, exp: 1672531200, dcc: sampleDcc() })
  const stored = `HC1:${encodeBase45(deflateSync(signCoseSign1(cwt, es.signer), { level: 0 }))}`
  const tampered = valid.slice(0, 100) + (valid[100] === 'A' ? 'B' : 'A') + valid.slice(101)
  // Revoked by its signature hash: read after an await, so it must not be a reused buffer.
  const sigRevoked = sign(dccWith('MoH', 'URN:UVCI:01:VN:SIG'))
  passes = [valid, revoked, sigRevoked, large, stored, tampered, sign(sampleDcc(), other), 'HC1:']
  const revocation = new RevocationIndex()
  const signature = decodeCoseSign1(inflateSync(decodeBase45(sigRevoked, 4))).signature
  const sigHashes = await computeRevocationHashes({
    uci: 'x',
    country: 'VN',
    signature,
    alg: 'ES256',
  })
  revocation.add('SIGNATURE', sigHashes.SIGNATURE!)
  const hashes = await computeRevocationHashes({
    uci: 'URN:UVCI:01:VN:REVOKED',
    country: 'VN',
    signature: new Uint8Array(64),
    alg: 'ES256',
  })
  revocation.add('UCI', hashes.UCI!)
  options = { trust: new TrustStore([es.dsc]), now, revocation }
})

describe('verifyHc1 synchronous path', () => {
  // Without a revocation list node's platform takes verifyHc1Sync (no await at all).
  it('reports exactly as the awaited path without a revocation list (the await-free path)', async () => {
    const plain: VerifyHc1Options = { trust: options.trust, now }
    for (const p of passes) {
      const reference = await verifyHc1(p, { ...plain, platform: asyncOnly })
      expect(await verifyHc1(p, { ...plain, platform: nodePlatform })).toEqual(reference)
      const viaVerify = await verify(p, { ...plain, platform: nodePlatform })
      expect(viaVerify).toEqual(reference)
      // The pass over 16 KiB inflated needs the platform's (awaited) inflate; good QR-sized
      // passes need no await.
      const now_ = verifyHc1Now(p, { ...plain, platform: nodePlatform })
      if (p === passes[3]) expect(now_).toBeInstanceOf(Promise)
      if (p === passes[0] || p === passes[6]) {
        expect(now_).not.toBeInstanceOf(Promise)
      }
      expect(await now_).toEqual(reference)
    }
    const valid = passes[0]!
    await fc.assert(
      fc.asyncProperty(
        fc.nat(valid.length - 1),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:a'),
        fc.boolean(),
        async (at, ch, cut) => {
          const text = cut ? valid.slice(0, at) : valid.slice(0, at) + ch + valid.slice(at + 1)
          const [sync, awaited] = await Promise.all([
            verifyHc1(text, { ...plain, platform: nodePlatform }),
            verifyHc1(text, { ...plain, platform: asyncOnly }),
          ])
          expect(sync).toEqual(awaited)
        },
      ),
      { numRuns: 300 },
    )
  })

  it('reports exactly as the awaited path, one at a time and interleaved', async () => {
    const reference: VerificationReport[] = []
    for (const p of passes) reference.push(await verifyHc1(p, { ...options, platform: asyncOnly }))
    expect(reference[0]!.valid).toBe(true)
    expect(reference[1]!.checks.find((c) => c.id === 'revocation')?.code).toBe('ERR_REVOKED')
    expect(reference[2]!.checks.find((c) => c.id === 'revocation')?.code).toBe('ERR_REVOKED')
    expect(reference[3]!.valid).toBe(true)
    for (let i = 0; i < passes.length; i++) {
      expect(await verifyHc1(passes[i]!, { ...options, platform: nodePlatform })).toEqual(
        reference[i],
      )
    }
    // Every pass three times, sync and awaited ones mixed, all started before any finishes.
    const order = [...passes, ...passes, ...passes].map((p, i) => [p, i % passes.length] as const)
    const reports = await Promise.all(
      order.map(([p], k) =>
        verifyHc1(p, { ...options, platform: k % 2 === 0 ? nodePlatform : asyncOnly }),
      ),
    )
    reports.forEach((r, k) => expect(r).toEqual(reference[order[k]![1]]))
  })

  it('reports exactly as the awaited path on damaged passes', async () => {
    const valid = passes[0]!
    await fc.assert(
      fc.asyncProperty(
        fc.nat(valid.length - 1),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:a'),
        fc.boolean(),
        async (at, ch, cut) => {
          const text = cut ? valid.slice(0, at) : valid.slice(0, at) + ch + valid.slice(at + 1)
          const [sync, awaited] = await Promise.all([
            verifyHc1(text, { ...options, platform: nodePlatform }),
            verifyHc1(text, { ...options, platform: asyncOnly }),
          ])
          expect(sync).toEqual(awaited)
        },
      ),
      { numRuns: 300 },
    )
  })
})
