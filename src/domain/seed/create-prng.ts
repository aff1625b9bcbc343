/**
 * A small, fast, seeded pseudo-random generator (xoshiro128**, seeded through splitmix32).
 * Deterministic across platforms: 32-bit integer arithmetic only. Not for secrets.
 */
export interface Prng {
  /** The next 32-bit unsigned integer. */
  nextUint32(): number
  /** A float in [0, 1). */
  float(): number
  /** An integer in [0, n) for 0 < n <= 2^32. */
  int(n: number): number
  /** An integer in [lo, hi], both included. */
  between(lo: number, hi: number): number
  /** True with probability p. */
  chance(p: number): boolean
}

/**
 * Hashes a seed (number or string) to 32 bits (FNV-1a over its decimal or UTF-16 form), so that
 * `--seed 42` and `--seed "42"` give the same data.
 */
function hashSeed(seed: number | string): number {
  const s = String(seed)
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * Creates a seeded generator. The same seed always gives the same sequence.
 *
 * @example
 * const rng = createPrng(42)
 * rng.int(6) // always the same die roll for seed 42
 */
export function createPrng(seed: number | string): Prng {
  let x = hashSeed(seed)
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) | 0
    let z = x
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
  let a = splitmix()
  let b = splitmix()
  let c = splitmix()
  let d = splitmix()
  if ((a | b | c | d) === 0) a = 1

  const nextUint32 = (): number => {
    const t = b << 9
    let r = Math.imul(b, 5)
    r = Math.imul((r << 7) | (r >>> 25), 9)
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = (d << 11) | (d >>> 21)
    return r >>> 0
  }
  const float = (): number => nextUint32() / 4294967296
  return {
    nextUint32,
    float,
    int: (n) => Math.floor(float() * n),
    between: (lo, hi) => lo + Math.floor(float() * (hi - lo + 1)),
    chance: (p) => float() < p,
  }
}

/** Picks items by weight in O(log n): build once, pick millions of times. */
export interface WeightedPicker<T> {
  pick(rng: Prng): T
  readonly items: readonly T[]
}

/**
 * Builds a weighted picker. Weights need not sum to 1; zero weights are never picked.
 *
 * @example
 * const coin = createWeightedPicker(['heads', 'tails'], [1, 1])
 * coin.pick(createPrng(1))
 */
export function createWeightedPicker<T>(
  items: readonly T[],
  weights: readonly number[],
): WeightedPicker<T> {
  if (items.length === 0 || items.length !== weights.length) {
    throw new TypeError('createWeightedPicker needs one weight per item, and at least one item')
  }
  const cumulative = new Float64Array(items.length)
  let total = 0
  weights.forEach((w, i) => {
    if (!(w >= 0)) throw new TypeError('weights must be non-negative numbers')
    total += w
    cumulative[i] = total
  })
  if (total <= 0) throw new TypeError('weights must not all be zero')
  return {
    items,
    pick(rng) {
      const r = rng.float() * total
      let lo = 0
      let hi = cumulative.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if ((cumulative[mid] as number) > r) hi = mid
        else lo = mid + 1
      }
      return items[lo] as T
    },
  }
}
