import { prepareZXingModule } from 'zxing-wasm/reader'
import { VaxpassError } from '../errors.js'

/** Where the QR reader's WebAssembly comes from. */
export interface QrReaderWasmSource {
  /** URL of `zxing_reader.wasm` as served by the app (browser bundles). */
  wasmUrl?: string
  /** The wasm file's bytes, already loaded. */
  wasmBinary?: ArrayBuffer | Uint8Array
}

let configured = false

/**
 * Tells the QR reader where its WebAssembly is. zxing-wasm fetches it from a CDN by default,
 * which an offline verifier must never do: a browser bundle calls this once with the URL it serves
 * `zxing-wasm/reader/zxing_reader.wasm` at. In Node it is not needed: {@link loadQrReader}
 * reads the file from node_modules.
 *
 * @example
 * configureQrReader({ wasmUrl: '/assets/zxing_reader.wasm' })
 */
export function configureQrReader(source: QrReaderWasmSource): void {
  if (source.wasmBinary !== undefined) {
    const b = source.wasmBinary
    const binary =
      b instanceof Uint8Array ? b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) : b
    prepareZXingModule({ overrides: { wasmBinary: binary as ArrayBuffer } })
  } else if (source.wasmUrl !== undefined) {
    const url = source.wasmUrl
    prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) =>
          path.endsWith('.wasm') ? url : prefix + path,
      },
    })
  } else {
    return
  }
  configured = true
  ready = undefined
}

type NodeFs = { readFileSync(path: string): Uint8Array }
type NodeModule = { createRequire(url: string): { resolve(id: string): string } }
type GetBuiltin = (id: string) => unknown

let ready: Promise<unknown> | undefined

/**
 * Loads the reader's WebAssembly once, before its first use. Under Node, when nothing was
 * configured, the file is read from node_modules. `process.getBuiltinModule` is used instead of an
 * `import 'node:fs'` so that this module still bundles for browsers (where it is never reached).
 * A failure to load is `ERR_INTERNAL` (a deployment problem), never blamed on the image.
 *
 * @example
 * await loadQrReader() // before the first zxing-wasm call
 */
export async function loadQrReader(): Promise<void> {
  if (!configured) {
    const proc = (
      globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: GetBuiltin } }
    ).process
    if (proc?.versions?.node !== undefined) {
      if (proc.getBuiltinModule === undefined) {
        throw new VaxpassError('ERR_INTERNAL', 'the QR reader needs Node.js 20.16 or later')
      }
      const fs = proc.getBuiltinModule('node:fs') as NodeFs
      const mod = proc.getBuiltinModule('node:module') as NodeModule
      const path = mod.createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm')
      configureQrReader({ wasmBinary: fs.readFileSync(path) })
    }
  }
  ready ??= prepareZXingModule({ fireImmediately: true })
  try {
    await ready
  } catch (cause) {
    ready = undefined // a later call, perhaps after configureQrReader, may succeed
    throw new VaxpassError('ERR_INTERNAL', 'the QR reader could not load its WebAssembly', {
      cause,
    })
  }
}
