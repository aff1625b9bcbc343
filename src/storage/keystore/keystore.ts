import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { VaxpassError } from '../../core/errors.js'
import { createCscaCertificate } from '../../core/x509/create-csca-certificate.js'
import { createDscCertificate } from '../../core/x509/create-dsc-certificate.js'
import {
  generateSigningKeyPair,
  keyAlgorithmFor,
  type SigningAlgorithm,
} from '../../core/x509/generate-signing-key-pair.js'

/** One certificate and its encrypted private key in the keystore folder. */
export interface KeystoreEntry {
  readonly role: 'csca' | 'dsc'
  /** kid (base64 of the first 8 bytes of SHA-256 of the DER), for CSCAs as well. */
  readonly kid: string
  readonly alg: SigningAlgorithm
  readonly subject: string
  readonly notBefore: string
  readonly notAfter: string
  readonly certFile: string
  readonly keyFile: string
  /** kid of the CSCA that signed this DSC. */
  readonly issuerKid?: string
  /** base64 signature of this DSC's DER by its CSCA (the trust list's `signature`). */
  readonly trustSignature?: string
  readonly createdAt: string
}

/** The keystore index (`keystore.json`): every certificate ever created and the active DSC. */
export interface KeystoreIndex {
  readonly version: 1
  readonly country: string
  readonly activeDscKid: string | null
  readonly entries: readonly KeystoreEntry[]
}

/** A key listing row: `active` signs new passes, `published` still verifies old ones. */
export interface KeyListing extends KeystoreEntry {
  readonly status: 'active' | 'published' | 'expired' | 'ca'
}

/** The active signer's material, decrypted in memory only. */
export interface ActiveSigningKey {
  readonly kid: string
  readonly alg: SigningAlgorithm
  readonly privateKey: KeyObject
  /** Unencrypted PKCS#8 DER, to hand to worker threads of this process only. */
  readonly privateKeyPkcs8: Uint8Array
  readonly certificateDer: Uint8Array
  readonly certificatePem: string
  readonly notAfter: Date
}

/** A published DSC (public part only), for trust lists. */
export interface PublishedDsc {
  readonly kid: string
  readonly alg: SigningAlgorithm
  readonly der: Uint8Array
  readonly pem: string
  readonly createdAt: string
  readonly notAfter: string
  readonly active: boolean
  /** base64 signature of the DER by the CSCA. */
  readonly signature: string | null
}

export interface InitKeystoreOptions {
  readonly dir: string
  readonly passphrase: string
  readonly now: Date
  readonly alg?: SigningAlgorithm
  readonly country?: string
  readonly organization?: string
  /** DSC validity in days (default 730, two years). */
  readonly dscValidityDays?: number
  /** CSCA validity in days (default 3650). */
  readonly cscaValidityDays?: number
}

const INDEX_FILE = 'keystore.json'
const DAY_MS = 86_400_000

/** The keystore folder: `VAXPASS_KEYS_DIR`, else `./data/keys` under the working folder. */
export function resolveKeysDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.VAXPASS_KEYS_DIR || join('data', 'keys'))
}

/** kid of a certificate: base64 of the first 8 bytes of SHA-256 of its DER. */
export function computeCertificateKid(der: Uint8Array): string {
  return createHash('sha256').update(der).digest().subarray(0, 8).toString('base64')
}

function fileSafe(kid: string): string {
  return Buffer.from(kid, 'base64').toString('hex')
}

function writePrivate(path: string, data: string): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, data, { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
}

/** True when the folder holds a keystore. */
export function keystoreExists(dir: string): boolean {
  return existsSync(join(dir, INDEX_FILE))
}

/**
 * Reads the keystore index. Throws ERR_KEYSTORE_MISSING when there is none.
 *
 * @example
 * const index = readKeystoreIndex(resolveKeysDir())
 */
export function readKeystoreIndex(dir: string): KeystoreIndex {
  const path = join(dir, INDEX_FILE)
  if (!existsSync(path)) {
    throw new VaxpassError('ERR_KEYSTORE_MISSING', `no keystore in ${dir}: run "vaxpass keys init"`)
  }
  try {
    const index = JSON.parse(readFileSync(path, 'utf8')) as KeystoreIndex
    if (index.version !== 1 || !Array.isArray(index.entries)) throw new Error('bad index')
    return index
  } catch (cause) {
    throw new VaxpassError('ERR_KEYSTORE_CORRUPT', `the keystore index in ${dir} is unreadable`, {
      cause,
    })
  }
}

function writeIndex(dir: string, index: KeystoreIndex): void {
  writePrivate(join(dir, INDEX_FILE), JSON.stringify(index, null, 2) + '\n')
}

function encryptPkcs8(pkcs8: ArrayBuffer, passphrase: string): string {
  // PKCS#8 EncryptedPrivateKeyInfo (PBES2, AES-256-CBC, key derived from the passphrase).
  return createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase })
    .toString()
}

/**
 * Decrypts one private key file. A wrong passphrase gives ERR_KEY_PASSPHRASE, an unreadable
 * file ERR_KEYSTORE_CORRUPT.
 */
