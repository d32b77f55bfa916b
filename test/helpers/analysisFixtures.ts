// Fixture studies for the analysis tests, the UI e2e test and the UI benchmark: one per objective kind
// (conditional spaces included), trials written through the real StudyStore.
import type { AgentSnapshot } from '../../src/shared/agentSnapshot.ts'
import { createRng, type Rng } from '../../src/shared/rng.ts'
import { decodeUnit, sampleConfig } from '../../src/shared/spaceCodec.ts'
import type { Config, ParamSpec } from '../../src/shared/searchSpace.ts'
import type { StudyRecord } from '../../src/shared/study.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import type { StudyStore } from '../../src/main/store/studyStore.ts'

export function createFixtureStudy(
  store: StudyStore,
  raw: Record<string, unknown>,
  seed = 1,
): StudyRecord {
  const parsed = parseStudySpec(raw)
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '))
  return store.createStudy({ ...parsed.value, seed })
}

export interface FillOptions {
  trials: number
  seed?: number
  /** The objective of a configuration (noise-free). */
  value: (params: Config, rng: Rng) => number
  /** Intermediate values per trial (a curve that approaches the final value). */
  steps?: number
  /** Chance that a trial is pruned halfway / fails. */
  pruneRate?: number
  failRate?: number
  /** Trials left running at the end (with half of their curve reported). */
  running?: number
  /** An RL agent snapshot recorded with each proposal. */
  agent?: (trialIndex: number, params: ParamSpec[]) => AgentSnapshot
}

/** Writes trials the way the runner does: created running, intermediate values, then finished. */
export function fillStudy(store: StudyStore, study: StudyRecord, o: FillOptions): void {
  const rng = createRng(o.seed ?? 7)
  const space = study.spec.space
  const steps = o.steps ?? 0
  for (let i = 0; i < o.trials + (o.running ?? 0); i++) {
    const params = sampleConfig(space, rng)
    const value = o.value(params, rng)
    const trial = store.createTrial(study.id, {
      state: 'running',
      params,
      agentSnapshot: o.agent ? o.agent(i, space.params) : null,
    })
    const isRunning = i >= o.trials
    const roll = rng.next()
    const failed = !isRunning && roll < (o.failRate ?? 0)
    const pruned = !isRunning && !failed && roll < (o.failRate ?? 0) + (o.pruneRate ?? 0)
    const reported = isRunning || pruned ? Math.floor(steps / 2) : failed ? 1 : steps
    let last = value
    for (let s = 1; s <= reported; s++) {
      // Curves come from the worse side: down to a minimized value, up to a maximized one.
      const worse = study.spec.direction === 'minimize' ? 1 : -0.5
      last =
        value + worse * (value === 0 ? 1 : Math.abs(value)) * Math.exp(-s / 3) * (0.5 + rng.next())
      if (s === steps) last = value
      store.addIntermediate(trial.id, s, last)
    }
    if (isRunning) continue
    if (failed)
      store.finishTrial(trial.id, {
        state: 'failed',
        value: null,
        error: 'RuntimeError: out of memory',
      })
    else if (pruned)
      store.finishTrial(trial.id, { state: 'pruned', value: reported ? last : value })
    else store.finishTrial(trial.id, { state: 'complete', value })
  }
}

export const branin = (p: Config): number => {
  const x1 = Number(p.x1)
  const x2 = Number(p.x2)
  const b = 5.1 / (4 * Math.PI ** 2)
  const c = 5 / Math.PI
  return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10
}

/** A policy drifting towards the good region, with a model phase every 10 real episodes. */
export function agentSnapshotFor(i: number, params: ParamSpec[]): AgentSnapshot {
  const phase = Math.floor(i / 10)
  const spread = Math.max(0.08, 0.6 * Math.exp(-i / 25))
  return {
    tuner: 'mbrl',
    phase: 'real',
    realEpisodes: i,
    modelEpisodes: phase * 24,
    params: params.map((p, k) => {
      const mean = Math.tanh((i / 30) * (k % 2 ? -0.8 : 0.6))
      const at = (u: number) => decodeUnit(p, (Math.max(-1, Math.min(1, u)) + 1) / 2)
      return {
        name: p.name,
        mean,
        spread,
        meanValue: at(mean),
        lowValue: at(mean - spread),
        highValue: at(mean + spread),
      }
    }),
    delta: 0.4,
    kl: phase > 0 ? 0.42 - 0.01 * phase : null,
    lastModelPhase:
      phase > 0
        ? {
            atRealEpisode: phase * 10,
            episodes: phase === 2 ? 0 : 24,
            kl: phase === 2 ? 0 : 0.41,
            skipped: phase === 2,
            reason: phase === 2 ? 'surrogate R² -0.12 < 0' : undefined,
            surrogateR2: phase === 2 ? -0.12 : 0.3 + 0.05 * phase,
            ensembleSpread: phase === 2 ? null : 0.02 * phase,
          }
        : null,
    surrogateHoldoutError: phase > 0 ? 0.05 / phase : null,
    surrogateR2: phase > 0 ? 0.3 + 0.05 * phase : null,
  }
}

