// Runs in main under plain Node: workers are Node children, each its own process group (Ctrl-C reaches
// main only; main stops them), running the TypeScript entry through tsx, or the built entry when bundled.
import type { WorkerRole } from '../../shared/workerProtocol.ts'
import { forkWorker } from './forkWorker.ts'
import { workerEntry } from './workerEntry.ts'
import type { WorkerExit, WorkerHandle, WorkerHost } from './workerHost.ts'

export function createNodeChildHost(): WorkerHost {
  const entry = workerEntry('./worker.js', '../../worker/index.ts')
  return {
    spawn(role: WorkerRole, env: Record<string, string> = {}): WorkerHandle {
      const worker = forkWorker(entry, [role], { ...process.env, ...env, HPO_WORKER_ROLE: role })
      const { child } = worker
      return {
        pid: child.pid,
        send(message) {
          if (child.connected) child.send(message)
        },
        onMessage(listener) {
          child.on('message', (m) => listener(m as never))
        },
        onStderr: (listener) => worker.stderr.onLine(listener),
        onExit(listener) {
          child.on('exit', (code, signal) => {
            const exit: WorkerExit = {
              code,
              signal,
              reason: null,
              stderrTail: worker.stderr.tail(),
            }
            listener(exit)
          })
        },
        unref() {
          child.unref()
          ;(child.channel as { unref?: () => void } | undefined)?.unref?.()
        },
        kill(signal = 'SIGTERM') {
          worker.kill(signal)
        },
      }
    },
  }
}
