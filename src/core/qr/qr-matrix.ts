import QRCode from 'qrcode'
import { VaxpassError } from '../errors.js'

/** Error correction levels of ISO/IEC 18004. HCERT requires `Q` (about 25% recovery). */
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H'

/** Options for building a QR symbol. */
export interface QrMatrixOptions {
  /** Error correction level; `Q` by default, as the HCERT specification asks. */
  errorCorrection?: QrErrorCorrection
}

/** A QR symbol as a square grid of modules, without quiet zone. */
export interface QrMatrix {
  /** Modules per side (21 for version 1, 4 more per version). */
  size: number
  /** QR version (1..40). */
  version: number
  /** Encoding mode of each segment, in order (`alphanumeric`, `byte`, `numeric`, `kanji`). */
  modes: string[]
  errorCorrection: QrErrorCorrection
  /** True when the module at (row, col) is dark; false outside the grid. */
  isDark(row: number, col: number): boolean
}

/** The QR alphanumeric character set; it is exactly the Base45 alphabet of RFC 9285. */
const ALPHANUMERIC = /^[0-9A-Z $%*+\-./:]*$/

/** Largest text accepted: a version 40 symbol holds at most 4,296 alphanumeric characters. */
const MAX_TEXT_LENGTH = 7089

/**
 * Builds the QR symbol for `text`. Text made only of QR alphanumeric characters (every `HC1:`
 * string) is encoded as ONE alphanumeric segment: left to itself, qrcode may split it into
 * numeric/byte segments, which verifiers tolerate but which wastes capacity and deviates from the
 * HCERT specification. Other text is segmented by qrcode.
 *
 * @example
 * const m = qrMatrix('HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH-R6IOO6+IUKRG*I.I1P1')
 * m.modes // ['alphanumeric']
 * m.isDark(0, 0) // true: top-left finder pattern
 */
export function qrMatrix(text: string, opts: QrMatrixOptions = {}): QrMatrix {
  const errorCorrection = opts.errorCorrection ?? 'Q'
  if (text.length === 0) throw new VaxpassError('ERR_INPUT_EMPTY', 'cannot encode empty text as QR')
  if (text.length > MAX_TEXT_LENGTH) {
    throw new VaxpassError('ERR_INPUT_TOO_LARGE', 'text too long for a QR code', {
      details: { length: text.length, max: MAX_TEXT_LENGTH },
    })
  }
  const input = ALPHANUMERIC.test(text) ? [{ data: text, mode: 'alphanumeric' as const }] : text
  let qr: QRCode.QRCode
  try {
    qr = QRCode.create(input, { errorCorrectionLevel: errorCorrection })
  } catch (cause) {
    throw new VaxpassError('ERR_INPUT_TOO_LARGE', 'text does not fit in a QR code', {
      cause,
      details: { length: text.length, errorCorrection },
    })
  }
  const { size, data } = qr.modules
  return {
    size,
    version: qr.version,
    modes: qr.segments.map((s) => s.mode.id.toLowerCase()),
    errorCorrection,
    isDark(row: number, col: number): boolean {
      if (row < 0 || col < 0 || row >= size || col >= size) return false
      return data[row * size + col] === 1
    },
  }
}
