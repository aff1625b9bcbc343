/**
 * Fetches JSON from the vaxpass API. Errors come back as {@link ApiError} with the API's stable
 * code (or ERR_NETWORK when the request never reached the server), so screens can explain them
 * in the user's language.
 */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  constructor(code: string, status: number, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.status = status
  }
}

export interface RequestOptions {
  method?: string
  body?: unknown
  token?: string | null
  headers?: Record<string, string>
}

export async function apiFetch<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
  let body: BodyInit | undefined
  if (options.body instanceof FormData || options.body instanceof Blob) body = options.body
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(options.body)
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let response: Response
  try {
    response = await fetch(path, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      credentials: 'same-origin',
    })
  } catch {
    throw new ApiError('ERR_NETWORK', 0, 'network error')
  }
  const text = await response.text()
  let data: unknown = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = text
  }
  if (!response.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error
    throw new ApiError(
      err?.code ?? `HTTP_${response.status}`,
      response.status,
      err?.message ?? response.statusText,
    )
  }
  return data as T
}
