import { installServiceWorker } from '../shared/service-worker.js'

installServiceWorker({
  cacheName: 'vaxpass-wallet:v1',
  shell: [
    '/wallet/',
    '/wallet/index.html',
    '/wallet/app.js',
    '/wallet/manifest.webmanifest',
    '/assets/styles.css',
    '/assets/icon.svg',
  ],
})
