// What every StudyStore must do, written once against the interface (optuna's StorageTestCase):
// studies, trials and their lifecycle, logs, queries, tuner state, leases, control, settings, datasets.
import { afterEach, describe, expect, it } from 'vitest'
import type { StudyStore } from '../../src/main/store/studyStore.ts'
import { storeGoalsConformance } from './storeGoalsConformance.ts'
import { storeLeaseConformance } from './storeLeaseConformance.ts'
import {
  agentSnapshot,
  braninSpec,
  dataset,
  expectStoreError,
  ISO,
  type OpenTestStore,
} from './storeTestHelpers.ts'

export type { OpenTestStore, StoreTestOptions } from './storeTestHelpers.ts'

export function storeConformance(name: string, open: OpenTestStore): void {
  describe(`StudyStore conformance: ${name}`, () => {
    let opened: StudyStore[] = []
    const fresh: OpenTestStore = (options) => {
      const store = open(options)
      opened.push(store)
      return store
    }
    afterEach(() => {
      for (const s of opened) s.close()
      opened = []
    })

    describe('studies', () => {
      it('creates a study and reads it back by id and by name', () => {
        const s = fresh()
        const spec = braninSpec('b', { notes: 'first', tags: ['x'], seed: 3 })
        const study = s.createStudy(spec)
        expect(study).toMatchObject({ name: 'b', state: 'created', seed: 3, notes: 'first' })
        expect(study.tags).toEqual(['x'])
        expect(study.spec).toEqual(spec)
        expect(study.runningMs).toBe(0)
        expect(study.error).toBeNull()
        expect(study.createdAt).toMatch(ISO)
        expect(s.getStudy(study.id)).toEqual(study)
        expect(s.getStudy('b')).toEqual(study)
        expect(s.getStudy('nope')).toBeNull()
        expect(s.getStudy(9999)).toBeNull()
      })

      it('refuses a second study with the same name', () => {
        const s = fresh()
        s.createStudy(braninSpec('b'))
        expectStoreError(() => s.createStudy(braninSpec('b')), 'STUDY_NAME_TAKEN')
      })

      it('sets state and error, notes, tags, name, running time', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec('b'))
        s.createStudy(braninSpec('taken'))
        s.setStudyState(id, 'failed', 'no trial completed')
        expect(s.getStudy(id)).toMatchObject({ state: 'failed', error: 'no trial completed' })
        s.setStudyState(id, 'running')
        expect(s.getStudy(id)).toMatchObject({ state: 'running', error: null })
        s.updateStudyMeta(id, { name: 'b2', notes: 'n', tags: ['a', 'b'] })
        const renamed = s.getStudy('b2')!
        expect(renamed).toMatchObject({ id, notes: 'n', tags: ['a', 'b'] })
        expect(renamed.spec.name).toBe('b2')
        expectStoreError(() => s.updateStudyMeta(id, { name: 'taken' }), 'STUDY_NAME_TAKEN')
        const slurm = { kind: 'slurm' as const, cpusPerTrial: 2, gpusPerTrial: 0, extra: [] }
        s.updateStudyMeta(id, { executor: slurm })
        expect(s.getStudy(id)!.spec.executor).toEqual(slurm)
        s.updateStudyMeta(id, { executor: null })
        expect(s.getStudy(id)!.spec).not.toHaveProperty('executor')
        s.addRunningTime(id, 1500)
        s.addRunningTime(id, 250)
        expect(s.getStudy(id)!.runningMs).toBe(1750)
        expectStoreError(() => s.setStudyState(999, 'running'), 'STUDY_NOT_FOUND')
        expectStoreError(() => s.addRunningTime(999, 1), 'STUDY_NOT_FOUND')
        expectStoreError(() => s.updateStudyMeta(999, { notes: '' }), 'STUDY_NOT_FOUND')
      })

      it('summarizes studies: done, running, budget, best among complete trials only', () => {
        const s = fresh()
        const min = s.createStudy(braninSpec('min', { budget: { trials: 40 } }))
        const max = s.createStudy(
          braninSpec('max', {
            direction: 'maximize',
            objective: { kind: 'command', run: ['true'] },
            space: { x: { type: 'float', low: 0, high: 1 } },
          }),
        )
        s.createStudy(braninSpec('empty'))
        const finish = (
          studyId: number,
          state: 'complete' | 'pruned' | 'failed',
          v: number | null,
        ) =>
          s.finishTrial(s.createTrial(studyId, { state: 'running', params: {} }).id, {
            state,
            value: v,
          })
        for (const id of [min.id, max.id]) {
          finish(id, 'complete', 3)
          finish(id, 'complete', 1)
          finish(id, 'complete', 5)
          finish(id, 'pruned', 0.5)
          finish(id, 'pruned', 9)
          finish(id, 'failed', null)
          s.createTrial(id, { state: 'running', params: {} })
          s.createTrial(id, { state: 'queued', params: {} })
        }
        const [a, b, c] = s.listStudies()
        expect(a).toMatchObject({
          name: 'min',
          direction: 'minimize',
          metric: 'value',
          objectiveKind: 'synthetic',
          tunerKind: 'random',
          trialsDone: 6,
          trialsRunning: 1,
          budgetTrials: 40,
          bestValue: 1,
          bestTrialNumber: 1,
        })
        expect(a.bestChangedAt).toBe(s.getTrial(min.id, 1)!.finishedAt)
        expect(b).toMatchObject({ name: 'max', bestValue: 5, bestTrialNumber: 2, trialsDone: 6 })
        expect(c).toMatchObject({ name: 'empty', trialsDone: 0, trialsRunning: 0 })
        expect(c).toMatchObject({ bestValue: null, bestTrialNumber: null, bestChangedAt: null })
      })

      it('deletes a study with everything that belongs to it', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec('b'))
        const other = s.createStudy(braninSpec('other'))
        const t = s.createTrial(id, { state: 'running', params: { x1: 1 } }, new Uint8Array([1]))
        s.addIntermediate(t.id, 0, 1)
        s.appendTrialLog(t.id, 'stdout', 'hello')
        s.acquireLease(id, { pid: process.pid, host: 'h' })
        s.requestControl(id, 'stop', 'cli')
        const ds = s.registerDataset(dataset('/d.csv', 'h1'))
        s.linkStudyDataset(id, ds.id, 'train')
        const kept = s.createTrial(other.id, { state: 'queued', params: {} })
        s.deleteStudy(id)
        expect(s.getStudy(id)).toBeNull()
        expect(s.getTrial(id, 0)).toBeNull()
        expect(s.getTunerState(id)).toBeNull()
        expect(s.getLease(id)).toBeNull()
        expect(s.takeControlRequests(id)).toEqual([])
        expect(s.listStudyDatasets(id)).toEqual([])
        expectStoreError(() => s.getTrialLog(t.id), 'TRIAL_NOT_FOUND')
        expect(s.getDatasetByPath('/d.csv')).not.toBeNull()
        expect(s.getTrial(other.id, 0)).toEqual(kept)
        expectStoreError(() => s.deleteStudy(id), 'STUDY_NOT_FOUND')
      })
    })

    describe('trials', () => {
      it('numbers trials 0, 1, 2… per study and keeps what they carry', () => {
        const s = fresh()
        const a = s.createStudy(braninSpec('a'))
        const b = s.createStudy(braninSpec('b'))
        const snapshot = agentSnapshot()
        const t0 = s.createTrial(a.id, {
          state: 'running',
          params: { x1: 0.5, x2: 3, c: 'dart', flag: true },
          tunerData: { actions: [0.1, -0.2], logProb: -1.5 },
          agentSnapshot: snapshot,
          userAttrs: { source: 'test' },
        })
        const t1 = s.createTrial(a.id, { state: 'queued', params: { x1: 1 } })
        const u0 = s.createTrial(b.id, { state: 'queued', params: {} })
        expect([t0.number, t1.number, u0.number]).toEqual([0, 1, 0])
        expect(t0).toMatchObject({ studyId: a.id, state: 'running', value: null, error: null })
        expect(t0.startedAt).toMatch(ISO)
        expect(t1.startedAt).toBeNull()
        expect(s.getTrial(a.id, 0)).toEqual(t0)
        expect(t0.params).toEqual({ x1: 0.5, x2: 3, c: 'dart', flag: true })
        expect(t0.tunerData).toEqual({ actions: [0.1, -0.2], logProb: -1.5 })
        expect(t0.agentSnapshot).toEqual(snapshot)
        expect(t0.userAttrs).toEqual({ source: 'test' })
        expect(t1).toMatchObject({ tunerData: null, agentSnapshot: null, userAttrs: {} })
        expect(s.getTrial(a.id, 7)).toBeNull()
        expectStoreError(
          () => s.createTrial(999, { state: 'queued', params: {} }),
          'STUDY_NOT_FOUND',
        )
      })

      it('saves the tuner state with the trial it proposed', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        expect(s.getTunerState(id)).toBeNull()
        s.createTrial(id, { state: 'running', params: {} }, new Uint8Array([1, 2, 3]))
        expect(s.getTunerState(id)).toEqual(new Uint8Array([1, 2, 3]))
        s.saveTunerState(id, new Uint8Array([9]))
        expect(s.getTunerState(id)).toEqual(new Uint8Array([9]))
        expectStoreError(() => s.saveTunerState(999, new Uint8Array([1])), 'STUDY_NOT_FOUND')
      })

      it('finishes a trial with the tuner state in one step and marks it told', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const t = s.createTrial(id, { state: 'running', params: {}, userAttrs: { a: 1 } })
        const after = { ...agentSnapshot(), realEpisodes: 1 }
        s.finishTrial(
          t.id,
          { state: 'complete', value: 0.4, userAttrs: { b: 'x' }, backend: 'synthetic' },
          { state: new Uint8Array([4, 2]), agentSnapshot: after },
        )
        const done = s.getTrial(id, 0)!
        expect(done).toMatchObject({ state: 'complete', value: 0.4, backend: 'synthetic' })
        expect(done.userAttrs).toEqual({ a: 1, b: 'x' })
        expect(done.agentSnapshot).toEqual(after)
        expect(done.finishedAt).toMatch(ISO)
        expect(s.getTunerState(id)).toEqual(new Uint8Array([4, 2]))
        expect(s.listUntoldFinished(id)).toEqual([])
        expectStoreError(() => s.finishTrial(t.id, { state: 'complete', value: 1 }), 'BAD_STATE')
        expectStoreError(
          () => s.finishTrial(12345, { state: 'complete', value: 1 }),
          'TRIAL_NOT_FOUND',
        )
      })

      it('lists finished trials the tuner was not told about until markTold', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const t0 = s.createTrial(id, { state: 'running', params: {} })
        const t1 = s.createTrial(id, { state: 'running', params: {} })
        s.createTrial(id, { state: 'running', params: {} })
        s.finishTrial(t1.id, { state: 'failed', value: null, error: 'exit code 1' })
        s.finishTrial(t0.id, { state: 'complete', value: 2 })
        expect(s.listUntoldFinished(id).map((t) => t.number)).toEqual([0, 1])
        expect(s.getTrial(id, 1)!.error).toBe('exit code 1')
        s.markTold(t0.id, new Uint8Array([7]))
        expect(s.listUntoldFinished(id).map((t) => t.number)).toEqual([1])
        expect(s.getTunerState(id)).toEqual(new Uint8Array([7]))
        const stillRunning = s.getTrial(id, 2)!
        expectStoreError(() => s.markTold(stillRunning.id, new Uint8Array([8])), 'BAD_STATE')
        expect(s.getTunerState(id)).toEqual(new Uint8Array([7]))
      })

      it('gives a pruned trial its last intermediate value when none is passed', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const t = s.createTrial(id, { state: 'running', params: {} })
        s.addIntermediate(t.id, 0, 5)
        s.addIntermediate(t.id, 2, 3)
        s.addIntermediate(t.id, 1, 4)
        s.finishTrial(t.id, { state: 'pruned', value: null })
        expect(s.getTrial(id, 0)).toMatchObject({ state: 'pruned', value: 3 })
      })

      it('stores intermediate values by step; a repeated step overwrites', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const a = s.createTrial(id, { state: 'running', params: {} })
        const b = s.createTrial(id, { state: 'running', params: {} })
        const c = s.createTrial(id, { state: 'queued', params: {} })
        s.addIntermediate(a.id, 2, 0.2)
        s.addIntermediate(a.id, 0, 0.5)
        s.addIntermediate(a.id, 2, 0.1)
        s.addIntermediate(b.id, 0, NaN)
        const all = s.getIntermediateValues(id)
        expect(all.get(a.id)).toEqual([
          { step: 0, value: 0.5 },
          { step: 2, value: 0.1 },
        ])
        expect(all.get(b.id)![0].value).toBeNaN()
        expect(all.get(c.id) ?? []).toEqual([])
        const some = s.getIntermediateValues(id, [b.id])
        expect([...some.keys()]).toEqual([b.id])
        const curves = s.listTrialCurves(id)
        expect(curves.map((t) => [t.number, t.state])).toEqual([
          [0, 'running'],
          [1, 'running'],
          [2, 'queued'],
        ])
        expect(curves[0].intermediate).toEqual(all.get(a.id))
        expect(curves[1].intermediate[0].value).toBeNaN()
        expect(curves[2].intermediate).toEqual([])
        expectStoreError(() => s.addIntermediate(99999, 0, 1), 'TRIAL_NOT_FOUND')
      })

      it('starts queued and interrupted trials, clearing the previous attempt', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const q = s.createTrial(id, { state: 'queued', params: { x1: 1 } })
        s.startTrial(q.id)
        const started = s.getTrial(id, 0)!
        expect(started.state).toBe('running')
        expect(started.startedAt).toMatch(ISO)
        s.addIntermediate(q.id, 0, 1)
        s.appendTrialLog(q.id, 'stdout', 'first attempt')
        s.interruptTrial(q.id, 'interrupted: stopped by the user')
        expect(s.getTrial(id, 0)).toMatchObject({
          state: 'interrupted',
          error: 'interrupted: stopped by the user',
        })
        s.startTrial(q.id)
        expect(s.getTrial(id, 0)).toMatchObject({ state: 'running', error: null, value: null })
        expect(s.getIntermediateValues(id).get(q.id) ?? []).toEqual([])
        expect(s.getTrialLog(q.id).stdout).toBe('')
        expectStoreError(() => s.startTrial(q.id), 'BAD_STATE')
        s.finishTrial(q.id, { state: 'complete', value: 1 })
        expectStoreError(() => s.interruptTrial(q.id, 'x'), 'BAD_STATE')
        expectStoreError(() => s.startTrial(4242), 'TRIAL_NOT_FOUND')
      })

      it('imports known results as complete, untold trials', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        s.createTrial(id, { state: 'queued', params: {} })
        const imported = s.importTrials(id, [
          { params: { x1: 1, x2: 2 }, value: 3, userAttrs: { source: 'csv' } },
          { params: { x1: 2, x2: 2 }, value: 1 },
        ])
        expect(imported.map((t) => [t.number, t.state, t.value])).toEqual([
          [1, 'complete', 3],
          [2, 'complete', 1],
        ])
        expect(imported[0]).toMatchObject({ startedAt: null, userAttrs: { source: 'csv' } })
        expect(imported[0].finishedAt).toMatch(ISO)
        expect(s.getTrial(id, 2)).toEqual(imported[1])
        expect(s.listUntoldFinished(id).map((t) => t.number)).toEqual([1, 2])
        expect(s.listStudies()[0]).toMatchObject({ bestValue: 1, bestTrialNumber: 2 })
        expectStoreError(() => s.importTrials(999, []), 'STUDY_NOT_FOUND')
      })

      it('sets backend and test score, and lists trials by state', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const t = s.createTrial(id, { state: 'running', params: {} })
        s.createTrial(id, { state: 'queued', params: {} })
        s.setTrialBackend(t.id, 'tfjs wasm')
        s.finishTrial(t.id, { state: 'complete', value: 1 })
        s.setTestScore(t.id, 0.91)
        expect(s.getTrial(id, 0)).toMatchObject({ backend: 'tfjs wasm', testScore: 0.91 })
        expect(s.listTrials(id).map((x) => x.number)).toEqual([0, 1])
        expect(s.listTrials(id, ['queued']).map((x) => x.number)).toEqual([1])
        expect(s.listTrials(id, ['running', 'failed'])).toEqual([])
        expectStoreError(() => s.setTrialBackend(777, 'x'), 'TRIAL_NOT_FOUND')
        expectStoreError(() => s.setTestScore(777, 1), 'TRIAL_NOT_FOUND')
      })

      it("keeps a trial's Slurm placement until a new attempt starts", () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const t = s.createTrial(id, { state: 'queued', params: {} })
        expect(s.getTrial(id, 0)?.placement).toBeNull()
        s.startTrial(t.id)
        const placement = {
          executor: 'slurm' as const,
          jobName: 'hpo-x-0',
          jobId: '12',
          queue: 'pending' as const,
          reason: 'Resources',
          node: null,
        }
        s.setTrialPlacement(t.id, placement)
        expect(s.getTrial(id, 0)?.placement).toEqual(placement)
        s.interruptTrial(t.id, 'node n1 failed under job 12')
        expect(s.getTrial(id, 0)?.placement).toEqual(placement)
        s.startTrial(t.id)
        expect(s.getTrial(id, 0)?.placement).toBeNull()
        expectStoreError(() => s.setTrialPlacement(777, null), 'TRIAL_NOT_FOUND')
      })
    })

    describe('trial logs', () => {
      it('keeps both streams apart, in order', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const t = s.createTrial(id, { state: 'running', params: {} })
        s.appendTrialLog(t.id, 'stdout', 'a\n')
        s.appendTrialLog(t.id, 'stderr', 'warn\n')
        s.appendTrialLog(t.id, 'stdout', 'b\n')
        expect(s.getTrialLog(t.id)).toEqual({
          stdout: 'a\nb\n',
          stderr: 'warn\n',
          truncated: false,
        })
        expectStoreError(() => s.appendTrialLog(555, 'stdout', 'x'), 'TRIAL_NOT_FOUND')
      })

      it('keeps the first and the last part of a long stream and says it was cut', () => {
        const s = fresh({ logLimitChars: 10 })
        const { id } = s.createStudy(braninSpec())
        const t = s.createTrial(id, { state: 'running', params: {} })
        s.appendTrialLog(t.id, 'stdout', 'abcdefgh')
        s.appendTrialLog(t.id, 'stdout', 'ijklmnop')
        s.appendTrialLog(t.id, 'stdout', 'qrst')
        s.appendTrialLog(t.id, 'stdout', 'uvwxyz0123456789')
        s.appendTrialLog(t.id, 'stderr', 'short')
        const log = s.getTrialLog(t.id)
        expect(log.truncated).toBe(true)
        expect(log.stdout.startsWith('abcdefghij')).toBe(true)
        expect(log.stdout.endsWith('0123456789')).toBe(true)
        expect(log.stdout).toContain('16 characters')
        expect(log.stderr).toBe('short')
      })
    })

    describe('queryTrials', () => {
      const setup = (s: StudyStore) => {
        const { id } = s.createStudy(braninSpec())
        const rows: [string, number | null, Record<string, number | string>][] = [
          ['complete', 5, { x1: 1, 'lr.base-1': 0.1, c: 'a' }],
          ['complete', 2, { x1: 4, 'lr.base-1': 0.3, c: 'b' }],
          ['pruned', 7, { x1: 2, c: 'a' }],
          ['failed', null, { x1: 3, 'lr.base-1': 0.2 }],
          ['running', null, { x1: 5, 'lr.base-1': 0.05 }],
        ]
        for (const [state, value, params] of rows) {
          const t = s.createTrial(id, { state: 'running', params })
          if (state !== 'running') s.finishTrial(t.id, { state: state as 'complete', value: value })
        }
        return id
      }
      const numbers = (r: { trials: { number: number }[] }) => r.trials.map((t) => t.number)

      it('filters by state, parameter range and value range, with a total', () => {
        const s = fresh()
        const id = setup(s)
        expect(numbers(s.queryTrials(id, {}))).toEqual([0, 1, 2, 3, 4])
        expect(numbers(s.queryTrials(id, { states: ['complete', 'pruned'] }))).toEqual([0, 1, 2])
        const ranged = s.queryTrials(id, { paramRanges: { x1: { min: 2, max: 4 } } })
        expect(numbers(ranged)).toEqual([1, 2, 3])
        expect(ranged.total).toBe(3)
        const dotted = s.queryTrials(id, { paramRanges: { 'lr.base-1': { max: 0.2 } } })
        expect(numbers(dotted)).toEqual([0, 3, 4])
        expect(numbers(s.queryTrials(id, { paramRanges: { c: { min: 0 } } }))).toEqual([])
        expect(numbers(s.queryTrials(id, { valueMin: 2, valueMax: 5 }))).toEqual([0, 1])
      })

      it('sorts with nulls last and pages, the total counting every match', () => {
        const s = fresh()
        const id = setup(s)
        const q = (sort: NonNullable<Parameters<StudyStore['queryTrials']>[1]['sort']>) =>
          numbers(s.queryTrials(id, { sort }))
        expect(q({ by: 'value' })).toEqual([1, 0, 2, 3, 4])
        expect(q({ by: 'value', desc: true })).toEqual([2, 0, 1, 3, 4])
        expect(q({ by: 'number', desc: true })).toEqual([4, 3, 2, 1, 0])
        expect(q({ by: 'state' })).toEqual([4, 0, 1, 2, 3])
        expect(q({ by: 'param:lr.base-1' })).toEqual([4, 0, 3, 1, 2])
        expect(q({ by: 'param:lr.base-1', desc: true })).toEqual([1, 3, 0, 4, 2])
        expect(q({ by: 'duration' }).slice(-1)).toEqual([4])
        const page = s.queryTrials(id, { sort: { by: 'value' }, offset: 1, limit: 2 })
        expect(numbers(page)).toEqual([0, 2])
        expect(page.total).toBe(5)
      })

      it('stays fast on a 10,000-trial study', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const trials = Array.from({ length: 10_000 }, (_, i) => ({
          params: { x1: (i * 7919) % 1000, x2: (i % 97) / 97, c: i % 2 ? 'a' : 'b' },
          value: ((i * 104729) % 10_007) / 10,
        }))
        s.importTrials(id, trials)
        const t0 = performance.now()
        const best = s.queryTrials(id, { sort: { by: 'value' }, limit: 50 })
        const filtered = s.queryTrials(id, {
          states: ['complete'],
          paramRanges: { x1: { min: 100, max: 600 } },
          sort: { by: 'param:x2', desc: true },
          offset: 100,
          limit: 50,
        })
        const summary = s.listStudies()
        const ms = performance.now() - t0
        expect(best.total).toBe(10_000)
        expect(best.trials[0].value).toBe(0)
        expect(filtered.trials).toHaveLength(50)
        expect(filtered.total).toBe(
          trials.filter((t) => t.params.x1 >= 100 && t.params.x1 <= 600).length,
        )
        expect(summary[0]).toMatchObject({ trialsDone: 10_000, bestValue: 0 })
        expect(ms).toBeLessThan(1000)
      })
    })

    storeLeaseConformance(fresh)
    storeGoalsConformance(fresh)

    describe('settings', () => {
      it('reads, writes and lists JSON settings', () => {
        const s = fresh()
        expect(s.getSetting('theme')).toBeUndefined()
        s.setSetting('theme', 'dark')
        s.setSetting('limits', { cores: 2, gpu: false, list: [1, null] })
        s.setSetting('theme', 'light')
        expect(s.getSetting('theme')).toBe('light')
        expect(s.listSettings()).toEqual({
          limits: { cores: 2, gpu: false, list: [1, null] },
          theme: 'light',
        })
      })
    })

    describe('datasets', () => {
      it('registers a dataset once per path and links it to studies with the hash of the time', () => {
        const s = fresh()
        const { id } = s.createStudy(braninSpec())
        const d = s.registerDataset(dataset('/data/letter.csv', 'h1'))
        expect(d).toMatchObject({ name: 'letter', kind: 'tabular', hash: 'h1', shape: [20000, 16] })
        expect(d.classMapping).toEqual({ A: 0, B: 1 })
        expect(d.createdAt).toMatch(ISO)
        s.linkStudyDataset(id, d.id, 'train')
        const v = s.registerDataset({ ...dataset('/data/valid.csv', 'v1'), classMapping: null })
        s.linkStudyDataset(id, v.id, 'validation')
        const again = s.registerDataset(dataset('/data/letter.csv', 'h2'))
        expect(again.id).toBe(d.id)
        expect(s.getDatasetByPath('/data/letter.csv')!.hash).toBe('h2')
        expect(s.getDatasetByPath('/nope')).toBeNull()
        const links = s.listStudyDatasets(id)
        expect(links.map((l) => [l.role, l.dataset.hash, l.hashAtLink])).toEqual([
          ['train', 'h2', 'h1'],
          ['validation', 'v1', 'v1'],
        ])
        expect(links[1].dataset.classMapping).toBeNull()
        expectStoreError(() => s.linkStudyDataset(id, 999, 'test'), 'DATASET_NOT_FOUND')
        expectStoreError(() => s.linkStudyDataset(999, d.id, 'test'), 'STUDY_NOT_FOUND')
      })
    })
  })
}
