// One parent-death rule for both worker hosts: when main dies, a trial worker stops its trial and
// leaves, and the process group of a command objective goes with it. The utility-process case runs
// the worker entry with Electron's process.parentPort and no IPC channel (Electron cannot run here).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const PARENT = fileURLToPath(new URL('../helpers/workerParent.ts', import.meta.url))

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function gone(pid: number, withinMs: number): Promise<boolean> {
  const end = Date.now() + withinMs
  while (Date.now() < end) {
    if (!alive(pid)) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return !alive(pid)
}

const leftovers: number[] = []
afterEach(() => {
  for (const pid of leftovers.splice(0))
    try {
      process.kill(-pid, 'SIGKILL')
    } catch {
      // gone, as it should be
    }
})

describe.each(['node', 'utility'])('a trial worker whose parent dies (%s host)', (mode) => {
  it('stops the command it runs and exits', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-parent-death-'))
    const parent = spawn(process.execPath, ['--import', 'tsx', PARENT, mode, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const started = await new Promise<{ worker: number; pgid: number }>((resolve, reject) => {
      createInterface({ input: parent.stdout }).once('line', (l) => resolve(JSON.parse(l)))
      parent.once('exit', (code) => reject(new Error(`the parent exited early (${code})`)))
    })
    leftovers.push(started.pgid, started.worker)
    expect(alive(started.pgid)).toBe(true)

    parent.kill('SIGKILL')
    // The rule checks every 0.5 s; the command gets SIGTERM (sleep ends at once), the worker then exits.
    expect(await gone(started.pgid, 15_000)).toBe(true)
    expect(await gone(started.worker, 15_000)).toBe(true)
    rmSync(dir, { recursive: true, force: true })
  })
})

describe('a worker whose main thread is busy when its parent dies', () => {
  it('is ended by its watch thread (exitWithParent)', async () => {
    const parent = spawn(
      process.execPath,
      [fileURLToPath(new URL('../fixtures/workers/parentOfBlocked.mjs', import.meta.url))],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    const worker = await new Promise<number>((resolve) =>
      createInterface({ input: parent.stdout }).once('line', (l) => resolve(Number(l))),
    )
    leftovers.push(worker)
    expect(alive(worker)).toBe(true)
    parent.kill('SIGKILL')
    expect(await gone(worker, 20_000)).toBe(true)
  })
})
