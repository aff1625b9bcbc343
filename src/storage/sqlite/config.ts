/**
 * The slice of better-sqlite3 that the SQLite adapter uses: a file path and the pragmas we set.
 */
export interface SqliteConfig {
  /** File path, or `:memory:`. The parent folder is created when missing. */
  readonly path: string
  /** Milliseconds to wait on a locked database before failing (another process writing). */
  readonly busyTimeoutMs?: number
}
