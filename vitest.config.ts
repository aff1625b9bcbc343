import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Storage suites share one PostgreSQL server: files run in parallel, each uses its own schema.
    pool: 'forks',
  },
})
