// The engine's promise: kill `hpo-studio run` outright at random moments and nothing is lost.
import { describe, expect, it } from 'vitest'
import { runKillLoop } from '../helpers/killLoop.ts'

describe('SIGKILL of a running study', () => {
  it('loses no completed trial, leaves no process behind, and resumes to the full budget with the same configurations', async () => {
    const r = await runKillLoop({ kills: 5, budget: 20, seed: 11 })
    expect(r).toMatchObject({
      kills: 5,
      completeLost: [],
      leftRunning: 0,
      orphans: 0,
      integrityFailures: 0,
      paramsChanged: 0,
      finalState: 'finished',
      finalComplete: 20,
    })
    expect(r.interrupted).toBeGreaterThan(0)
  }, 240_000)
})