export function decryptPrivateKeyFile(path: string, passphrase: string): KeyObject {
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new VaxpassError('ERR_KEYSTORE_CORRUPT', `cannot read private key file ${path}`, { cause })
  }
  if (!pem.includes('BEGIN ENCRYPTED PRIVATE KEY')) {
    throw new VaxpassError('ERR_KEYSTORE_CORRUPT', `private key file ${path} is not encrypted`)
  }
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase })
  } catch (cause) {
    throw new VaxpassError('ERR_KEY_PASSPHRASE', 'wrong key passphrase: cannot decrypt the keystore', {
      cause,
    })
  }
}

async function importForCertificates(key: KeyObject, alg: SigningAlgorithm): Promise<CryptoKey> {
  const pkcs8 = key.export({ type: 'pkcs8', format: 'der' })
  return globalThis.crypto.subtle.importKey('pkcs8', pkcs8, keyAlgorithmFor(alg), true, ['sign'])
}

async function createDscEntry(
  dir: string,
  passphrase: string,
  csca: KeystoreEntry,
  cscaKey: CryptoKey,
  alg: SigningAlgorithm,
  now: Date,
  validityDays: number,
  country: string,
  organization: string | undefined,
  sequence: number,
): Promise<KeystoreEntry> {
  const keys = await generateSigningKeyPair(alg)
  const cscaDer = new X509Certificate(readFileSync(join(dir, csca.certFile))).raw
  const notAfter = new Date(now.getTime() + validityDays * DAY_MS)
  const stamp = now.toISOString().slice(0, 10).replace(/-/g, '')
  const cert = await createDscCertificate({
    publicKey: keys.publicKey,
    issuerCertificate: cscaDer,
    issuerPrivateKey: cscaKey,
    issuerAlg: csca.alg,
    country,
    commonName: `DSC ${country} ${stamp}-${sequence}`,
    ...(organization === undefined ? {} : { organization }),
    notBefore: now,
    notAfter,
  })
  const kid = computeCertificateKid(cert.der)
  const trustSignature = await globalThis.crypto.subtle.sign(
    csca.alg === 'PS256' ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' },
    cscaKey,
    new Uint8Array(cert.der),
  )
  const pkcs8 = await globalThis.crypto.subtle.exportKey('pkcs8', keys.privateKey)
  const certFile = `dsc-${fileSafe(kid)}.crt.pem`
  const keyFile = `dsc-${fileSafe(kid)}.key.pem`
  writePrivate(join(dir, keyFile), encryptPkcs8(pkcs8, passphrase))
  writePrivate(join(dir, certFile), cert.pem)
  return {
    role: 'dsc',
    kid,
    alg,
    subject: new X509Certificate(cert.pem).subject.replace(/\n/g, ', '),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    certFile,
    keyFile,
    issuerKid: csca.kid,
    trustSignature: Buffer.from(trustSignature).toString('base64'),
    createdAt: now.toISOString(),
  }
}

/**
 * Creates a keystore: a self-signed CSCA (10 years) and a DSC it signs (2 years, extended key
 * usage vaccination), private keys encrypted (PKCS#8, AES-256-CBC) under the passphrase, files
 * 0600. Refuses (ERR_KEYSTORE_EXISTS) when the folder already holds one.
 *
 * @example
 * const index = await initKeystore({ dir: resolveKeysDir(), passphrase, now: new Date() })
 */
