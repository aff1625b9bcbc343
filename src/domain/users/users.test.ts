import { describe, expect, it } from 'vitest'
import { isVaxpassError } from '../../core/errors.js'
import { AUTH_POLICY } from './auth-policy.js'
import { checkOtp, createOtp } from './create-otp.js'
import { createToken, hashToken } from './create-token.js'
import { hashPassword, verifyPassword } from './hash-password.js'
import { matchLookup, normalizeLookupName } from './match-lookup.js'
import { isThrottled, nextThrottleState } from './next-throttle-state.js'
import { isRole } from './roles.js'
import { validateNewUser } from './validate-new-user.js'

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false)
    expect(await verifyPassword('x', 'scrypt$99999999$8$1$AA$AA')).toBe(false)
  })
  it('treats NFC and NFD spellings of a password alike', async () => {
    const h = await hashPassword('mật khẩu dài lắm'.normalize('NFD'))
    expect(await verifyPassword('mật khẩu dài lắm'.normalize('NFC'), h)).toBe(true)
  })
})

describe('tokens and one-time codes', () => {
  it('stores tokens only as their SHA-256', () => {
    const { token, hash } = createToken('vxk_')
    expect(token.startsWith('vxk_')).toBe(true)
    expect(token.length).toBeGreaterThan(40)
    expect(hash).toBe(hashToken(token))
    expect(hash).not.toContain(token)
  })
  it('makes six-digit codes that check against their salted hash only', () => {
    const otp = createOtp()
    expect(otp.code).toMatch(/^\d{6}$/)
    expect(checkOtp(otp.code, otp.salt, otp.hash)).toBe(true)
    const wrong = otp.code === '999999' ? '000000' : String(Number(otp.code) + 1).padStart(6, '0')
    expect(checkOtp(wrong, otp.salt, otp.hash)).toBe(false)
    expect(checkOtp(otp.code, 'other-salt', otp.hash)).toBe(false)
    expect(checkOtp('12345', otp.salt, otp.hash)).toBe(false)
  })
})

describe('lookup matching', () => {
  const record = {
    fullName: 'Nguyễn Văn An',
    dateOfBirth: '1990-05-17',
    sex: 'M',
    idNumber: '001090001234',
    lastDoseDate: '2022-01-10',
  }
  const claim = { ...record, sex: 'M' as const, lastDoseDate: '2022-01-10' }
  it('matches all five fields, loosely on case, spaces and Unicode form only', () => {
    expect(matchLookup(claim, record)).toBe(true)
    expect(matchLookup({ ...claim, fullName: ' NGUYỄN  văn an '.normalize('NFD') }, record)).toBe(true)
    expect(normalizeLookupName('  NGUYỄN  Văn An ')).toBe('nguyễn văn an')
  })
  it('refuses any single wrong field, diacritics included', () => {
    expect(matchLookup({ ...claim, fullName: 'Nguyen Van An' }, record)).toBe(false)
    expect(matchLookup({ ...claim, dateOfBirth: '1990-05-18' }, record)).toBe(false)
    expect(matchLookup({ ...claim, sex: 'F' }, record)).toBe(false)
    expect(matchLookup({ ...claim, idNumber: '001090001235' }, record)).toBe(false)
    expect(matchLookup({ ...claim, lastDoseDate: '2022-01-11' }, record)).toBe(false)
    expect(matchLookup(claim, { ...record, lastDoseDate: null })).toBe(false)
  })
})

describe('throttling', () => {
  it('locks a key at the limit within the window and frees it after the lock', () => {
    let s = undefined as ReturnType<typeof nextThrottleState> | undefined
    const t0 = Date.UTC(2026, 0, 1)
    for (let i = 0; i < AUTH_POLICY.maxFailures - 1; i++) s = nextThrottleState(s, new Date(t0 + i * 1000))
    expect(isThrottled(s, new Date(t0 + 10_000))).toBe(false)
    s = nextThrottleState(s, new Date(t0 + 10_000))
    expect(isThrottled(s, new Date(t0 + 10_001))).toBe(true)
    expect(isThrottled(s, new Date(t0 + 10_000 + AUTH_POLICY.lockMs + 1))).toBe(false)
    const after = nextThrottleState(s, new Date(t0 + 10_000 + AUTH_POLICY.lockMs + 1))
    expect(after.failures).toBe(1)
  })
  it('starts a fresh window when failures are far apart', () => {
    const a = nextThrottleState(undefined, new Date(0))
    const b = nextThrottleState(a, new Date(AUTH_POLICY.failureWindowMs + 1))
    expect(b.failures).toBe(1)
  })
})

describe('new staff accounts', () => {
  it('normalises and accepts a valid account', () => {
    expect(validateNewUser({ username: ' Lan ', role: 'site_staff', siteCode: '001-BVBM' }, 'a long password!')).toEqual({
      username: 'lan',
      role: 'site_staff',
      siteCode: '001-BVBM',
    })
    expect(isRole('reviewer')).toBe(true)
    expect(isRole('root')).toBe(false)
  })
  it.each([
    [{ username: 'x', role: 'admin' }, 'a long password!'],
    [{ username: 'ok-name', role: 'root' }, 'a long password!'],
    [{ username: 'ok-name', role: 'site_staff' }, 'a long password!'],
    [{ username: 'ok-name', role: 'admin', siteCode: '001-BVBM' }, 'a long password!'],
    [{ username: 'ok-name', role: 'admin' }, 'short'],
  ])('refuses %j with ERR_USER_INVALID', (input, password) => {
    let caught: unknown
    try {
      validateNewUser(input, password)
    } catch (err) {
      caught = err
    }
    expect(isVaxpassError(caught, 'ERR_USER_INVALID')).toBe(true)
  })
})
