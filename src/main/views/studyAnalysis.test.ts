import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFixtureStudies, createFixtureStudy } from '../../../test/helpers/analysisFixtures.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import {
  agentTimeline,
  compareTrials,
  contourData,
  createAnalysisContext,
  exportStudyFile,
  learningCurves,
  listTrialFiles,
  paramPoints,
  readTrialFile,
  sliceData,
  studiesOverlay,
  studyHistory,
  studyImportance,
  studyLive,
  trialSnippets,
  type AnalysisContext,
} from './studyAnalysis.ts'

let dir: string
let store: StudyStore
let ctx: AnalysisContext & { close(): void }
let f: ReturnType<typeof createFixtureStudies>

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-analysis-'))
  store = openStudyStore(path.join(dir, 'studies.sqlite'))
  f = createFixtureStudies(store)
  ctx = createAnalysisContext(store)
})
afterAll(() => {
  ctx?.close()
  store?.close()
  rmSync(dir, { recursive: true, force: true })
})

const trialsOf = (s: StudyRecord) => store.listTrials(s.id)

describe('studyHistory', () => {
  it('draws complete values and a best-so-far line that pruned and failed trials never join (minimize)', async () => {
    const h = await studyHistory(ctx, f.synthetic.id)
    const trials = trialsOf(f.synthetic)
    const complete = trials.filter((t) => t.state === 'complete')
    expect(h.direction).toBe('minimize')
    expect(h.complete.map((p) => p.number)).toEqual(complete.map((t) => t.number))
    expect(h.pruned.map((p) => p.number)).toEqual(
      trials.filter((t) => t.state === 'pruned').map((t) => t.number),
    )
    expect(h.failed).toEqual(trials.filter((t) => t.state === 'failed').map((t) => t.number))
    expect(h.pruned.length).toBeGreaterThan(0)
    expect(h.failed.length).toBeGreaterThan(0)
    const best = Math.min(...complete.map((t) => t.value as number))
    expect(h.bestSoFar.at(-1)!.value).toBeCloseTo(best, 4)
    for (let i = 1; i < h.bestSoFar.length; i++)
      expect(h.bestSoFar[i].value).toBeLessThanOrEqual(h.bestSoFar[i - 1].value)
    const prunedNumbers = new Set(h.pruned.map((p) => p.number))
    expect(h.bestSoFar.slice(0, -1).some((p) => prunedNumbers.has(p.number))).toBe(false)
  })

  it('rises for a maximized study', async () => {
    const h = await studyHistory(ctx, f.gbdt.id)
    expect(h.direction).toBe('maximize')
    for (let i = 1; i < h.bestSoFar.length; i++)
      expect(h.bestSoFar[i].value).toBeGreaterThanOrEqual(h.bestSoFar[i - 1].value)
  })

  it('downsamples a big study but keeps every improvement', async () => {
    const big = createFixtureStudy(store, {
      name: 'big-history',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    store.importTrials(
      big.id,
      Array.from({ length: 5000 }, (_, i) => ({
        params: { x1: 0, x2: 0 },
        value: 100 / (1 + i) + ((i * 7919) % 13),
      })),
    )
    const h = await studyHistory(ctx, big.id, { maxPoints: 300 })
    expect(h.total).toBe(5000)
    expect(h.downsampled).toBe(true)
    expect(h.complete.length).toBeLessThan(300 + h.bestSoFar.length)
    const kept = new Set(h.complete.map((p) => p.number))
    for (const p of h.bestSoFar.slice(0, -1)) expect(kept.has(p.number)).toBe(true)
    expect(JSON.stringify(h).length).toBeLessThan(
      40 * (h.complete.length + h.bestSoFar.length) + 200,
    )
  })
})

describe('learningCurves', () => {
  it('gives the top K complete trials best first, then the running ones', async () => {
    const curves = await learningCurves(ctx, f.gbdt.id, { top: 3 })
    const complete = trialsOf(f.gbdt)
      .filter((t) => t.state === 'complete')
      .sort((a, b) => (b.value as number) - (a.value as number) || a.number - b.number)
    expect(curves.slice(0, 3).map((c) => c.trialNumber)).toEqual(
      complete.slice(0, 3).map((t) => t.number),
    )
    const running = trialsOf(f.gbdt).filter((t) => t.state === 'running')
    expect(curves.slice(3).map((c) => c.trialNumber)).toEqual(running.map((t) => t.number))
    expect(curves[0].points).toBe(20)
    expect(curves[0].steps).toHaveLength(20)
    expect(curves.at(-1)!.points).toBe(10)
  })

  it('downsamples each curve and keeps the selection order', async () => {
    const curves = await learningCurves(ctx, f.gbdt.id, { trials: [5, 2, 999], maxPoints: 6 })
    expect(curves.map((c) => c.trialNumber)).toEqual([5, 2])
    for (const c of curves) {
      expect(c.steps.length).toBeLessThanOrEqual(6)
      expect(c.steps[0]).toBe(1)
    }
  })

  it('thins "all" to maxTrials spread over the study, keeping the best', async () => {
    const curves = await learningCurves(ctx, f.gbdt.id, { all: true, maxTrials: 15 })
    expect(curves.length).toBe(15)
    const best = trialsOf(f.gbdt)
      .filter((t) => t.state === 'complete')
      .sort((a, b) => (b.value as number) - (a.value as number))[0]
    expect(curves.some((c) => c.trialNumber === best.number)).toBe(true)
  })

  it('draws every trial under "all" when they fit, pruned and failed ones too', async () => {
    const curves = await learningCurves(ctx, f.synthetic.id, { all: true })
    const trials = trialsOf(f.synthetic)
    expect(curves.map((c) => c.trialNumber)).toEqual(trials.map((t) => t.number))
    expect(curves.filter((c) => c.state === 'pruned').length).toBeGreaterThan(0)
  })
})

describe('paramPoints, sliceData, contourData', () => {
  it('puts params on their axes: log flags, choice indices, inactive blank', () => {
    const pts = paramPoints(ctx, f.gbdt.id)
    const axis = (n: string) => pts.axes.findIndex((a) => a.name === n)
    expect(pts.axes[axis('eta')]).toMatchObject({ log: true, low: 0.001, high: 0.3 })
    expect(pts.axes[axis('booster')].choices).toEqual(['gbtree', 'gblinear'])
    expect(pts.axes[axis('max_depth')].conditional).toBe(true)
    pts.numbers.forEach((n, k) => {
      const t = store.getTrial(f.gbdt.id, n)!
      expect(pts.columns[axis('booster')][k]).toBe(t.params.booster === 'gbtree' ? 0 : 1)
      if (t.params.booster === 'gblinear') expect(pts.columns[axis('max_depth')][k]).toBeNull()
      else expect(pts.columns[axis('max_depth')][k]).toBe(t.params.max_depth)
    })
    expect(pts.states.every((s) => s === 'complete' || s === 'pruned')).toBe(true)
    expect(pts.sampled).toBe(false)
  })

  it('subsamples a big study and keeps its best trials', () => {
    const pts = paramPoints(ctx, f.gbdt.id, { maxTrials: 20 })
    expect(pts.numbers).toHaveLength(20)
    expect(pts.sampled).toBe(true)
    const bestValue = Math.max(
      ...trialsOf(f.gbdt)
        .filter((t) => t.state === 'complete')
        .map((t) => t.value as number),
    )
    expect(Math.max(...pts.values)).toBeCloseTo(bestValue, 5)
  })

  it('slices one parameter over the trials where it is active', () => {
    const s = sliceData(ctx, f.gbdt.id, 'max_depth')
    const withValue = trialsOf(f.gbdt).filter(
      (t) => (t.state === 'complete' || t.state === 'pruned') && t.value !== null,
    )
    const active = withValue.filter((t) => 'max_depth' in t.params)
    expect(s.xs).toHaveLength(active.length)
    expect(s.inactive).toBe(withValue.length - active.length)
    expect(s.inactive).toBeGreaterThan(0)
    expect(() => sliceData(ctx, f.gbdt.id, 'nope')).toThrow(/"nope" is not a parameter/)
  })

  it('interpolates a contour on a log-spaced grid, blank far from any trial', () => {
    const c = contourData(ctx, f.gbdt.id, 'eta', 'lambda', { grid: 10 })
    expect(c.gridX).toHaveLength(10)
    expect(c.z).toHaveLength(10)
    expect(c.z[0]).toHaveLength(10)
    // Log spacing: equal ratios between neighbouring cells.
    expect(c.gridX[1] / c.gridX[0]).toBeCloseTo(c.gridX[9] / c.gridX[8], 2)
    const values = c.points.values
    for (const row of c.z)
      for (const z of row)
        if (z !== null) {
          expect(z).toBeGreaterThanOrEqual(Math.min(...values) - 1e-9)
          expect(z).toBeLessThanOrEqual(Math.max(...values) + 1e-9)
        }
    const sparse = contourData(ctx, f.gbdt.id, 'eta', 'lambda', { grid: 10, radius: 0.01 })
    expect(sparse.z.flat().some((z) => z === null)).toBe(true)
    const cat = contourData(ctx, f.gbdt.id, 'booster', 'eta', { grid: 6 })
    expect(cat.gridX).toEqual([0, 1])
  })

  it('follows the study view’s filter in every plot; parallel coordinates keep the rest as context', async () => {
    const filter = {
      paramChoices: { booster: ['gbtree'] },
      paramRanges: { eta: { max: 0.05 } },
    }
    const passes = trialsOf(f.gbdt).filter(
      (t) =>
        t.params.booster === 'gbtree' &&
        (t.params.eta as number) <= 0.05 &&
        (t.state === 'complete' || t.state === 'pruned'),
    )
    expect(passes.length).toBeGreaterThan(3)
    const slice = sliceData(ctx, f.gbdt.id, 'eta', { filter })
    expect([...slice.numbers].sort((a, b) => a - b)).toEqual(passes.map((t) => t.number))
    const contour = contourData(ctx, f.gbdt.id, 'eta', 'lambda', { filter })
    expect(contour.points.numbers).toEqual(
      passes.filter((t) => t.state === 'complete').map((t) => t.number),
    )
    const h = await studyHistory(ctx, f.gbdt.id, { filter })
    expect(h.counts.complete + h.counts.pruned).toBe(passes.length)
    const pts = paramPoints(ctx, f.gbdt.id, { filter })
    expect(pts.inFilter!.filter(Boolean)).toHaveLength(passes.length)
    expect(pts.numbers.length).toBeGreaterThan(passes.length)
    expect(paramPoints(ctx, f.gbdt.id).inFilter).toBeNull()
    // A sample keeps every trial the filter passes.
    const few = paramPoints(ctx, f.gbdt.id, { filter, maxTrials: passes.length + 2 })
    expect(few.inFilter!.filter(Boolean)).toHaveLength(passes.length)
  })
})

describe('studyImportance', () => {
  it('ranks what matters first, with a spread over seeds, and caches until trials change', async () => {
    const imp = await studyImportance(ctx, f.gbdt.id, { seeds: [0, 1], nTrees: 16 })
    expect(imp.params.map((p) => p.name)).toHaveLength(4)
    expect(imp.params[0].perSeed).toHaveLength(2)
    expect(imp.params.reduce((a, p) => a + p.mean, 0)).toBeCloseTo(1, 6)
    expect(imp.params.find((p) => p.name === 'lambda')!.mean).toBeLessThan(0.1)
    expect(imp.cached).toBe(false)
    const again = await studyImportance(ctx, f.gbdt.id, { seeds: [0, 1], nTrees: 16 })
    expect(again.cached).toBe(true)
    const t = store.createTrial(f.gbdt.id, {
      state: 'running',
      params: { booster: 'gblinear', eta: 0.1, lambda: 1 },
    })
    store.finishTrial(t.id, { state: 'complete', value: 0.5 })
    const fresh = await studyImportance(ctx, f.gbdt.id, { seeds: [0, 1], nTrees: 16 })
    expect(fresh.cached).toBe(false)
    expect(fresh.completeTrials).toBe(imp.completeTrials + 1)
  })
})

describe('compareTrials and studiesOverlay', () => {
  it('lists only the params that differ, the same ones apart, and overlays the curves', async () => {
    const trials = trialsOf(f.command)
      .filter((t) => t.state === 'complete')
      .slice(0, 3)
    const view = await compareTrials(
      ctx,
      f.command.id,
      trials.map((t) => t.number),
    )
    expect(view.trials.map((t) => t.number)).toEqual(trials.map((t) => t.number))
    for (const d of view.differing) expect(new Set(d.values.map(String)).size).toBeGreaterThan(1)
    for (const d of view.differing)
      d.values.forEach((v, i) =>
        expect(v).toBe(d.name in trials[i].params ? trials[i].params[d.name] : null),
      )
    expect(view.differing.map((d) => d.name)).toContain('lr')
    expect(view.curves.map((c) => c.trialNumber)).toEqual(trials.map((t) => t.number))
    const twice = await compareTrials(ctx, f.command.id, [trials[0].number, trials[0].number])
    expect(twice.differing).toEqual([])
    expect(twice.same.map((s) => s.name)).toEqual(
      Object.keys(trials[0].params).sort(
        (a, b) =>
          ['optimizer', 'lr', 'momentum', 'layers'].indexOf(a) -
          ['optimizer', 'lr', 'momentum', 'layers'].indexOf(b),
      ),
    )
    await expect(compareTrials(ctx, f.command.id, [9999])).rejects.toThrow(/has no trial 9999/)
  })

  it('overlays several studies and warns when their directions differ', async () => {
    const o = await studiesOverlay(ctx, [f.synthetic.id, f.command.id])
    expect(o.studies.map((s) => s.name)).toEqual(['branin-tpe', 'command-mlp'])
    expect(o.warning).toMatch(/metrics/)
    const mixed = await studiesOverlay(ctx, [f.synthetic.id, f.gbdt.id])
    expect(mixed.warning).toMatch(/do not share a direction/)
    expect(mixed.studies[1].tunerKind).toBe('random')
  })
})

describe('agentTimeline', () => {
  it('tracks each param in real units, episodes, model phases once each', () => {
    const a = agentTimeline(ctx, f.cnn.id)!
    expect(a.tuner).toBe('mbrl')
    expect(a.total).toBe(30)
    expect(a.trialNumbers).toHaveLength(30)
    const lr = a.params.find((p) => p.name === 'learning_rate')!
    expect(lr.log).toBe(true)
    lr.mean.forEach((m, i) => {
      expect(m).toBeGreaterThanOrEqual(lr.low[i]!)
      expect(m).toBeLessThanOrEqual(lr.high[i]!)
      expect(m).toBeGreaterThanOrEqual(0.001)
    })
    const pool = a.params.find((p) => p.name === 'pool1_type')!
    expect(pool.choices).toEqual(['max', 'average'])
    expect(pool.mean.every((m) => m === 0 || m === 1)).toBe(true)
    expect(a.modelPhases.map((p) => p.atRealEpisode)).toEqual([10, 20])
    expect(a.modelPhases[1].skipped).toBe(true)
    expect(agentTimeline(ctx, f.cnn.id, { maxPoints: 7 })!.trialNumbers).toHaveLength(7)
    expect(agentTimeline(ctx, f.synthetic.id)).toBeNull()
  })
})

describe('studyLive', () => {
  it('counts states, names the best, shows running trials with their latest value and an ETA', () => {
    const now = Date.now() + 5000
    const live = studyLive(store, f.command.id, now)
    const trials = trialsOf(f.command)
    expect(live.counts.running).toBe(1)
    expect(live.counts.failed).toBe(trials.filter((t) => t.state === 'failed').length)
    const best = trials
      .filter((t) => t.state === 'complete')
      .sort((a, b) => (a.value as number) - (b.value as number))[0]
    expect(live.best).toMatchObject({ number: best.number, value: best.value })
    expect(live.running[0].latest).toEqual({ step: 5, value: expect.any(Number) })
    expect(live.running[0].steps).toBe(5)
    expect(live.running[0].elapsedMs).toBeGreaterThanOrEqual(5000)
    expect(live.etaMs).not.toBeNull()
    expect(studyLive(store, f.synthetic.id).etaMs).toBeNull()
  })
})

describe('trial files, exports and snippets', () => {
  it('lists and reads what a trial wrote, and nothing outside its folder', async () => {
    const trialDir = path.join(dir, 'artifacts', 'command-mlp', '0')
    mkdirSync(path.join(trialDir, 'ckpt'), { recursive: true })
    writeFileSync(path.join(trialDir, 'metrics.json'), '{"loss": 0.3}')
    writeFileSync(path.join(trialDir, 'ckpt', 'w.bin'), Buffer.from([0, 1, 2, 3]))
    writeFileSync(path.join(dir, 'secret.txt'), 'no')
    const list = await listTrialFiles(store, f.command.id, 0)
    expect(list.exists).toBe(true)
    expect(list.files.map((x) => [x.path, x.sizeBytes])).toEqual([
      ['ckpt/w.bin', 4],
      ['metrics.json', 13],
    ])
    const text = await readTrialFile(store, f.command.id, 0, 'metrics.json')
    expect(text).toMatchObject({ text: '{"loss": 0.3}', truncated: false })
    expect((await readTrialFile(store, f.command.id, 0, 'ckpt/w.bin')).text).toBeNull()
    await expect(readTrialFile(store, f.command.id, 0, '../../../secret.txt')).rejects.toThrow(
      /not inside the trial's folder/,
    )
    expect((await listTrialFiles(store, f.command.id, 1)).exists).toBe(false)
  })

  it('exports the selected trials as CSV and writes snippets for the objective', () => {
    const csv = exportStudyFile(store, f.command.id, { format: 'csv', trials: [0, 2, 4] })
    expect(csv.fileName).toBe('command-mlp-3-trials.csv')
    expect(csv.mimeType).toBe('text/csv')
    expect(csv.text.trim().split('\n')).toHaveLength(4)
    const top = exportStudyFile(store, f.gbdt.id, { format: 'yaml', top: 3 })
    expect(top.fileName).toBe('letter-xgboost-top3.yaml')
    expect(top.text).toMatch(/^name: letter-xgboost$/m)
    const snippets = trialSnippets(store, f.command.id, 0)
    expect(snippets.map((s) => s.id)).toEqual(['command-line', 'config-json'])
    expect(trialSnippets(store, f.gbdt.id, 0)[0].id).toBe('xgboost-python')
  })
})
