import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIXTURES, ROOT, sleep } from '../../test/helpers/cli.ts'

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('exitWithParent', () => {
  it('ends a worker whose main thread is busy when its parent is killed', async () => {
    const parent = spawn(process.execPath, [path.join(FIXTURES, 'workers/parentOfBlocked.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const pid = await new Promise<number>((resolve) =>
      parent.stdout!.once('data', (d) => resolve(Number(String(d).trim()))),
    )
    await sleep(500)
    expect(alive(pid)).toBe(true)
    parent.kill('SIGKILL')
    for (let waited = 0; alive(pid) && waited < 20_000; waited += 250) await sleep(250)
    const survived = alive(pid)
    if (survived) process.kill(pid, 'SIGKILL')
    expect(survived).toBe(false)
  }, 40_000)
})
