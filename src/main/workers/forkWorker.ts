// Runs in main: a worker script as a detached Node child (its own process group, so Ctrl-C reaches main
// only and main decides when it stops) with an IPC channel, keeping the last lines of its stderr.
import { fork, type ChildProcess } from 'node:child_process'

export interface ForkedWorker {
  child: ChildProcess
  /** The last three lines it wrote on stderr (a native abort's message), joined, or undefined. */
  stderrTail(): string | undefined
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
  const tail: string[] = []
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim()) tail.push(line.trim())
    while (tail.length > 8) tail.shift()
  })
  // An IPC error after the child died must not take main down; the exit handler reports it.
  child.on('error', () => {})
  return {
    child,
    stderrTail: () => tail.slice(-3).join(' | ') || undefined,
    kill(signal) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal)
      } catch {
        child.kill(signal)
      }
    },
  }
}
