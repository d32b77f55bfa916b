// The run loop under pressure (issue 14): Ctrl-C the moment a run starts, trials imported while a study runs.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import {
  FIXTURES,
  processesWithMarker,
  sleep,
  startCli,
  tempDir,
  writeStudy,
} from '../helpers/cli.ts'

const slowStudy = (name: string, trials: number, sleepMs = 300) => ({
  name,
  direction: 'minimize',
  objective: {
    kind: 'command',
    run: [process.execPath, path.join(FIXTURES, 'commands/steps.mjs')],
    env: { SLEEP_MS: String(sleepMs), STEPS: '3' },
  },
  space: { x: { type: 'float', low: -1, high: 1 } },
  budget: { trials },
  seed: 1,
})

function leaseTaken(db: string): boolean {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return raw.prepare('SELECT count(*) FROM study_leases').pluck().get() === 1
    } finally {
      raw.close()
    }
  } catch {
    return false
  }
}

describe('the run loop under pressure', () => {
  it('stops on Ctrl-C during start-up: exit 130, lease released, no worker left', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const marker = randomUUID()
    const file = writeStudy(dir, slowStudy('early-stop', 3))
    const { child, result } = startCli(['run', file, '--db', db], { HPO_TEST_MARKER: marker })
    while (!leaseTaken(db)) await sleep(10)
    child.kill('SIGINT')
    const r = await result
    expect(r.signal).toBeNull()
    expect(r.code).toBe(130)
    expect(leaseTaken(db)).toBe(false)
    const store = openStudyStore(db)
    const study = store.getStudy('early-stop')!
    expect(study.state).not.toBe('running')
    expect(store.listTrials(study.id).filter((t) => t.state === 'running')).toEqual([])
    store.close()
    let left = await processesWithMarker(`HPO_TEST_MARKER=${marker}`)
    for (let waited = 0; left.length && waited < 5000; waited += 250) {
      await sleep(250)
      left = await processesWithMarker(`HPO_TEST_MARKER=${marker}`)
    }
    expect(left).toEqual([])
  }, 60_000)

  it('counts trials imported during a run against its budget at once', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, slowStudy('imported-midway', 6, 500))
    const { result } = startCli(['run', file, '--db', db, '--json'])
    while (!leaseTaken(db)) await sleep(50)
    const store = openStudyStore(db)
    const id = store.getStudy('imported-midway')!.id
    // the run has counted its finished trials: what comes now must be counted while it runs
    while (!store.listTrials(id).some((t) => t.state === 'complete')) await sleep(50)
    store.importTrials(
      id,
      [0.1, 0.2, 0.3].map((x) => ({ params: { x }, value: x })),
    )
    const r = await result
    expect(r.code, r.stderr).toBe(0)
    const trials = store.listTrials(id)
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(6)
    store.close()
  }, 120_000)
})
