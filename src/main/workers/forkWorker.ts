// Runs in main: a worker script as a detached Node child (its own process group, so Ctrl-C reaches main
// only and main decides when it stops) with an IPC channel and its stderr as lines.
import { fork, type ChildProcess } from 'node:child_process'
import { watchStderr, type StderrLines } from './stderrLines.ts'

export interface ForkedWorker {
  child: ChildProcess
  stderr: StderrLines
  /** Signals its whole process group (anything it started too). */
  kill(signal: NodeJS.Signals): void
}

export function forkWorker(
  entry: { file: string; execArgv: string[] },
  args: string[] = [],
  env?: NodeJS.ProcessEnv,
): ForkedWorker {
  const child = fork(entry.file, args, {
    execArgv: entry.execArgv,
    serialization: 'advanced',
    detached: true,
    ...(env ? { env } : {}),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  const stderr = watchStderr(child.stderr)
  // An IPC error after the child died must not take main down; the exit handler reports it.
  child.on('error', () => {})
  return {
    child,
    stderr,
    kill(signal) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        child.kill(signal)
      }
    },
  }
}
