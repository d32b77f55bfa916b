// Runs in a trial worker: the `gbdt` objective — real XGBoost through its C API on a CSV data set,
// reporting the validation metric after every boosting round.
import { writeFileSync } from 'node:fs'
import os from 'node:os'
import type { Objective } from '../../shared/objective.ts'
import type { Config } from '../../shared/searchSpace.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import {
  classificationMetric,
  correctCount,
  isGbdtMetric,
  type GbdtMetric,
} from '../xgboost/classificationMetrics.ts'
import { findXgboostLibrary } from '../xgboost/findXgboostLibrary.ts'
import {
  loadGbdtData,
  loadGbdtTestPart,
  type GbdtData,
  type GbdtObjectiveSpec,
} from '../xgboost/gbdtData.ts'
import {
  resultBooster,
  trainBooster,
  type TrainBoosterOptions,
  type TrainedBooster,
} from '../xgboost/trainBooster.ts'
import { loadXgboostLibrary, type XgboostLibrary } from '../xgboost/xgboostLibrary.ts'

export interface GbdtRunOptions {
  metric: string
  resources: TrialRunSpec['resources']
  /** Values the study asks for beyond the metric (train_seconds, model_bytes). */
  values?: readonly string[]
}

/** One core left free (architecture.md: with every core busy, OpenMP's spinning threads stalled rounds for seconds). */
export function defaultXgboostThreads(concurrency = 1): number {
  const cores = os.availableParallelism?.() ?? os.cpus().length
  return Math.max(1, Math.floor((cores - 1) / concurrency))
}

function gbdtMetric(metric: string): GbdtMetric {
  if (!isGbdtMetric(metric))
    throw new RangeError(
      `a gbdt objective reports accuracy, error, logloss or auc, got ${JSON.stringify(metric)}`,
    )
  return metric
}

const found = new Map<string, string>()

/** The XGBoost library a run's resources name, or the one found on this machine (looked up once per process). */
export function xgboostFor(resources: TrialRunSpec['resources']): XgboostLibrary {
  const key = `${resources.xgboostLibrary ?? ''}|${process.env.HPO_STUDIO_XGBOOST_LIB ?? ''}|${process.env.HPO_PYTHON ?? ''}`
  let libraryPath = found.get(key)
  if (!libraryPath) {
    libraryPath = findXgboostLibrary({ setting: resources.xgboostLibrary }).path
    found.set(key, libraryPath)
  }
  return loadXgboostLibrary(libraryPath)
}

interface TrainedConfig {
  lib: XgboostLibrary
  nthread: number
  data: GbdtData
  trained: TrainedBooster
  backend: string
  /** Wall time of the boosting rounds (data loading left out). */
  trainSeconds: number
}

async function trainConfig(
  objective: GbdtObjectiveSpec,
  run: GbdtRunOptions,
  params: Config,
  seed: number,
  extra: Pick<TrainBoosterOptions, 'signal' | 'onRound'> = {},
): Promise<TrainedConfig> {
  const metric = gbdtMetric(run.metric)
  const lib = xgboostFor(run.resources)
  const data = loadGbdtData(objective)
  const nthread = run.resources.nthread ?? defaultXgboostThreads()
  const t0 = performance.now()
  const trained = await trainBooster({
    lib,
    train: data.train,
    valid: data.valid,
    nClasses: data.classes.length,
    params: { ...objective.fixed, ...params },
    seed,
    nthread,
    metric,
    ...extra,
  })
  const trainSeconds = (performance.now() - t0) / 1000
  return {
    lib,
    nthread,
    data,
    trained,
    backend: `${lib.describe()} nthread=${nthread}`,
    trainSeconds,
  }
}

/** The gbdt objective for a trial worker; `run` carries the study's metric and the slot's resources. */
export function createGbdtObjective(objective: GbdtObjectiveSpec, run: GbdtRunOptions): Objective {
  gbdtMetric(run.metric)
  return {
    async run(params, ctx) {
      const { trained, backend, trainSeconds } = await trainConfig(
        objective,
        run,
        params,
        ctx.seed,
        { signal: ctx.signal, onRound: (round, value) => ctx.report(round, value) },
      )
      const values: Record<string, number> = {
        [run.metric]: trained.value,
        train_seconds: trainSeconds,
      }
      try {
        if (run.values?.includes('model_bytes')) values.model_bytes = modelBytes(trained)
      } finally {
        trained.booster.free()
      }
      const early = trained.resultRound !== trained.roundsTrained
      return {
        value: trained.value,
        values,
        backend,
        userAttrs: {
          rounds: trained.roundsTrained,
          ...(early ? { best_round: trained.resultRound } : {}),
        },
      }
    },
  }
}

/** The size of the trial's trees as XGBoost JSON (`export --model` adds feature names and classes). */
function modelBytes(trained: TrainedBooster): number {
  const booster = resultBooster(trained)
  try {
    return Buffer.byteLength(booster.modelJson(), 'utf8')
  } finally {
    if (booster !== trained.booster) booster.free()
  }
}

export interface SavedGbdtModel {
  file: string
  /** Rounds in the saved model (the best round's with early stopping). */
  rounds: number
  /** The validation metric of the saved model: the trial's value for the same params and seed. */
  value: number
  backend: string
}

/** Retrains a configuration with its seed and saves it as XGBoost JSON (export --model). */
export async function trainAndSaveGbdtModel(
  objective: GbdtObjectiveSpec,
  run: GbdtRunOptions,
  params: Config,
  seed: number,
  file: string,
): Promise<SavedGbdtModel> {
  const { trained, data, backend } = await trainConfig(objective, run, params, seed)
  const booster = resultBooster(trained)
  try {
    booster.setFeatureNames(data.featureNames)
    booster.setAttr('hpo_studio_classes', JSON.stringify(data.classes))
    booster.setAttr('hpo_studio_target', data.target)
    writeFileSync(file, booster.modelJson())
  } finally {
    if (booster !== trained.booster) booster.free()
    trained.booster.free()
  }
  return { file, rounds: trained.resultRound, value: trained.value, backend }
}

export interface GbdtTestScore {
  metric: GbdtMetric
  value: number
  rows: number
  correct: number
  backend: string
}

/** Trains a configuration with its seed (as its trial did) and scores it once on the objective's `test:` file. */
export async function scoreGbdtOnTest(
  objective: GbdtObjectiveSpec,
  run: GbdtRunOptions,
  params: Config,
  seed: number,
): Promise<GbdtTestScore> {
  const test = loadGbdtTestPart(objective)
  const { lib, trained, data, backend } = await trainConfig(objective, run, params, seed)
  const booster = resultBooster(trained)
  const dtest = lib.createDMatrix(test.features, test.rows, test.cols)
  try {
    const preds = booster.predict(dtest)
    const metric = gbdtMetric(run.metric)
    const nClasses = data.classes.length
    return {
      metric,
      value: classificationMetric(metric, preds, test.labels, nClasses),
      rows: test.rows,
      correct: correctCount(preds, test.labels, nClasses),
      backend,
    }
  } finally {
    dtest.free()
    if (booster !== trained.booster) booster.free()
    trained.booster.free()
  }
}
