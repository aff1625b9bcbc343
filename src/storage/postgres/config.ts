/**
 * The slice of node-postgres that the PostgreSQL adapter uses: a connection string, a pool size
 * and an optional schema put first on the search_path (tests give each file its own schema).
 */
export interface PostgresConfig {
  readonly connectionString: string
  /** Created when missing; every connection of the pool gets `search_path = <schema>`. */
  readonly schema?: string
  readonly maxConnections?: number
}
