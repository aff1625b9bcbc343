import { installServiceWorker } from '../shared/service-worker.js'

installServiceWorker({
  cacheName: 'vaxpass-verifier:v1',
  shell: [
    '/verify/',
    '/verify/index.html',
    '/verify/app.js',
    '/assets/styles.css',
    '/assets/icon.svg',
    '/assets/zxing_reader.wasm',
  ],
})
