// The slice of autocannon's API the HTTP bench uses (the package ships no types).
declare module 'autocannon' {
  namespace autocannon {
    interface Options {
      url: string
      method?: 'GET' | 'POST'
      headers?: Record<string, string>
      body?: string
      connections?: number
      pipelining?: number
      duration?: number
      overallRate?: number
      /** A sequence each connection sends in turn, looping. */
      requests?: ReadonlyArray<{
        method?: 'GET' | 'POST'
        path?: string
        headers?: Record<string, string>
        body?: string
      }>
    }
    interface Histogram {
      average: number
      mean: number
      p50: number
      p99: number
      max: number
      total: number
    }
    interface Result {
      requests: Histogram
      latency: Histogram
      non2xx: number
      errors: number
    }
  }
  function autocannon(
    opts: autocannon.Options,
    cb: (err: Error | null, result: autocannon.Result) => void,
  ): unknown
  export default autocannon
}
