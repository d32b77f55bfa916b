// The study runner with real worker processes, a real SQLite file and real command objectives.
import { readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startStudyRun, type StudyRun } from '../../src/main/runner/studyRunner.ts'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { createNodeChildHost } from '../../src/main/workers/nodeChildHost.ts'
import type { StudyEvent } from '../../src/shared/studyEvent.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import { FIXTURES, tempDir } from '../helpers/cli.ts'

const holder = { pid: process.pid, host: os.hostname() }
const stores: StudyStore[] = []
afterEach(() => {
  for (const s of stores.splice(0)) s.close()
})

function setup(raw: Record<string, unknown>): { store: StudyStore; studyId: number; dir: string } {
  const dir = tempDir()
  const store = openStudyStore(path.join(dir, 'studies.sqlite'))
  stores.push(store)
  const parsed = parseStudySpec(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('\n'))
  const study = store.createStudy({ ...parsed.value, seed: parsed.value.seed ?? 0 })
  return { store, studyId: study.id, dir }
}

function start(
  store: StudyStore,
  studyId: number,
  _dir: string,
  events: StudyEvent[] = [],
): Promise<StudyRun> {
  return startStudyRun({
    store,
    studyId,
    workers: createNodeChildHost(),
    holder,
    onEvent: (e) => events.push(e),
    heartbeatMs: 300,
  })
}

const command = (args: string[], extra: Record<string, unknown> = {}) => ({
  kind: 'command',
  run: [process.execPath, ...args],
  ...extra,
})

