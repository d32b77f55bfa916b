// Entry of the analysis worker: a Node child (headless, forked with execArgv ['--import', 'tsx']) or
// an Electron utility process. Speaks analysisProtocol only; one request at a time, in order.
import type { AnalysisMessage, AnalysisRequest } from '../../shared/analysisProtocol.ts'
import { exitWithParent } from '../exitWithParent.ts'
import { handleAnalysisRequest } from './analysisDispatch.ts'

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

function connectToParent(): void {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
  let send: (m: AnalysisMessage) => void
  let onMessage: (listener: (m: unknown) => void) => void
  if (parentPort) {
    send = (m) => parentPort.postMessage(m)
    onMessage = (listener) => parentPort.on('message', (e) => listener(e.data))
  } else if (process.send) {
    send = (m) => process.send!(m)
    onMessage = (listener) => process.on('message', listener)
    // No orphans: a worker whose parent went away has no one to answer.
    process.on('disconnect', () => process.exit(0))
  } else {
    throw new Error('analysisWorker must be started as a child process with an IPC channel')
  }
  // Main stops its workers; Ctrl-C in a terminal reaches the whole group and must not kill this one first.
  process.on('SIGINT', () => {})
  onMessage((m) => send(handleAnalysisRequest(m as AnalysisRequest)))
  send({ kind: 'event', type: 'ready', pid: process.pid })
}

connectToParent()
// a fANOVA on a big study keeps the main thread busy: the watch still ends an orphan
exitWithParent(0)
