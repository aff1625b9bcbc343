import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseDsc } from '../../src/core/dsc/parse-dsc.js'
import { ensureDemoKeys } from '../../src/storage/keystore/ensure-demo-keys.js'
import {
  initKeystore,
  listKeys,
  listPublishedDscs,
  loadActiveSigningKey,
  rotateDsc,
} from '../../src/storage/keystore/keystore.js'
import { readKeyPassphrase } from '../../src/storage/keystore/read-key-passphrase.js'

const now = new Date('2026-01-01T00:00:00Z')
const passphrase = 'correct horse battery'
const tmp = () => join(mkdtempSync(join(tmpdir(), 'vaxpass-keys-test-')), 'keys')

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (err) {
    return (err as { code?: string }).code
  }
  return undefined
}

describe('keystore', () => {
  it('creates a CSCA and a DSC it signs, with the vaccination key usage', async () => {
    const dir = tmp()
    const index = await initKeystore({ dir, passphrase, now })
    const csca = index.entries.find((e) => e.role === 'csca')!
    const dsc = index.entries.find((e) => e.role === 'dsc')!
    expect(index.activeDscKid).toBe(dsc.kid)
    const cscaCert = new X509Certificate(readFileSync(join(dir, csca.certFile)))
    const dscCert = new X509Certificate(readFileSync(join(dir, dsc.certFile)))
    expect(cscaCert.ca).toBe(true)
    expect(cscaCert.verify(cscaCert.publicKey)).toBe(true)
    expect(dscCert.ca).toBe(false)
    expect(dscCert.checkIssued(cscaCert)).toBe(true)
    expect(dscCert.verify(cscaCert.publicKey)).toBe(true)
    expect(dscCert.subject).toContain('C=VN')
    expect(dscCert.keyUsage).toEqual(['1.3.6.1.4.1.1847.2021.1.2'])
    // Two years of validity for the DSC.
    expect(new Date(dscCert.validTo).getUTCFullYear()).toBe(2028)
    // The core DSC reader agrees on the kid and the key usage.
    const parsed = await parseDsc(new Uint8Array(dscCert.raw))
    expect(parsed.kidBase64).toBe(dsc.kid)
    expect(dscCert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
  })

  it('keeps private keys encrypted at rest, files 0600', async () => {
    const dir = tmp()
    await initKeystore({ dir, passphrase, now })
    const active = loadActiveSigningKey({ dir, passphrase, now })
    const plainDer = Buffer.from(active.privateKeyPkcs8)
    const plainPem = active.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const rawD = Buffer.from(active.privateKey.export({ format: 'jwk' }).d as string, 'base64url')
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      expect(statSync(path).mode & 0o777, name).toBe(0o600)
      const bytes = readFileSync(path)
      expect(bytes.includes(plainDer), name).toBe(false)
      expect(bytes.includes(rawD), name).toBe(false)
      expect(bytes.toString('utf8').includes(plainPem.split('\n')[1]!), name).toBe(false)
      if (name.endsWith('.key.pem')) {
        expect(bytes.toString()).toContain('BEGIN ENCRYPTED PRIVATE KEY')
        expect(() => createPrivateKey(bytes.toString())).toThrow()
      }
    }
    const decoded = Buffer.from(
      readFileSync(join(dir, readdirSync(dir).find((n) => n.startsWith('dsc-') && n.endsWith('.key.pem'))!), 'utf8')
        .replace(/-----[^-]+-----/g, '')
        .replace(/\s+/g, ''),
      'base64',
    )
    expect(decoded.includes(rawD)).toBe(false)
  })

  it('refuses a wrong or missing passphrase with ERR_KEY_PASSPHRASE', async () => {
    const dir = tmp()
    await initKeystore({ dir, passphrase, now })
    expect(codeOf(() => loadActiveSigningKey({ dir, passphrase: 'not the passphrase', now }))).toBe('ERR_KEY_PASSPHRASE')
    expect(codeOf(() => readKeyPassphrase({}))).toBe('ERR_KEY_PASSPHRASE')
    expect(codeOf(() => readKeyPassphrase({ VAXPASS_KEY_PASSPHRASE: 'short' }))).toBe('ERR_KEY_PASSPHRASE')
    expect(codeOf(() => readKeyPassphrase({ VAXPASS_KEY_PASSPHRASE_FILE: join(dir, 'missing') }))).toBe(
      'ERR_KEY_PASSPHRASE',
    )
    const file = join(dir, '..', 'pass.txt')
    writeFileSync(file, `${passphrase}\n`)
    expect(readKeyPassphrase({ VAXPASS_KEY_PASSPHRASE_FILE: file })).toBe(passphrase)
    await expect(rotateDsc({ dir, passphrase: 'not the passphrase', now })).rejects.toMatchObject({
      code: 'ERR_KEY_PASSPHRASE',
    })
    expect(codeOf(() => loadActiveSigningKey({ dir: tmp(), passphrase, now }))).toBe('ERR_KEYSTORE_MISSING')
    await expect(initKeystore({ dir, passphrase, now })).rejects.toMatchObject({ code: 'ERR_KEYSTORE_EXISTS' })
  })

  it('rotates: a new active DSC, the old one still published until it expires', async () => {
    const dir = tmp()
    const index = await initKeystore({ dir, passphrase, now })
    const first = index.activeDscKid!
    const later = new Date('2026-06-01T00:00:00Z')
    const second = await rotateDsc({ dir, passphrase, now: later })
    expect(second.kid).not.toBe(first)
    expect(loadActiveSigningKey({ dir, passphrase, now: later }).kid).toBe(second.kid)
    const statuses = Object.fromEntries(listKeys(dir, later).map((k) => [k.kid, k.status]))
    expect(statuses[first]).toBe('published')
    expect(statuses[second.kid]).toBe('active')
    expect(listPublishedDscs(dir, later).map((d) => d.kid).sort()).toEqual([first, second.kid].sort())
    // After the first DSC's notAfter (2028-01-01) only the second is published.
    const after = new Date('2028-01-02T00:00:00Z')
    expect(listPublishedDscs(dir, after).map((d) => d.kid)).toEqual([second.kid])
    expect(listKeys(dir, after).find((k) => k.kid === first)?.status).toBe('expired')
  })

  it('creates PS256 (RSA) keys on request', async () => {
    const dir = tmp()
    const index = await initKeystore({ dir, passphrase, now, alg: 'PS256' })
    const active = loadActiveSigningKey({ dir, passphrase, now })
    expect(active.alg).toBe('PS256')
    expect(active.privateKey.asymmetricKeyType).toBe('rsa')
    expect(createPublicKey(active.privateKey).asymmetricKeyDetails?.modulusLength).toBe(3072)
    const dsc = index.entries.find((e) => e.role === 'dsc')!
    expect(new X509Certificate(readFileSync(join(dir, dsc.certFile))).keyUsage).toEqual(['1.3.6.1.4.1.1847.2021.1.2'])
  })

  it('demo keys: created once with a generated passphrase file, reused after', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vaxpass-demo-'))
    const first = await ensureDemoKeys({ dataDir, now, env: {} })
    expect(first.created).toBe(true)
    expect(statSync(first.passphraseFile).mode & 0o777).toBe(0o600)
    const second = await ensureDemoKeys({ dataDir, now, env: {} })
    expect(second.created).toBe(false)
    expect(second.passphrase).toBe(first.passphrase)
    expect(loadActiveSigningKey({ dir: second.dir, passphrase: second.passphrase, now }).alg).toBe('ES256')
  })
})
