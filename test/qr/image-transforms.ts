// Small pixel transforms that turn a clean rendered QR into "photos" for the reader tests.
// Images are greyscale Float32 planes; pngjs/jpeg-js do the file encoding.
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'

export interface Grey {
  width: number
  height: number
  /** 0 = black .. 255 = white, row-major. */
  px: Float32Array
}

export function decodePng(bytes: Uint8Array): Grey {
  const png = PNG.sync.read(Buffer.from(bytes))
  const px = new Float32Array(png.width * png.height)
  for (let i = 0; i < px.length; i++) {
    const d = png.data
    px[i] = 0.299 * d[i * 4]! + 0.587 * d[i * 4 + 1]! + 0.114 * d[i * 4 + 2]!
  }
  return { width: png.width, height: png.height, px }
}

export function decodeJpeg(bytes: Uint8Array): Grey {
  const img = jpeg.decode(Buffer.from(bytes), { useTArray: true })
  const px = new Float32Array(img.width * img.height)
  for (let i = 0; i < px.length; i++) px[i] = img.data[i * 4]!
  return { width: img.width, height: img.height, px }
}

function toRgba(g: Grey): Buffer {
  const out = Buffer.alloc(g.width * g.height * 4)
  for (let i = 0; i < g.px.length; i++) {
    const v = Math.max(0, Math.min(255, Math.round(g.px[i]!)))
    out[i * 4] = v
    out[i * 4 + 1] = v
    out[i * 4 + 2] = v
    out[i * 4 + 3] = 255
  }
  return out
}

export function encodePng(g: Grey): Uint8Array {
  const png = new PNG({ width: g.width, height: g.height })
  png.data = toRgba(g)
  return new Uint8Array(PNG.sync.write(png))
}

export function encodeJpeg(g: Grey, quality: number): Uint8Array {
  const out = jpeg.encode({ data: toRgba(g), width: g.width, height: g.height }, quality)
  return new Uint8Array(out.data)
}

/** Rotates by `degrees` about the centre, on a canvas large enough to hold the result (bilinear). */
export function rotate(g: Grey, degrees: number, background = 255): Grey {
  const a = (degrees * Math.PI) / 180
  const cos = Math.cos(a)
  const sin = Math.sin(a)
  const width = Math.ceil(Math.abs(g.width * cos) + Math.abs(g.height * sin))
  const height = Math.ceil(Math.abs(g.width * sin) + Math.abs(g.height * cos))
  const px = new Float32Array(width * height)
  const cx = g.width / 2
  const cy = g.height / 2
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = x + 0.5 - width / 2
      const dy = y + 0.5 - height / 2
      const sx = cos * dx + sin * dy + cx - 0.5
      const sy = -sin * dx + cos * dy + cy - 0.5
      px[y * width + x] = sample(g, sx, sy, background)
    }
  }
  return { width, height, px }
}

function sample(g: Grey, x: number, y: number, background: number): number {
  const x0 = Math.floor(x)
  const y0 = Math.floor(y)
  const fx = x - x0
  const fy = y - y0
  const at = (xx: number, yy: number): number =>
    xx < 0 || yy < 0 || xx >= g.width || yy >= g.height ? background : g.px[yy * g.width + xx]!
  return (
    at(x0, y0) * (1 - fx) * (1 - fy) +
    at(x0 + 1, y0) * fx * (1 - fy) +
    at(x0, y0 + 1) * (1 - fx) * fy +
    at(x0 + 1, y0 + 1) * fx * fy
  )
}

/** Separable box blur of the given radius, applied `passes` times (3 passes ~ Gaussian). */
export function blur(g: Grey, radius: number, passes = 3): Grey {
  let cur = g.px
  const { width, height } = g
  for (let p = 0; p < passes; p++) {
    const tmp = new Float32Array(cur.length)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0
        let n = 0
        for (let k = -radius; k <= radius; k++) {
          const xx = Math.min(width - 1, Math.max(0, x + k))
          s += cur[y * width + xx]!
          n++
        }
        tmp[y * width + x] = s / n
      }
    }
    const out = new Float32Array(cur.length)
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let s = 0
        let n = 0
        for (let k = -radius; k <= radius; k++) {
          const yy = Math.min(height - 1, Math.max(0, y + k))
          s += tmp[yy * width + x]!
          n++
        }
        out[y * width + x] = s / n
      }
    }
    cur = out
  }
  return { width, height, px: cur }
}

/** Area-average downscale by a real factor (> 1 makes it smaller). */
export function scaleDown(g: Grey, factor: number): Grey {
  const width = Math.max(1, Math.floor(g.width / factor))
  const height = Math.max(1, Math.floor(g.height / factor))
  const px = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0
      let n = 0
      for (
        let sy = Math.floor(y * factor);
        sy < Math.min(g.height, Math.floor((y + 1) * factor));
        sy++
      ) {
        for (
          let sx = Math.floor(x * factor);
          sx < Math.min(g.width, Math.floor((x + 1) * factor));
          sx++
        ) {
          s += g.px[sy * g.width + sx]!
          n++
        }
      }
      px[y * width + x] = n === 0 ? 255 : s / n
    }
  }
  return { width, height, px }
}

/** Places the image on a larger background with the given margin (pixels) on each side. */
export function pad(g: Grey, margin: number, background = 200): Grey {
  const width = g.width + 2 * margin
  const height = g.height + 2 * margin
  const px = new Float32Array(width * height).fill(background)
  for (let y = 0; y < g.height; y++) {
    px.set(g.px.subarray(y * g.width, (y + 1) * g.width), (y + margin) * width + margin)
  }
  return { width, height, px }
}

/** Adds deterministic pseudo-random noise of the given amplitude and lowers the contrast. */
export function noiseAndContrast(g: Grey, amplitude: number, contrast: number, seed = 1): Grey {
  let s = seed >>> 0
  const rnd = (): number => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
  const px = new Float32Array(g.px.length)
  for (let i = 0; i < px.length; i++) {
    px[i] = 128 + (g.px[i]! - 128) * contrast + (rnd() * 2 - 1) * amplitude
  }
  return { width: g.width, height: g.height, px }
}

/**
 * Perspective: the image seen from an angle, as a phone held tilted sees a printed page. The top
 * edge keeps its width, the bottom edge is `bottomScale` times as wide, centred (bilinear).
 */
export function tilt(g: Grey, bottomScale: number, background = 255): Grey {
  const width = Math.ceil(g.width * Math.max(1, bottomScale))
  const height = g.height
  const px = new Float32Array(width * height)
  for (let y = 0; y < height; y++) {
    const t = y / (height - 1)
    const rowScale = 1 + (bottomScale - 1) * t
    const rowWidth = g.width * rowScale
    const left = (width - rowWidth) / 2
    for (let x = 0; x < width; x++) {
      px[y * width + x] = sample(g, (x + 0.5 - left) / rowScale - 0.5, y, background)
    }
  }
  return { width, height, px }
}

/** Uneven light: brightness falls from `from` (left) to `to` (right) as a multiplier. */
export function lighting(g: Grey, from: number, to: number): Grey {
  const px = new Float32Array(g.px.length)
  for (let y = 0; y < g.height; y++) {
    for (let x = 0; x < g.width; x++) {
      const f = from + ((to - from) * x) / (g.width - 1)
      px[y * g.width + x] = g.px[y * g.width + x]! * f
    }
  }
  return { width: g.width, height: g.height, px }
}
