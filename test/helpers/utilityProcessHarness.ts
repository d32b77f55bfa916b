// Runs the worker entry as Electron runs it in a utility process: `process.parentPort` and no Node IPC
// channel, so nothing but the worker's own parent-death rule can tell it that its parent died. Messages
// travel as JSON lines (stdin from the parent, stdout to it). Usage: utilityProcessHarness.ts ROLE.
import { createInterface } from 'node:readline'

type Listener = (e: { data: unknown }) => void
const listeners: Listener[] = []
// Lines that arrive before the worker listens wait for it, as a MessagePort's queue does.
const early: unknown[] = []
const parentPort = {
  on(_event: 'message', listener: Listener) {
    listeners.push(listener)
    for (const data of early.splice(0)) listener({ data })
  },
  postMessage(message: unknown) {
    process.stdout.write(`${JSON.stringify(message)}\n`)
  },
}
Object.assign(process, { parentPort })
// Electron gives a utility process no stdin; its end here must not read as the parent's death either.
createInterface({ input: process.stdin }).on('line', (line) => {
  const data: unknown = JSON.parse(line)
  if (listeners.length === 0) early.push(data)
  for (const l of listeners) l({ data })
})
await import('../../src/worker/index.ts')
