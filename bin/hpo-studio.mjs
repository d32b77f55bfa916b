#!/usr/bin/env node
// The hpo-studio command: runs the TypeScript CLI through tsx, so it works right after `npm install`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli/main.ts')
await main(process.argv)
// Commands that ran a study may leave idle handles (timers of finished workers); the exit code is decided.
if (!process.argv.includes('serve')) process.exit(process.exitCode ?? 0)
