// Runs in main. A trials row as SQLite returns it, and the TrialRecord the rest of the app sees.
import type { AgentSnapshot } from '../../shared/agentSnapshot.ts'
import type { Config } from '../../shared/searchSpace.ts'
import type { Json, TrialRecord, TrialState } from '../../shared/trial.ts'
import { trialPlacementSchema, type TrialPlacement } from '../../shared/trialPlacement.ts'
import { parseJson } from './storeContext.ts'

export interface TrialRow {
  id: number
  study_id: number
  number: number
  state: TrialState
  params: string
  value: number | null
  started_at: string | null
  finished_at: string | null
  error: string | null
  backend: string | null
  user_attrs: string
  tuner_data: string
  agent_snapshot: string | null
  test_score: number | null
  told: number
  objective_values: string | null
  constraint_values: string | null
  feasible: number | null
  placement: string | null
}

/** The multi-objective columns, only where set: a single-objective trial reads exactly as before. */
function goalFields(r: TrialRow): Pick<TrialRecord, 'values' | 'constraints' | 'feasible'> {
  const out: Pick<TrialRecord, 'values' | 'constraints' | 'feasible'> = {}
  // JSON has no NaN: a stored null inside is a value the store could not keep
  if (r.objective_values !== null)
    out.values = (JSON.parse(r.objective_values) as (number | null)[]).map((v) => v ?? NaN)
  if (r.constraint_values !== null)
    out.constraints = JSON.parse(r.constraint_values) as Record<string, number>
  if (r.feasible !== null) out.feasible = r.feasible === 1
  return out
}

/** A placement another build wrote in a shape this one does not know reads as none. */
function readPlacement(text: string | null): TrialPlacement | null {
  if (text === null) return null
  const parsed = trialPlacementSchema.safeParse(parseJson(text))
  return parsed.success ? parsed.data : null
}

export const toTrial = (r: TrialRow): TrialRecord => ({
  id: r.id,
  studyId: r.study_id,
  number: r.number,
  state: r.state,
  params: JSON.parse(r.params) as Config,
  value: r.value,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  error: r.error,
  backend: r.backend,
  userAttrs: JSON.parse(r.user_attrs) as Record<string, Json>,
  tunerData: JSON.parse(r.tuner_data) as Json,
  agentSnapshot: parseJson<AgentSnapshot>(r.agent_snapshot),
  testScore: r.test_score,
  ...goalFields(r),
  placement: readPlacement(r.placement),
})
