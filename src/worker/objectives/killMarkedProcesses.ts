// Runs in a trial worker: ends every process a trial started, even those that left its process group
// (setsid and a double fork: a daemon). Each of them inherited the trial's environment, so its
// HPO_TRIAL_DIR marks it; /proc says whose environment holds it. Linux only (elsewhere the process
// group is all that is ended); a program that clears its environment escapes, as it would escape
// anything short of a cgroup.
import { readdirSync, readFileSync } from 'node:fs'

/** Pids of live processes whose environment holds the exact `NAME=value` entry. */
export function markedProcesses(entry: string): number[] {
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return []
  }
  const needle = Buffer.from(`\0${entry}\0`)
  const pids: number[] = []
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      // entries are NUL-terminated; a leading NUL lets the first one match too
      const env = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${name}/environ`)])
      if (env.includes(needle)) pids.push(Number(name))
    } catch {
      // gone, or not ours to read
    }
  }
  return pids
}

/** SIGKILLs the marked processes; a few passes catch one that forks while it is being killed. */
export function killMarkedProcesses(entry: string): void {
  for (let pass = 0; pass < 3; pass++) {
    const pids = markedProcesses(entry)
    if (!pids.length) return
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
}
