/// <reference lib="webworker" />
/**
 * Offline support shared by the wallet and the verifier. The app shell is precached at install
 * and served cache-first (refreshed in the background); public data (trust list, revocation list,
 * value sets) goes network-first with the cached copy as the fallback; everything else (personal
 * data, staff routes) is never cached here.
 */
export function installServiceWorker(opts: { cacheName: string; shell: readonly string[] }): void {
  const sw = self as unknown as ServiceWorkerGlobalScope
  sw.addEventListener('install', (event) => {
    event.waitUntil(
      caches
        .open(opts.cacheName)
        .then((cache) => cache.addAll([...opts.shell]))
        .then(() => sw.skipWaiting()),
    )
  })
  sw.addEventListener('activate', (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names
              .filter(
                (n) => n.startsWith(opts.cacheName.split(':')[0] ?? '') && n !== opts.cacheName,
              )
              .map((n) => caches.delete(n)),
          ),
        )
        .then(() => sw.clients.claim()),
    )
  })
  sw.addEventListener('fetch', (event) => {
    const request = event.request
    if (request.method !== 'GET') return
    const url = new URL(request.url)
    if (url.origin !== sw.location.origin) return
    if (url.pathname.startsWith('/api/public/')) {
      event.respondWith(networkFirst(opts.cacheName, request))
    } else if (opts.shell.includes(url.pathname)) {
      event.respondWith(cacheFirst(opts.cacheName, request))
    }
  })
}

async function networkFirst(cacheName: string, request: Request): Promise<Response> {
  const cache = await caches.open(cacheName)
  try {
    const response = await fetch(request)
    if (response.ok) await cache.put(request, response.clone())
    return response
  } catch (err) {
    const cached = await cache.match(request)
    if (!cached) throw err
    // Tell the page this copy is not fresh, so that it shows the data's real age.
    const headers = new Headers(cached.headers)
    headers.set('x-vaxpass-cached', 'true')
    return new Response(cached.body, {
      status: cached.status,
      statusText: cached.statusText,
      headers,
    })
  }
}

async function cacheFirst(cacheName: string, request: Request): Promise<Response> {
  const cache = await caches.open(cacheName)
  const cached = await cache.match(request)
  const refresh = fetch(request)
    .then(async (response) => {
      if (response.ok) await cache.put(request, response.clone())
      return response
    })
    .catch(() => undefined)
  if (cached) return cached
  const response = await refresh
  return response ?? Response.error()
}
