// The engine's promise: kill `hpo-studio run` outright at random moments and nothing is lost.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { createRng } from '../../src/shared/rng.ts'
import type { Config } from '../../src/shared/searchSpace.ts'
import {
  FIXTURES,
  processesWithMarker,
  runCli,
  sleep,
  startCli,
  tempDir,
  writeStudy,
} from '../helpers/cli.ts'

function runningTrials(db: string): number {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return (
        raw.prepare("SELECT count(*) AS n FROM trials WHERE state = 'running'").get() as {
          n: number
        }
      ).n
    } finally {
      raw.close()
    }
  } catch {
    return 0
  }
}

describe('SIGKILL of a running study', () => {
  it('loses no completed trial, leaves no process behind, and resumes to the full budget with the same configurations', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'studies.sqlite')
    const marker = `HPO_TEST_MARKER=${randomUUID()}`
    const file = writeStudy(dir, {
      name: 'crashy',
      direction: 'minimize',
      objective: {
        kind: 'command',
        run: [process.execPath, path.join(FIXTURES, 'commands/steps.mjs')],
        env: { SLEEP_MS: '200', STEPS: '4' },
      },
      space: { x: { type: 'float', low: -2, high: 2 }, y: { type: 'int', low: 0, high: 5 } },
      tuner: { kind: 'random' },
      budget: { trials: 20 },
      concurrency: 2,
      seed: 3,
    })
    const env = { HPO_TEST_MARKER: marker.split('=')[1] }
    const rng = createRng(11)
    const completed = new Map<number, Config>()
    const interrupted = new Map<number, Config>()

    for (let kill = 0; kill < 5; kill++) {
      const { child, result } = startCli(['run', file, '--db', db], env)
      // The kill lands at a random moment while trials run (start-up time varies with the machine's load).
      for (let waited = 0; runningTrials(db) === 0 && waited < 60_000; waited += 50) await sleep(50)
      await sleep(rng.next() * 1500)
      child.kill('SIGKILL')
      await result
      // Workers notice their parent is gone and end their commands' process groups (SIGTERM, SIGKILL after 5 s).
      let left = await processesWithMarker(marker)
      for (let waited = 0; left.length && waited < 12_000; waited += 250) {
        await sleep(250)
        left = await processesWithMarker(marker)
      }
      expect(left).toEqual([])

      const raw = new Database(db, { readonly: true })
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
      raw.close()
      const store = openStudyStore(db)
      store.recoverStaleTrials()
      const study = store.getStudy('crashy')!
      const trials = store.listTrials(study.id)
      for (const [n, params] of completed) {
        const t = trials.find((x) => x.number === n)
        expect(t?.state, `trial ${n} was complete before kill ${kill}`).toBe('complete')
        expect(t?.params).toEqual(params)
      }
      for (const t of trials) {
        if (t.state === 'complete') completed.set(t.number, t.params)
        if (t.state === 'interrupted') interrupted.set(t.number, t.params)
        expect(t.state).not.toBe('running')
      }
      store.close()
    }
    expect(interrupted.size).toBeGreaterThan(0)

    const final = await runCli(['resume', 'crashy', '--db', db, '--json'], env)
    expect(final.code, final.stderr).toBe(0)
    const store = openStudyStore(db)
    const study = store.getStudy('crashy')!
    const trials = store.listTrials(study.id)
    expect(study.state).toBe('finished')
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(20)
    for (const [n, params] of interrupted)
      expect(trials.find((t) => t.number === n)?.params).toEqual(params)
    store.close()
  }, 240_000)
})
