// Every command's output arrives whole through a pipe, however slowly the reader reads.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { braninSpec } from '../conformance/storeTestHelpers.ts'
import { sleep, startCli, tempDir } from '../helpers/cli.ts'

function bigStudy(db: string): void {
  const store = openStudyStore(db)
  const study = store.createStudy(braninSpec('big', { budget: { trials: 3000 } }))
  store.importTrials(
    study.id,
    Array.from({ length: 3000 }, (_, i) => ({
      params: { x1: -5 + (i % 15) + 0.123456789, x2: (i % 15) + 0.987654321 },
      value: i / 7,
    })),
  )
  store.close()
}

/** Runs the command with a reader that waits before it reads, as `| less` or a busy `| jq` does. */
async function slowRead(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const { child, result } = startCli(args)
  child.stdout!.pause()
  await sleep(1500)
  child.stdout!.resume()
  const r = await result
  return { code: r.code, stdout: r.stdout }
}

describe('output through a pipe', () => {
  it('show --json, export and list arrive whole to a slow reader', async () => {
    const db = path.join(tempDir(), 'db.sqlite')
    bigStudy(db)
    const show = await slowRead(['show', 'big', '--db', db, '--json'])
    expect(show.code).toBe(0)
    expect(show.stdout.length).toBeGreaterThan(200_000)
    expect(JSON.parse(show.stdout).trials).toHaveLength(3000)
    const exported = await slowRead(['export', 'big', '--db', db, '--format', 'json'])
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.stdout).trials).toHaveLength(3000)
    const csv = await slowRead(['export', 'big', '--db', db, '--format', 'csv'])
    expect(csv.stdout.trim().split('\n')).toHaveLength(3001)
  }, 60_000)
})
