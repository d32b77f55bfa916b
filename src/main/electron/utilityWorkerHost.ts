// Runs in the Electron main process. Workers as Electron utility processes, speaking the same protocol
// as the Node children (the worker's connectToParent() uses process.parentPort there). A worker that
// dies reports why: app 'child-process-gone' gives the reason (oom, crashed, killed…).
import { app, utilityProcess, type Details } from 'electron'
import type { WorkerMessage, WorkerRole } from '../../shared/workerProtocol.ts'
import { watchStderr } from '../workers/stderrLines.ts'
import type { WorkerExit, WorkerHandle, WorkerHost } from '../workers/workerHost.ts'

/** How long an exit waits for its 'child-process-gone' reason, which may arrive just after. */
const REASON_WAIT_MS = 150

export function createUtilityWorkerHost(entry: string): WorkerHost {
  const reasons = new Map<string, string>()
  app.on('child-process-gone', (_event, details: Details) => {
    if (details.type === 'Utility' && details.name) reasons.set(details.name, details.reason)
  })
  let counter = 0

  return {
    spawn(role: WorkerRole, env: Record<string, string> = {}): WorkerHandle {
      const serviceName = `hpo-${role}-${process.pid}-${++counter}`
      const child = utilityProcess.fork(entry, [role], {
        serviceName,
        env: { ...process.env, ...env, HPO_WORKER_ROLE: role } as Record<string, string>,
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      const stderr = watchStderr(child.stderr)
      return {
        get pid() {
          return child.pid
        },
        send(message) {
          child.postMessage(message)
        },
        onMessage(listener) {
          child.on('message', (m: unknown) => listener(m as WorkerMessage))
        },
        onStderr: (listener) => stderr.onLine(listener),
        onExit(listener) {
          child.on('exit', (code: number) => {
            setTimeout(() => {
              const gone = reasons.get(serviceName) ?? null
              reasons.delete(serviceName)
              const exit: WorkerExit = {
                code,
                signal: null,
                reason: gone === 'clean-exit' ? null : gone,
                stderrTail: stderr.tail(),
              }
              listener(exit)
            }, REASON_WAIT_MS)
          })
        },
        kill(signal = 'SIGTERM') {
          if (child.pid !== undefined && signal !== 'SIGTERM') {
            try {
              process.kill(child.pid, signal)
              return
            } catch {
              // already gone
            }
          }
          child.kill()
        },
      }
    },
  }
}
