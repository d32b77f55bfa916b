// Runs in the CLI: what `show` adds for a study with several objectives or constraints — each
// trial's values and which constraints hold, and the Pareto front (the best trials) instead of one best.
import { constraintViolation } from '../../shared/objectivesSpec.ts'
import { bestTrials } from '../../shared/bestTrial.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { studyGoals } from '../../shared/studyGoals.ts'
import type { TrialRecord } from '../../shared/trial.ts'

/** The study's best trials: its Pareto front (several objectives), feasible trials only. */
export const frontNumbers = (study: StudyRecord, trials: readonly TrialRecord[]): number[] =>
  bestTrials(study.spec, trials).map((t) => t.number)

/** name → whether the constraint holds for the trial; null when it reported no value for it. */
export function constraintsHold(
  study: StudyRecord,
  trial: TrialRecord,
): Record<string, boolean | null> | null {
  const constraints = study.spec.constraints
  if (!constraints) return null
  return Object.fromEntries(
    constraints.map((c) => {
      const v = trial.constraints?.[c.name]
      return [c.name, v === undefined ? null : constraintViolation(c, v) === 0]
    }),
  )
}

/** The JSON `show` adds per trial. */
export const trialGoalsJson = (study: StudyRecord, t: TrialRecord) =>
  study.spec.objectives || study.spec.constraints
    ? {
        ...(study.spec.objectives ? { values: t.values ?? null } : {}),
        ...(study.spec.constraints
          ? {
              constraints: t.constraints ?? null,
              feasible: t.feasible ?? null,
              constraintsHold: constraintsHold(study, t),
            }
          : {}),
      }
    : {}

const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6))

/** One trial's values and feasibility for the text listing. */
export function trialGoalsText(study: StudyRecord, t: TrialRecord): string {
  const parts: string[] = []
  if (study.spec.objectives && t.values)
    parts.push(study.spec.objectives.map((o, k) => `${o.name}=${fmt(t.values![k])}`).join(' '))
  if (study.spec.constraints && t.feasible !== undefined) {
    const broken = Object.entries(constraintsHold(study, t) ?? {})
      .filter(([, ok]) => ok === false)
      .map(([name]) => name)
    parts.push(t.feasible ? 'feasible' : `infeasible (${broken.join(', ')})`)
  }
  return parts.join('  ')
}

/** The goals for a header line: "objectives accuracy (maximize), …; constraints model_bytes ≤ 5e7". */
export function goalsText(spec: StudyRecord['spec']): string {
  const goals = studyGoals(spec)
  const objectives = goals.objectives.map((o) => `${o.name} (${o.direction})`).join(', ')
  const constraints = goals.constraints
    .map((c) =>
      [
        c.min !== undefined ? `${c.name} ≥ ${c.min}` : '',
        c.max !== undefined ? `${c.name} ≤ ${c.max}` : '',
      ]
        .filter(Boolean)
        .join(', '),
    )
    .join(', ')
  return `${goals.objectives.length > 1 ? `objectives ${objectives}` : `${goals.objectives[0].direction} ${goals.objectives[0].name}`}${constraints ? `; constraints ${constraints}` : ''}`
}
