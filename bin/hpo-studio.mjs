#!/usr/bin/env node
// The hpo-studio command: runs the TypeScript CLI through tsx, so it works right after `npm install`.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main/cli/main.ts')
await main(process.argv)

/** Resolves once what was written to the stream has left the process (a pipe's reader may be slow). */
const drained = (stream) => new Promise((resolve) => stream.write('', resolve))

// Commands that ran a study may leave idle handles (timers of finished workers); the exit code is decided.
// `serve` keeps running unless it failed to start.
if (!process.argv.includes('serve') || process.exitCode) {
  await Promise.all([drained(process.stdout), drained(process.stderr)])
  process.exit(process.exitCode ?? 0)
}
