/**
 * Benchmark runner: `npm run bench [-- --json] [-- --only <group>]`.
 *
 * A group is a file bench/<group>.ts exporting `run<Group>Bench({ json })`, which prints human
 * lines to stderr (unless json) and returns its figures. With --json the runner prints ONE JSON
 * object merging every group's figures. Groups other than core are loaded only if their file
 * exists, so adding a group is adding a file and a name below.
 */
import { existsSync } from 'node:fs'

type BenchFn = (opts: { json: boolean }) => Promise<Record<string, number>>

const GROUPS = ['core', 'registry', 'issuance', 'http'] as const

function usage(message: string): never {
  process.stderr.write(`${message}\nusage: npm run bench -- [--json] [--only <${GROUPS.join('|')}>]\n`)
  process.exit(2)
}

async function loadGroup(name: string): Promise<BenchFn | undefined> {
  const url = new URL(`./${name}.ts`, import.meta.url)
  if (!existsSync(url)) return undefined
  const mod = (await import(url.href)) as Record<string, unknown>
  const fn = mod[`run${name[0]!.toUpperCase()}${name.slice(1)}Bench`]
  return typeof fn === 'function' ? (fn as BenchFn) : undefined
}

async function main(argv: string[]): Promise<void> {
  let json = false
  let only: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--json') json = true
    else if (a === '--only') {
      only = argv[++i]
      if (only === undefined || !(GROUPS as readonly string[]).includes(only)) usage(`unknown group: ${String(only)}`)
    } else usage(`unknown argument: ${String(a)}`)
  }
  const merged: Record<string, number> = {}
  for (const name of only === undefined ? GROUPS : [only]) {
    const fn = await loadGroup(name)
    if (fn === undefined) {
      if (only !== undefined) usage(`group ${name} is not available`)
      continue
    }
    Object.assign(merged, await fn({ json }))
  }
  if (json) process.stdout.write(`${JSON.stringify(merged)}\n`)
}

await main(process.argv.slice(2))
