// Runs in a worker: the Electron utility process (process.parentPort) or a Node child (process.send), one protocol.
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

export function connectToParent(): ParentConnection {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      send: (m) => parentPort.postMessage(m),
      onMessage: (l) => parentPort.on('message', (e) => l(e.data as WorkerRequest)),
      // Electron ends utility processes with their parent; nothing to watch.
      onDisconnect: () => {},
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
    onDisconnect: (l) => process.on('disconnect', l),
  }
}
