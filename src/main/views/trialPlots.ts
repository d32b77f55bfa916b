// Runs in main: the data of the Pareto front, best trials, EDF, timeline, rank and regret plots
// (src/shared/trialPlotsView.ts) for one study.
import {
  isMultiObjectiveFunction,
  multiObjectiveFunction,
} from '../../shared/multiObjectiveFunctions.ts'
import {
  hypervolumeHistory,
  referencePoint,
  type ObjectiveTrial,
} from '../../shared/plots/paretoTrials.ts'
import { regretCurve } from '../../shared/plots/regretCurve.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { bestTrials } from '../../shared/bestTrial.ts'
import { studyGoals } from '../../shared/studyGoals.ts'
import { syntheticFunction } from '../../shared/syntheticFunctions.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import type { PlotTrial, TrialPlotsView } from '../../shared/trialPlotsView.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { requireStudy } from './requireStudy.ts'

const plotTrial = (t: TrialRecord): PlotTrial => ({
  number: t.number,
  state: t.state,
  params: t.params,
  value: t.value,
  ...(t.values ? { values: t.values } : {}),
  ...(t.feasible !== undefined ? { feasible: t.feasible } : {}),
  startedAt: t.startedAt,
  finishedAt: t.finishedAt,
})

const figure = (x: number): string => String(Number(x.toPrecision(6)))

/** Regret against the synthetic function's known optimum (hypervolume regret with several objectives). */
function knownRegret(
  study: StudyRecord,
  objectiveTrials: readonly ObjectiveTrial[],
  trials: readonly TrialRecord[],
): TrialPlotsView['regret'] {
  const o = study.spec.objective
  if (o.kind !== 'synthetic') return null
  if (isMultiObjectiveFunction(o.function)) {
    const fn = multiObjectiveFunction(o.function, o.dimensions)
    const names = studyGoals(study.spec).objectives.map((x) => x.name)
    // the function's own reference point needs every one of its objectives, in its order
    if (names.join() !== fn.objectives.map((x) => x.name).join()) return null
    const best = fn.optimalHypervolume()
    const h = hypervolumeHistory(
      objectiveTrials,
      fn.objectives.map((x) => x.direction),
      fn.reference,
    )
    return {
      numbers: h.numbers,
      regret: h.hypervolume.map((v) => Math.max(0, best - v)),
      against: `the true front's hypervolume ${figure(best)}`,
    }
  }
  const fn = syntheticFunction(o.function, o.dimensions)
  const curve = regretCurve(
    trials.filter((t) => t.state === 'complete'),
    study.spec.direction,
    fn.optimum,
  )
  return { numbers: curve.numbers, regret: curve.regret, against: `f* = ${figure(fn.optimum)}` }
}

export function trialPlots(store: StudyStore, studyId: number): TrialPlotsView {
  const study = requireStudy(store, studyId)
  const trials = store.listTrials(studyId)
  const goals = studyGoals(study.spec)
  const directions = goals.objectives.map((o) => o.direction)
  const objectiveTrials: ObjectiveTrial[] = trials
    .filter((t) => t.state === 'complete' && t.value !== null)
    .map((t) => ({
      number: t.number,
      values: t.values ?? [t.value as number],
      feasible: t.feasible,
    }))
  const several = goals.objectives.length > 1
  const reference = several ? referencePoint(objectiveTrials, directions) : null
  return {
    direction: study.spec.direction,
    metric: study.spec.metric,
    objectives: [...goals.objectives],
    constraints: [...goals.constraints],
    trials: trials.map(plotTrial),
    front: several ? bestTrials(study.spec, trials).map((t) => t.number) : null,
    hypervolume: reference
      ? { ...hypervolumeHistory(objectiveTrials, directions, reference), reference }
      : null,
    regret: knownRegret(study, objectiveTrials, trials),
    now: new Date().toISOString(),
  }
}