describe('study runner', () => {
  it('runs a synthetic study to its budget and keeps the best', async () => {
    const { store, studyId, dir } = setup({
      name: 'b',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      budget: { trials: 6 },
      seed: 1,
    })
    const events: StudyEvent[] = []
    const run = await start(store, studyId, dir, events)
    expect((await run.done).state).toBe('finished')
    const trials = store.listTrials(studyId)
    expect(trials.map((t) => t.state)).toEqual(Array(6).fill('complete'))
    const summary = store.listStudies()[0]
    expect(summary.bestValue).toBe(Math.min(...trials.map((t) => t.value!)))
    expect(events.filter((e) => e.type === 'trial-finished')).toHaveLength(6)
    expect(store.getTunerState(studyId)).not.toBeNull()
    expect(store.getLease(studyId)).toBeNull()
  })

  it('records why a pruned trial stopped: the step, its value and the pruner’s rule', async () => {
    const { store, studyId, dir } = setup({
      name: 'pruned',
      direction: 'minimize',
      objective: command([path.join(FIXTURES, 'commands/steps.mjs')], {
        env: { SLEEP_MS: '20', STEPS: '4' },
      }),
      space: { x: { type: 'float', low: -3, high: 3 } },
      pruner: { kind: 'median', minTrials: 1 },
      budget: { trials: 8 },
      seed: 2,
    })
    const run = await start(store, studyId, dir)
    expect((await run.done).state).toBe('finished')
    const pruned = store.listTrials(studyId).filter((t) => t.state === 'pruned')
    expect(pruned.length).toBeGreaterThan(0)
    for (const t of pruned)
      expect(t.error).toMatch(
        /^pruned at step \d+ \(value [\d.e+-]+\): worse than the median of the complete trials at that step \(median pruner/,
      )
  })

  it('runs two trials at once at concurrency 2', async () => {
    const { store, studyId, dir } = setup({
      name: 'c2',
      direction: 'minimize',
      objective: command([path.join(FIXTURES, 'commands/steps.mjs')], {
        env: { SLEEP_MS: '300', STEPS: '3' },
      }),
      space: { x: { type: 'float', low: -1, high: 1 } },
      budget: { trials: 4 },
      concurrency: 2,
    })
    const run = await start(store, studyId, dir)
    expect((await run.done).state).toBe('finished')
    const times = store
      .listTrials(studyId)
      .map(
        (t) =>
          JSON.parse(
            readFileSync(path.join(dir, 'artifacts', 'c2', String(t.number), 'times.json'), 'utf8'),
          ) as { start: number; end: number },
      )
    const overlaps = times.some((a, i) =>
      times.some((b, j) => i < j && a.start < b.end && b.start < a.end),
    )
    expect(overlaps).toBe(true)
    for (const t of store.listTrials(studyId))
      expect(store.getIntermediateValues(studyId, [t.id]).get(t.id)).toHaveLength(3)
  })

  it.each([
    ['garbage', /printed no final/],
    ['exit1', /exited with code 1; stderr: something went wrong/],
    ['nan', /reported value NaN/],
    ['kill-worker', /trial worker crashed \(signal SIGKILL\)/],
  ])(
    'fails a trial whose command %s, with the reason, and the study goes on',
    async (mode, message) => {
      const { store, studyId, dir } = setup({
        name: `bad-${mode}`,
        direction: 'minimize',
        objective: command([path.join(FIXTURES, 'commands/misbehave.mjs'), mode]),
        space: { x: { type: 'float', low: 0, high: 1 } },
        budget: { trials: 2 },
      })
      store.createTrial(studyId, { state: 'queued', params: { x: 0.5 } })
      const run = await start(store, studyId, dir)
      const outcome = await run.done
      const trials = store.listTrials(studyId)
      expect(trials).toHaveLength(2)
      for (const t of trials) {
        expect(t.state).toBe('failed')
        expect(t.error).toMatch(message)
      }
      expect(outcome.state).toBe('failed')
      expect(outcome.error).toMatch(/no trial completed \(2 failed/)
    },
  )

  it('fails a trial that hangs past its time limit and kills its process group', async () => {
    const { store, studyId, dir } = setup({
      name: 'hang',
      direction: 'minimize',
      objective: command([path.join(FIXTURES, 'commands/misbehave.mjs'), 'ignore-term'], {
        timeoutSeconds: 2,
      }),
      space: { x: { type: 'float', low: 0, high: 1 } },
      budget: { trials: 1 },
    })
    const t0 = Date.now()
    const run = await start(store, studyId, dir)
    await run.done
    const [trial] = store.listTrials(studyId)
    expect(trial.state).toBe('failed')
    expect(trial.error).toMatch(/time limit of 2 s/)
    // SIGTERM is ignored by the command, so only the SIGKILL after the grace period ends it.
    expect(Date.now() - t0).toBeGreaterThan(6000)
  })

  it('pauses (running trials finish), resumes, and stops (running trials interrupted, then re-run)', async () => {
    const { store, studyId, dir } = setup({
      name: 'pause-stop',
      direction: 'minimize',
      objective: command([path.join(FIXTURES, 'commands/steps.mjs')], {
        env: { SLEEP_MS: '200', STEPS: '4' },
      }),
      space: { x: { type: 'float', low: -1, high: 1 } },
      budget: { trials: 5 },
    })
    const events: StudyEvent[] = []
    let run = await start(store, studyId, dir, events)
    await waitFor(() => events.some((e) => e.type === 'trial-started'))
    run.pause()
    const paused = await run.done
    expect(paused.state).toBe('paused')
    expect(store.listTrials(studyId).map((t) => t.state)).toEqual(['complete'])

    run = await start(store, studyId, dir, events)
    await waitFor(() =>
      store.listTrials(studyId).some((t) => t.state === 'running' && t.number >= 1),
    )
    run.stop()
    expect((await run.done).state).toBe('stopped')
    const interrupted = store.listTrials(studyId).filter((t) => t.state === 'interrupted')
    expect(interrupted).toHaveLength(1)

    run = await start(store, studyId, dir, events)
    expect((await run.done).state).toBe('finished')
    const trials = store.listTrials(studyId)
    expect(trials.filter((t) => t.state === 'complete')).toHaveLength(5)
    const rerun = trials.find((t) => t.number === interrupted[0].number)!
    expect(rerun.state).toBe('complete')
    expect(rerun.params).toEqual(interrupted[0].params)
  })

  it('fails a trial past trialTimeoutSeconds for any objective kind', async () => {
    const { store, studyId, dir } = setup({
      name: 'slow',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin', delayMs: 30_000 },
      trialTimeoutSeconds: 1,
      budget: { trials: 1 },
    })
    const run = await start(store, studyId, dir)
    await run.done
    expect(store.listTrials(studyId)[0]).toMatchObject({
      state: 'failed',
      error: 'the trial exceeded its time limit of 1 s',
    })
  })

  it('ends at the minutes budget, counting running time only', async () => {
    const { store, studyId, dir } = setup({
      name: 'minutes',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin', delayMs: 400 },
      budget: { trials: 100, minutes: 0.03 },
    })
    const run = await start(store, studyId, dir)
    expect((await run.done).state).toBe('finished')
    const done = store.listTrials(studyId).filter((t) => t.state === 'complete').length
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(10)
    expect(store.getStudy(studyId)!.runningMs).toBeGreaterThanOrEqual(1800)
  })

  it('runs queued trials before the tuner proposals', async () => {
    const { store, studyId, dir } = setup({
      name: 'q',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      budget: { trials: 3 },
    })
    store.createTrial(studyId, { state: 'queued', params: { x1: Math.PI, x2: 2.275 } })
    const run = await start(store, studyId, dir)
    await run.done
    const first = store.getTrial(studyId, 0)!
    expect(first.state).toBe('complete')
    expect(first.value).toBeCloseTo(0.397887, 5)
    expect(store.listStudies()[0].bestTrialNumber).toBe(0)
  })
})

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const t0 = Date.now()
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 50))
  }
}
