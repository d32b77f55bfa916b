// Runs in a worker: the Electron utility process (process.parentPort), a Node child (process.send), or a worker
// started through srun on a cluster node (its stdin and stdout, HPO_WORKER_TRANSPORT=stdio), one protocol.
import { createFrameReader, encodeFrame } from '../shared/lineFrames.ts'
import type { WorkerMessage, WorkerRequest } from '../shared/workerProtocol.ts'

export interface ParentConnection {
  send(message: WorkerMessage): void
  onMessage(listener: (request: WorkerRequest) => void): void
  /** The parent went away (killed, crashed): the worker must clean up and exit, leaving no orphan. */
  onDisconnect(listener: () => void): void
}

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

/** How often a worker looks whether its parent is still there. */
export const PARENT_CHECK_MS = 500

/**
 * The one parent-death rule, the same under both hosts: when its parent dies, a process is adopted by
 * another (init or a subreaper), so its parent pid changes. (Electron sends a utility process nothing
 * when main dies, and a Node child's IPC channel tells only Node children.)
 */
export function watchParent(listener: () => void): void {
  const parentPid = process.ppid
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return
    clearInterval(timer)
    listener()
  }, PARENT_CHECK_MS)
  timer.unref()
}

/**
 * The protocol over stdin/stdout (lineFrames.ts). stdout carries frames only: whatever else this process
 * prints there (console.log, a library) goes to stderr, which reaches the trial's log. The parent is gone
 * when stdin ends (srun forwards the end of its own stdin, which closes when main dies).
 */
function connectOverStdio(): ParentConnection {
  const writeFrame = process.stdout.write.bind(process.stdout)
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write
  const listeners: ((request: WorkerRequest) => void)[] = []
  const reader = createFrameReader(
    (m) => listeners.forEach((l) => l(m as WorkerRequest)),
    (line) => process.stderr.write(`[hpo-studio] not a protocol line on stdin: ${line}\n`),
  )
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (chunk: string) => reader.push(chunk))
  return {
    send: (m) => void writeFrame(encodeFrame(m)),
    onMessage: (l) => listeners.push(l),
    onDisconnect: (l) => process.stdin.once('end', l),
  }
}

export function connectToParent(): ParentConnection {
  if (process.env.HPO_WORKER_TRANSPORT === 'stdio') return connectOverStdio()
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as WorkerRequest)),
      onDisconnect: watchParent,
    }
  }
  if (!process.send)
    throw new Error(
      'worker started without an IPC channel to its parent (fork it, do not run it directly)',
    )
  return {
    send: (m) => {
      if (process.connected) process.send!(m)
    },
    onMessage: (l) => process.on('message', (m) => l(m as WorkerRequest)),
    onDisconnect: watchParent,
  }
}
