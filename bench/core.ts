/**
 * Core benchmark: on one core, node:crypto's raw ES256 sign and verify rates (the limit), then
 * our HC1 issue (`signHc1`) and verify (`verify`) rates, and their ratios.
 * Rounds are interleaved and the best of each is kept, so a noisy shared machine hurts the
 * limit and our figures alike.
 */
import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto'
import { buildSigStructure } from '../src/core/cose/cose-sign1.js'
import { encodeCwtClaims } from '../src/core/cwt/cwt-claims.js'
import { signHc1 } from '../src/core/hc1/hc1.js'
import { TrustStore } from '../src/core/trust/trust-store.js'
import { verify } from '../src/core/verify/verify.js'
import { makeTestDsc, sampleDcc } from '../test/conformance/support/make-test-dsc.js'

const ROUNDS = 20
const ROUND_MS = 100
const WARMUP_MS = 300
/** Calls of each function before anything is counted, at the least (see the warm-up). */
const WARMUP_CALLS = 10_000

/*
 * Rates are operations per second of CPU time of this process (process.cpuUsage), not of wall
 * time: the machine is shared, and wall time would count other processes' turns. Everything
 * runs on the main thread, so this is the rate of one core. The four functions take turns in
 * short slices (ROUNDS x ROUND_MS each) and each rate is total operations over total CPU time:
 * a busy neighbour slows the limit and our pipeline alike, so the ratios stay comparable even
 * when the absolute figures move.
 */
async function measure(
  fn: () => unknown,
  isAsync: boolean,
  ms: number,
): Promise<{ ops: number; cpuMicros: number }> {
  let n = 0
  const start = performance.now()
  const cpu0 = process.cpuUsage()
  while (performance.now() - start < ms) {
    if (isAsync) for (let i = 0; i < 20; i++) await fn()
    else for (let i = 0; i < 20; i++) fn()
    n += 20
  }
  const cpu = process.cpuUsage(cpu0)
  return { ops: n, cpuMicros: cpu.user + cpu.system }
}

/**
 * Runs the core group; returns limit_sign_per_s, limit_verify_per_s, issue_per_s, verify_per_s
 * and the two ratios.
 *
 * @example
 * const figures = await runCoreBench({ json: true })
 */
export async function runCoreBench(opts: { json: boolean }): Promise<Record<string, number>> {
  const t = await makeTestDsc({ alg: 'ES256', extendedKeyUsage: ['1.3.6.1.4.1.1847.2021.1.2'] })
  const iat = new Date('2022-03-01T00:00:00Z')
  const exp = new Date('2023-03-01T00:00:00Z')
  const now = new Date('2022-06-01T00:00:00Z')
  const dcc = sampleDcc()
  const trust = new TrustStore([t.dsc])
  const hc1 = signHc1(dcc, { signer: t.signer, issuer: 'VN', iat, exp })
  // The limit signs and verifies the very bytes our pipeline signs.
  const tbs = buildSigStructure(
    new Uint8Array([0xa2, 0x01, 0x26, 0x04, 0x48, ...t.dsc.kid]),
    encodeCwtClaims({ iss: 'VN', iat: iat.getTime() / 1000, exp: exp.getTime() / 1000, dcc }),
  )
  const { createPrivateKey } = await import('node:crypto')
  const key = createPrivateKey(t.privateKeyPem)
  const pub = t.dsc.publicKey.native as KeyObject
  const sig = cryptoSign('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' })
  const check = await verify(hc1, { trust, now })
  if (!check.valid) throw new Error('bench setup: our own pass does not verify')

  const limitSign = (): unknown => cryptoSign('sha256', tbs, { key, dsaEncoding: 'ieee-p1363' })
  const issue = (): unknown => signHc1(dcc, { signer: t.signer, issuer: 'VN', iat, exp })
  const limitVerify = (): unknown =>
    cryptoVerify('sha256', tbs, { key: pub, dsaEncoding: 'ieee-p1363' }, sig)
  const ours = (): unknown => verify(hc1, { trust, now })
  const fns = [
    { key: 'limitSign', fn: limitSign, isAsync: false },
    { key: 'issue', fn: issue, isAsync: false },
    { key: 'limitVerify', fn: limitVerify, isAsync: false },
    { key: 'verify', fn: ours, isAsync: true },
  ] as const
  // Warm-up: every function optimised by the JIT before anything is counted. V8 optimises a
  // function after so many calls, not milliseconds: 300 ms alone was 2,000-4,000 verifies, and
  // a dozen of the verifier's functions were then optimised during the counted rounds (run
  // unoptimised until then, compiled on V8's background thread, whose CPU time
  // process.cpuUsage counts). node:crypto's side is native: the same however long it warms.
  for (const f of fns) {
    let calls = 0
    while (calls < WARMUP_CALLS) calls += (await measure(f.fn, f.isAsync, WARMUP_MS)).ops
  }
  const total = {
    limitSign: { ops: 0, cpu: 0 },
    issue: { ops: 0, cpu: 0 },
    limitVerify: { ops: 0, cpu: 0 },
    verify: { ops: 0, cpu: 0 },
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const f of fns) {
      const m = await measure(f.fn, f.isAsync, ROUND_MS)
      total[f.key].ops += m.ops
      total[f.key].cpu += m.cpuMicros
    }
  }
  const perS = (k: keyof typeof total): number => (total[k].ops * 1e6) / total[k].cpu
  const rates = {
    limitSign: perS('limitSign'),
    issue: perS('issue'),
    limitVerify: perS('limitVerify'),
    verify: perS('verify'),
  }
  const out = {
    limit_sign_per_s: Math.round(rates.limitSign),
    limit_verify_per_s: Math.round(rates.limitVerify),
    issue_per_s: Math.round(rates.issue),
    verify_per_s: Math.round(rates.verify),
    issue_ratio: Math.round((rates.issue / rates.limitSign) * 1000) / 1000,
    verify_ratio: Math.round((rates.verify / rates.limitVerify) * 1000) / 1000,
    hc1_length: hc1.length,
  }
  if (!opts.json) {
    const pct = (x: number) => `${(x * 100).toFixed(0)}%`
    process.stderr.write(
      [
        `core: one core, ES256, a ${hc1.length}-character HC1 (${ROUNDS} interleaved ${ROUND_MS} ms slices each, per CPU-second)`,
        `  issue   ${out.issue_per_s}/s   limit (raw node:crypto sign)   ${out.limit_sign_per_s}/s   ${pct(out.issue_ratio)} (target >= 60%)`,
        `  verify  ${out.verify_per_s}/s   limit (raw node:crypto verify) ${out.limit_verify_per_s}/s   ${pct(out.verify_ratio)} (target >= 85%)`,
        '',
      ].join('\n'),
    )
  }
  return out
}
