// Runs in every worker process: a worker must not outlive the process that started it, even when its
// main thread is busy (a tuner deep in a computation never gets to its 'disconnect' handler). A thread
// of its own watches the parent pid; once the worker is orphaned (re-parented), it gives the main
// thread graceMs to clean up (a command's process group) and then ends the process. Either host.
import { Worker } from 'node:worker_threads'

const WATCH = `
const { workerData } = require('node:worker_threads')
const timer = setInterval(() => {
  if (process.ppid === workerData.parent) return
  clearInterval(timer)
  setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.graceMs)
}, 500)
`

export function exitWithParent(graceMs: number): void {
  const watcher = new Worker(WATCH, {
    eval: true,
    execArgv: [],
    workerData: { parent: process.ppid, pid: process.pid, graceMs },
  })
  // the watch must never keep the worker alive, nor take it down if the thread fails to start
  watcher.on('error', () => {})
  watcher.unref()
}