export async function initKeystore(options: InitKeystoreOptions): Promise<KeystoreIndex> {
  const { dir, passphrase, now } = options
  const alg = options.alg ?? 'ES256'
  if (alg !== 'ES256' && alg !== 'PS256') throw new TypeError(`unsupported algorithm ${String(alg)}`)
  const country = options.country ?? 'VN'
  if (keystoreExists(dir)) {
    throw new VaxpassError('ERR_KEYSTORE_EXISTS', `a keystore already exists in ${dir}`)
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const cscaKeys = await generateSigningKeyPair(alg)
  const csca = await createCscaCertificate({
    keys: cscaKeys,
    country,
    commonName: `CSCA ${country}`,
    ...(options.organization === undefined ? {} : { organization: options.organization }),
    notBefore: now,
    notAfter: new Date(now.getTime() + (options.cscaValidityDays ?? 3650) * DAY_MS),
  })
  const cscaKid = computeCertificateKid(csca.der)
  const cscaEntry: KeystoreEntry = {
    role: 'csca',
    kid: cscaKid,
    alg,
    subject: new X509Certificate(csca.pem).subject.replace(/\n/g, ', '),
    notBefore: csca.notBefore.toISOString(),
    notAfter: csca.notAfter.toISOString(),
    certFile: `csca-${fileSafe(cscaKid)}.crt.pem`,
    keyFile: `csca-${fileSafe(cscaKid)}.key.pem`,
    createdAt: now.toISOString(),
  }
  const cscaPkcs8 = await globalThis.crypto.subtle.exportKey('pkcs8', cscaKeys.privateKey)
  writePrivate(join(dir, cscaEntry.keyFile), encryptPkcs8(cscaPkcs8, passphrase))
  writePrivate(join(dir, cscaEntry.certFile), csca.pem)
  const dsc = await createDscEntry(
    dir,
    passphrase,
    cscaEntry,
    cscaKeys.privateKey,
    alg,
    now,
    options.dscValidityDays ?? 730,
    country,
    options.organization,
    1,
  )
  const index: KeystoreIndex = {
    version: 1,
    country,
    activeDscKid: dsc.kid,
    entries: [cscaEntry, dsc],
  }
  writeIndex(dir, index)
  return index
}

/**
 * Adds a new DSC signed by the current CSCA and makes it the active signer. Older DSCs stay
 * in the keystore and in the trust list until their certificates expire.
 *
 * @example
 * const dsc = await rotateDsc({ dir, passphrase, now: new Date() })
 */
export async function rotateDsc(options: {
  dir: string
  passphrase: string
  now: Date
  alg?: SigningAlgorithm
  dscValidityDays?: number
  organization?: string
}): Promise<KeystoreEntry> {
  const index = readKeystoreIndex(options.dir)
  const csca = [...index.entries].reverse().find((e) => e.role === 'csca')
  if (!csca) throw new VaxpassError('ERR_KEYSTORE_CORRUPT', 'the keystore holds no CSCA')
  const cscaKeyObject = decryptPrivateKeyFile(join(options.dir, csca.keyFile), options.passphrase)
  const cscaKey = await importForCertificates(cscaKeyObject, csca.alg)
  const dscCount = index.entries.filter((e) => e.role === 'dsc').length
  const dsc = await createDscEntry(
    options.dir,
    options.passphrase,
    csca,
    cscaKey,
    options.alg ?? csca.alg,
    options.now,
    options.dscValidityDays ?? 730,
    index.country,
    options.organization,
    dscCount + 1,
  )
  writeIndex(options.dir, { ...index, activeDscKid: dsc.kid, entries: [...index.entries, dsc] })
  return dsc
}

/**
 * Lists every key of the keystore with its status at `now`.
 *
 * @example
 * for (const k of listKeys(dir, new Date())) console.log(k.kid, k.status)
 */
export function listKeys(dir: string, now: Date): KeyListing[] {
  const index = readKeystoreIndex(dir)
  return index.entries.map((e) => ({
    ...e,
    status:
      e.role === 'csca'
        ? 'ca'
        : Date.parse(e.notAfter) <= now.getTime()
          ? 'expired'
          : e.kid === index.activeDscKid
            ? 'active'
            : 'published',
  }))
}

/**
 * DSCs still valid at `now` (public parts), newest first: what the trust list publishes.
 *
 * @example
 * const dscs = listPublishedDscs(dir, new Date())
 */
export function listPublishedDscs(dir: string, now: Date): PublishedDsc[] {
  const index = readKeystoreIndex(dir)
  return index.entries
    .filter((e) => e.role === 'dsc' && Date.parse(e.notAfter) > now.getTime())
    .map((e) => {
      const pem = readFileSync(join(dir, e.certFile), 'utf8')
      return {
        kid: e.kid,
        alg: e.alg,
        der: new Uint8Array(new X509Certificate(pem).raw),
        pem,
        createdAt: e.createdAt,
        notAfter: e.notAfter,
        active: e.kid === index.activeDscKid,
        signature: e.trustSignature ?? null,
      }
    })
    .reverse()
}

/**
 * Decrypts the active DSC's private key and checks it matches its certificate.
 * Throws ERR_KEYSTORE_MISSING, ERR_KEY_PASSPHRASE, ERR_KEY_NO_ACTIVE_DSC (none, or expired).
 *
 * @example
 * const key = loadActiveSigningKey({ dir: resolveKeysDir(), passphrase, now: new Date() })
 */
export function loadActiveSigningKey(options: {
  dir: string
  passphrase: string
  now: Date
}): ActiveSigningKey {
  const index = readKeystoreIndex(options.dir)
  const entry = index.entries.find((e) => e.role === 'dsc' && e.kid === index.activeDscKid)
  if (!entry) throw new VaxpassError('ERR_KEY_NO_ACTIVE_DSC', 'the keystore has no active DSC')
  if (Date.parse(entry.notAfter) <= options.now.getTime()) {
    throw new VaxpassError(
      'ERR_KEY_NO_ACTIVE_DSC',
      'the active DSC has expired: run "vaxpass keys rotate"',
    )
  }
  const privateKey = decryptPrivateKeyFile(join(options.dir, entry.keyFile), options.passphrase)
  const certificatePem = readFileSync(join(options.dir, entry.certFile), 'utf8')
  const cert = new X509Certificate(certificatePem)
  const fromKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
  const fromCert = cert.publicKey.export({ type: 'spki', format: 'der' })
  if (!fromKey.equals(fromCert)) {
    throw new VaxpassError('ERR_KEYSTORE_CORRUPT', 'the active DSC key does not match its certificate')
  }
  return {
    kid: entry.kid,
    alg: entry.alg,
    privateKey,
    privateKeyPkcs8: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })),
    certificateDer: new Uint8Array(cert.raw),
    certificatePem,
    notAfter: new Date(entry.notAfter),
  }
}
