// Runs in main: a study's objectives and constraints on their way to the tuner (losses per
// objective, violation per constraint) and the trial worker (what a trial must report).
import { constraintViolation, toLosses } from '../../shared/objectivesSpec.ts'
import { toLoss, type StudyRecord } from '../../shared/study.ts'
import { studyGoals } from '../../shared/studyGoals.ts'
import type { FinishedTrial, TrialRecord } from '../../shared/trial.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'

type Spec = StudyRecord['spec']

/** A finished trial as the tuner learns from it: loss, and with several objectives or constraints, losses and violations. */
export function finishedTrialOf(
  t: Pick<
    TrialRecord,
    'number' | 'state' | 'params' | 'value' | 'tunerData' | 'values' | 'constraints'
  >,
  spec: Spec,
  intermediate: FinishedTrial['intermediate'],
): FinishedTrial {
  const trial: FinishedTrial = {
    number: t.number,
    state: t.state as FinishedTrial['state'],
    params: t.params,
    value: t.value,
    loss: t.state === 'failed' || t.value === null ? null : toLoss(spec.direction, t.value),
    intermediate,
    tunerData: t.tunerData,
  }
  const goals = studyGoals(spec)
  if (spec.objectives)
    trial.losses =
      t.state === 'complete' && t.values
        ? toLosses(
            goals.objectives.map((o) => o.direction),
            t.values,
          )
        : null
  if (spec.constraints)
    trial.violations =
      t.state === 'complete' && t.constraints
        ? spec.constraints.map((c) => constraintViolation(c, t.constraints![c.name]))
        : null
  return trial
}

/** What the tuner worker's init adds for a study with several objectives or constraints. */
export const tunerGoals = (
  spec: Spec,
): { directions?: Spec['direction'][]; constraints?: number } => ({
  ...(spec.objectives ? { directions: spec.objectives.map((o) => o.direction) } : {}),
  ...(spec.constraints ? { constraints: spec.constraints.length } : {}),
})

/** What the trial worker's run spec adds: the goals a trial must report (absent: the one metric). */
export const runSpecGoals = (spec: Spec): Pick<TrialRunSpec, 'goals'> =>
  spec.objectives || spec.constraints ? { goals: studyGoals(spec) } : {}
