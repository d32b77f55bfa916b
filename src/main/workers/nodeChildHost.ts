// Runs in main under plain Node: workers are Node children, each its own process group (Ctrl-C reaches
// main only; main stops them), running the TypeScript entry through tsx, or the built entry when bundled.
import { fork } from 'node:child_process'
import type { WorkerRole } from '../../shared/workerProtocol.ts'
import { workerEntry } from './workerEntry.ts'
import type { WorkerExit, WorkerHandle, WorkerHost } from './workerHost.ts'

export function createNodeChildHost(): WorkerHost {
  const entry = workerEntry('./worker.js', '../../worker/index.ts')
  return {
    spawn(role: WorkerRole, env: Record<string, string> = {}): WorkerHandle {
      const child = fork(entry.file, [role], {
        execArgv: entry.execArgv,
        serialization: 'advanced',
        detached: true,
        env: { ...process.env, ...env, HPO_WORKER_ROLE: role },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      })
      const tail: string[] = []
      child.stderr?.setEncoding('utf8')
      child.stderr?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim()) tail.push(line.trim())
        while (tail.length > 8) tail.shift()
      })
      // An IPC error after the child died must not take main down; the exit handler reports it.
      child.on('error', () => {})
      return {
        pid: child.pid,
        send(message) {
          if (child.connected) child.send(message)
        },
        onMessage(listener) {
          child.on('message', (m) => listener(m as never))
        },
        onExit(listener) {
          child.on('exit', (code, signal) => {
            const exit: WorkerExit = {
              code,
              signal,
              reason: null,
              stderrTail: tail.slice(-3).join(' | ') || undefined,
            }
            listener(exit)
          })
        },
        kill(signal = 'SIGTERM') {
          try {
            if (child.pid !== undefined) process.kill(-child.pid, signal)
          } catch {
            child.kill(signal)
          }
        },
      }
    },
  }
}
