// Builds the three web apps (citizen wallet, staff console, border verifier) into dist/web.
// Each app is one small ES module bundle, its HTML and the shared stylesheet; the verifier and
// the wallet also get a service worker so they work offline after the first load.
// Prints each bundle's size (raw and gzip) and writes dist/web/sizes.json for the README.
import { build } from 'esbuild'
import {
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  writeFileSync,
  existsSync,
} from 'node:fs'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const src = join(root, 'src/web')
const out = join(root, 'dist/web')
// Source folder -> URL path it is served under.
const apps = { citizen: 'wallet', staff: 'staff', verifier: 'verify' }

mkdirSync(join(out, 'assets'), { recursive: true })
copyFileSync(join(src, 'shared/styles.css'), join(out, 'assets/styles.css'))
copyFileSync(join(src, 'shared/icon.svg'), join(out, 'assets/icon.svg'))
copyFileSync(
  join(root, 'node_modules/zxing-wasm/dist/reader/zxing_reader.wasm'),
  join(out, 'assets/zxing_reader.wasm'),
)

const entryPoints = {}
for (const [app, path] of Object.entries(apps)) {
  entryPoints[`${path}/app`] = join(src, app, 'main.ts')
  if (existsSync(join(src, app, 'sw.ts'))) entryPoints[`${path}/sw`] = join(src, app, 'sw.ts')
}
// Core is shared with Node. In the browser, the default platform is the WebCrypto one (VDS-NC
// chain checks pick their WebCrypto engine themselves, core/vds-nc/seal-x509.ts), and the
// node:crypto signer fails with a clear error instead of breaking the whole bundle.
const browserPlatform = {
  name: 'browser-platform',
  setup(b) {
    b.onResolve({ filter: /(^\.|\/platform)\/node\.js$/ }, (args) =>
      args.resolveDir.endsWith('core/platform') || args.path.includes('/platform/')
        ? { path: 'node-platform', namespace: 'browser-platform' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'browser-platform' }, () => ({
      contents: `export { webPlatform as nodePlatform } from ${JSON.stringify(join(root, 'src/core/platform/web.ts'))}`,
      loader: 'ts',
      resolveDir: join(root, 'src/core/platform'),
    }))
    b.onResolve({ filter: /^node:crypto$/ }, () => ({
      path: 'node:crypto',
      namespace: 'unavailable',
    }))
    b.onLoad({ filter: /.*/, namespace: 'unavailable' }, () => ({
      contents: [
        "const unavailable = () => { throw new Error('not available in a browser') }",
        'export class X509Certificate { constructor() { unavailable() } }',
        'export const verify = unavailable, sign = unavailable, createPrivateKey = unavailable',
        'export const constants = {}',
      ].join('\n'),
      loader: 'js',
    }))
  },
}

const result = await build({
  plugins: [browserPlatform],
  entryPoints,
  outdir: out,
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  platform: 'browser',
  sourcemap: false,
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
})

for (const [app, path] of Object.entries(apps)) {
  for (const file of readdirSync(join(src, app))) {
    if (file.endsWith('.html') || file.endsWith('.webmanifest')) {
      copyFileSync(join(src, app, file), join(out, path, file))
    }
  }
}

// The server redirects / to the wallet; this page does the same when dist/web is served alone,
// and marks the folder as a complete build (`vaxpass serve` looks for it).
writeFileSync(
  join(out, 'index.html'),
  '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>vaxpass</title>' +
    '<meta http-equiv="refresh" content="0; url=/wallet/"></head>' +
    '<body><a href="/wallet/">vaxpass</a></body></html>\n',
)

const sizes = {}
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  const name = file.slice(file.indexOf('dist/web/') + 'dist/web/'.length)
  const bytes = readFileSync(join(root, file))
  sizes[name] = { bytes: meta.bytes, gzip: gzipSync(bytes).length }
}
for (const asset of ['assets/styles.css', 'assets/zxing_reader.wasm']) {
  const bytes = readFileSync(join(out, asset))
  sizes[asset] = { bytes: bytes.length, gzip: gzipSync(bytes).length }
}
writeFileSync(join(out, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n')

// Precompressed copies: the server sends them to browsers that accept them (@fastify/static
// preCompressed), so a phone on a slow link downloads the gzip or brotli size, not the raw one.
const compressible = /\.(js|css|wasm|html|svg|webmanifest)$/
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  )
for (const file of walk(out)) {
  if (!compressible.test(file)) continue
  const bytes = readFileSync(file)
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }))
  writeFileSync(
    `${file}.br`,
    // Top quality costs seconds on the 1 MB wasm; 9 is nearly as small and fast to build.
    brotliCompressSync(bytes, {
      params: { [zlibConstants.BROTLI_PARAM_QUALITY]: bytes.length > 100_000 ? 9 : 11 },
    }),
  )
}
if (!process.env.QUIET) {
  for (const [name, s] of Object.entries(sizes)) {
    process.stderr.write(
      `web ${name.padEnd(28)} ${String(s.bytes).padStart(8)} B  gzip ${s.gzip} B\n`,
    )
  }
}
