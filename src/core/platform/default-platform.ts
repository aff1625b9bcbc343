import { nodePlatform } from './node.js'
import type { Platform } from './platform.js'

let current: Platform = nodePlatform

/**
 * The platform core uses when a caller passes none. Node by default; a browser bundle calls
 * {@link setDefaultPlatform} once with its WebCrypto implementation.
 *
 * @example
 * const digest = await getDefaultPlatform().sha256(bytes)
 */
export function getDefaultPlatform(): Platform {
  return current
}

/**
 * Replaces the default platform (browser bundles).
 *
 * @example
 * setDefaultPlatform(webPlatform)
 */
export function setDefaultPlatform(platform: Platform): void {
  current = platform
}
