// Runs in every worker process: the parent-death rule of connectToParent.ts (the parent pid changes)
// for a worker whose main thread is busy (a tuner deep in a computation never runs its timers). A
// thread of its own watches the parent pid; once the worker is orphaned, it gives the main thread
// graceMs to clean up (a command's process group) and then ends the process. Either host.
import { Worker } from 'node:worker_threads'
import { PARENT_CHECK_MS } from './connectToParent.ts'

const WATCH = `
const { workerData } = require('node:worker_threads')
const timer = setInterval(() => {
  if (process.ppid === workerData.parent) return
  clearInterval(timer)
  setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.graceMs)
}, workerData.checkMs)
`

export function exitWithParent(graceMs: number): void {
  const watcher = new Worker(WATCH, {
    eval: true,
    execArgv: [],
    workerData: { parent: process.ppid, pid: process.pid, graceMs, checkMs: PARENT_CHECK_MS },
  })
  // the watch must never keep the worker alive, nor take it down if the thread fails to start
  watcher.on('error', () => {})
  watcher.unref()
}
