// Runs in a trial worker: XGBoost's boosting loop, one synchronous round at a time on this thread,
// with the validation metric after every round and a look at the abort signal between rounds.
import type { Config } from '../../shared/searchSpace.ts'
import {
  GBDT_OWN_PARAMS,
  unknownGbdtParamMessage,
  xgbParamString,
} from '../../shared/xgboostParams.ts'
import type { DatasetPart } from '../data/splitDataset.ts'
import { classificationMetric, isBetter, type GbdtMetric } from './classificationMetrics.ts'
import type { XgbBooster, XgbDMatrix, XgboostLibrary } from './xgboostLibrary.ts'

export interface TrainBoosterOptions {
  lib: XgboostLibrary
  train: DatasetPart
  valid: DatasetPart
  nClasses: number
  /** Tuned and fixed params together, with XGBoost's names plus n_estimators / early_stopping_rounds. */
  params: Config
  seed: number
  nthread: number
  metric: GbdtMetric
  signal?: AbortSignal
  /** Called after every round with the round number (1, 2, …) and the validation metric. */
  onRound?: (round: number, value: number) => void
  /** Let other work (a cancel message) run between rounds. Default true. */
  yieldBetweenRounds?: boolean
}

export interface TrainedBooster {
  /** The caller frees it. With early stopping it still holds every round trained. */
  booster: XgbBooster
  roundsTrained: number
  /** 1-based round whose metric is the result: the last one, or the best one with early stopping. */
  resultRound: number
  value: number
  /** The metric after each round. */
  values: number[]
  /** Validation predictions of the result round (rows, or rows × classes). */
  resultPredictions: Float32Array
}

export function abortError(): Error {
  const e = new Error('cancelled')
  e.name = 'AbortError'
  return e
}

function labelsAsFloat(labels: Int32Array): Float32Array {
  return Float32Array.from(labels)
}

function intParam(params: Config, name: string, fallback: number | null): number | null {
  const v = params[name]
  if (v === undefined) return fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new RangeError(`${name} must be an integer ≥ 1, got ${JSON.stringify(v)}`)
  return v
}

/** Refuses names XGBoost would ignore silently, and the ones HPO Studio sets itself. */
export function checkParamNames(params: Config): void {
  const problems = Object.keys(params).flatMap((name) => {
    const m = unknownGbdtParamMessage(name)
    return m ? [`params.${name}: ${m}`] : []
  })
  if (problems.length) throw new RangeError(problems.join('\n'))
}

/** XGBoost params for a booster: our choices first, then the study's (which may set seed/nthread). */
export function boosterParams(
  params: Config,
  nClasses: number,
  seed: number,
  nthread: number,
): [string, string][] {
  const own = new Set<string>(GBDT_OWN_PARAMS)
  const out: [string, string][] = [
    ['objective', nClasses === 2 ? 'binary:logistic' : 'multi:softprob'],
  ]
  if (nClasses > 2) out.push(['num_class', String(nClasses)])
  // validate_parameters: XGBoost says on stderr (kept in the trial's log) which parameters a
  // configuration does not use, as Python's xgboost has it say
  out.push(['nthread', String(nthread)], ['seed', String(seed)], ['validate_parameters', '1'])
  for (const [name, value] of Object.entries(params))
    if (!own.has(name)) out.push([name, xgbParamString(value)])
  return out
}

function makeDMatrix(lib: XgboostLibrary, part: DatasetPart): XgbDMatrix {
  const d = lib.createDMatrix(part.features, part.rows, part.cols)
  try {
    d.setLabels(labelsAsFloat(part.labels))
  } catch (e) {
    d.free()
    throw e
  }
  return d
}

/** Trains one configuration; rejects with an AbortError once `signal` aborts (no onRound after that). */
export async function trainBooster(o: TrainBoosterOptions): Promise<TrainedBooster> {
  checkParamNames(o.params)
  const rounds = intParam(o.params, 'n_estimators', 100) as number
  const patience = intParam(o.params, 'early_stopping_rounds', null)
  if (o.train.cols !== o.valid.cols)
    throw new RangeError(
      `training data has ${o.train.cols} features, validation data ${o.valid.cols}`,
    )
  if (o.signal?.aborted) throw abortError()

  const dtrain = makeDMatrix(o.lib, o.train)
  let dvalid: XgbDMatrix | null = null
  let booster: XgbBooster | null = null
  try {
    dvalid = makeDMatrix(o.lib, o.valid)
    // Both matrices in the booster's cache: predictions on dvalid grow by one round per call.
    booster = o.lib.createBooster([dtrain, dvalid])
    for (const [name, value] of boosterParams(o.params, o.nClasses, o.seed, o.nthread))
      booster.setParam(name, value)

    const values: number[] = []
    let best = 0
    let bestPredictions: Float32Array = new Float32Array(0)
    let lastPredictions: Float32Array = bestPredictions
    for (let r = 0; r < rounds; r++) {
      if (o.signal?.aborted) throw abortError()
      booster.updateOneIter(r, dtrain)
      const preds = booster.predict(dvalid)
      const value = classificationMetric(o.metric, preds, o.valid.labels, o.nClasses)
      if (Number.isNaN(value))
        throw new RangeError(
          `${o.metric} is undefined on this validation set (each class needs positive and negative rows)`,
        )
      values.push(value)
      lastPredictions = preds
      if (o.signal?.aborted) throw abortError()
      o.onRound?.(r + 1, value)
      if (r === 0 || isBetter(o.metric, value, values[best])) {
        best = r
        bestPredictions = preds
      }
      if (patience !== null && r - best >= patience) break
      if (o.yieldBetweenRounds !== false) await new Promise((resolve) => setImmediate(resolve))
    }
    const resultRound = patience === null ? values.length : best + 1
    const result = {
      booster,
      roundsTrained: values.length,
      resultRound,
      value: values[resultRound - 1],
      values,
      resultPredictions: patience === null ? lastPredictions : bestPredictions,
    }
    booster = null
    return result
  } finally {
    booster?.free()
    dvalid?.free()
    dtrain.free()
  }
}

/** The booster whose metric was the result: the whole one, or its first `resultRound` rounds. */
export function resultBooster(t: TrainedBooster): XgbBooster {
  return t.resultRound === t.roundsTrained ? t.booster : t.booster.slice(0, t.resultRound)
}