/** Four studies, one per objective kind: minimize and maximize, conditional spaces, an RL tuner, running trials. */
export function createFixtureStudies(
  store: StudyStore,
  scale = 1,
): Record<'synthetic' | 'gbdt' | 'cnn' | 'command', StudyRecord> {
  const synthetic = createFixtureStudy(store, {
    name: 'branin-tpe',
    direction: 'minimize',
    objective: { kind: 'synthetic', function: 'branin' },
    space: {
      x1: { type: 'float', low: -5, high: 10 },
      x2: { type: 'float', low: 0, high: 15 },
    },
    tuner: { kind: 'tpe' },
    budget: { trials: 60 * scale },
  })
  fillStudy(store, synthetic, {
    trials: 40 * scale,
    value: branin,
    steps: 8,
    pruneRate: 0.15,
    failRate: 0.05,
  })

  const gbdt = createFixtureStudy(store, {
    name: 'letter-xgboost',
    direction: 'maximize',
    metric: 'accuracy',
    objective: { kind: 'gbdt', dataset: 'letter.csv', target: 'letter' },
    space: {
      booster: { type: 'categorical', choices: ['gbtree', 'gblinear'] },
      max_depth: { type: 'int', low: 1, high: 12, when: { booster: ['gbtree'] } },
      eta: { type: 'float', low: 0.001, high: 0.3, log: true },
      lambda: { type: 'float', low: 0.001, high: 10, log: true },
    },
    tuner: { kind: 'random' },
    budget: { trials: 80 * scale },
    concurrency: 2,
  })
  fillStudy(store, gbdt, {
    trials: 60 * scale,
    running: 2,
    steps: 20,
    pruneRate: 0.1,
    value: (p) => {
      const depth = p.booster === 'gbtree' ? Number(p.max_depth) : 1
      const eta = Math.log10(Number(p.eta))
      return Math.min(0.99, 0.55 + 0.03 * depth - 0.04 * (eta + 1) ** 2)
    },
  })

  const cnn = createFixtureStudy(store, {
    name: 'fashion-cnn-mbrl',
    direction: 'maximize',
    metric: 'accuracy',
    objective: { kind: 'cnn', dataset: 'fashion-mnist', epochs: 5 },
    space: {
      learning_rate: { type: 'float', low: 0.001, high: 0.05, log: true },
      batch_size: { type: 'int', low: 24, high: 128 },
      pool1_type: { type: 'categorical', choices: ['max', 'average'] },
    },
    tuner: { kind: 'mbrl' },
    budget: { trials: 50 * scale },
  })
  fillStudy(store, cnn, {
    trials: 30 * scale,
    steps: 5,
    value: (p) =>
      0.9 -
      0.02 * (Math.log10(Number(p.learning_rate)) + 2) ** 2 -
      (p.pool1_type === 'max' ? 0 : 0.01),
    agent: agentSnapshotFor,
  })

  const command = createFixtureStudy(store, {
    name: 'command-mlp',
    direction: 'minimize',
    metric: 'loss',
    objective: { kind: 'command', run: ['python3', 'train.py'] },
    space: {
      optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
      lr: { type: 'float', low: 1e-4, high: 1, log: true },
      momentum: { type: 'float', low: 0, high: 0.99, when: { optimizer: ['sgd'] } },
      layers: { type: 'int', low: 1, high: 8 },
    },
    tuner: { kind: 'random' },
    budget: { trials: 30 * scale },
  })
  fillStudy(store, command, {
    trials: 25 * scale,
    running: 1,
    steps: 10,
    failRate: 0.08,
    value: (p) =>
      (Math.log10(Number(p.lr)) + 2.5) ** 2 +
      0.1 * Number(p.layers) +
      (p.optimizer === 'sgd' ? 0.5 - 0.4 * Number(p.momentum) : 0),
  })
  for (const s of [synthetic, cnn]) store.setStudyState(s.id, 'finished')
  for (const s of [gbdt, command]) store.setStudyState(s.id, 'running')
  return { synthetic, gbdt, cnn, command }
}
