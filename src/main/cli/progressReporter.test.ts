import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { TrialPlacement } from '../../shared/trialPlacement.ts'
import { createProgressReporter } from './progressReporter.ts'

const placement = (p: Partial<TrialPlacement>): TrialPlacement => ({
  executor: 'slurm',
  jobName: 'hpo-x-3',
  jobId: '12',
  queue: 'pending',
  reason: 'Resources',
  node: null,
  ...p,
})

describe('the progress lines', () => {
  it("say when a trial waits in Slurm's queue and when it reaches a node", () => {
    const out = new PassThrough()
    let text = ''
    out.on('data', (d: Buffer) => (text += String(d)))
    const r = createProgressReporter({ mode: 'lines', done: 0, total: 5, best: null, out })
    const at = { type: 'trial-placement', studyId: 1, trialNumber: 3 } as const
    r.onEvent({ ...at, placement: placement({ queue: 'submitted', jobId: null, reason: null }) })
    r.onEvent({ ...at, placement: placement({}) })
    r.onEvent({ ...at, placement: placement({ queue: 'running', reason: null, node: 'n1' }) })
    expect(text.split('\n').filter(Boolean)).toEqual([
      "trial 3 pending (Resources) in Slurm's queue, job 12",
      'trial 3 running on n1, job 12',
    ])
  })
})
