#!/usr/bin/env node
// The installed command. `npm install` builds dist/ (the `prepare` script).
import { main } from '../dist/cli/main.js'

process.exitCode = await main(process.argv.slice(2))
