// Which trials a view shows: the trial table's filter, which every plot of the study view follows
// and the parallel coordinates' brushes set. The store runs it in SQL (store/trialQuery.ts), the plots
// in main with matchesTrialFilter; trialFilter.test.ts holds the two to the same answers.
import { z } from 'zod'
import type { ParamValue } from './searchSpace.ts'
import { trialStateSchema, type TrialState } from './trial.ts'

const paramValue = z.union([z.string(), z.number(), z.boolean()])

export const trialFilterSchema = z.strictObject({
  states: z.array(trialStateSchema).optional(),
  valueMin: z.number().optional(),
  valueMax: z.number().optional(),
  /** Inclusive numeric ranges; a trial where the parameter is inactive or not a number is out. */
  paramRanges: z
    .record(z.string(), z.strictObject({ min: z.number().optional(), max: z.number().optional() }))
    .optional(),
  /** The values a categorical (or bool) parameter may take. */
  paramChoices: z.record(z.string(), z.array(paramValue).max(1000)).optional(),
})
export type TrialFilter = z.infer<typeof trialFilterSchema>

export interface FilterableTrial {
  state: TrialState
  value: number | null
  params: Record<string, ParamValue>
}

const inRange = (v: unknown, min?: number, max?: number): boolean =>
  typeof v === 'number' && (min === undefined || v >= min) && (max === undefined || v <= max)

export function matchesTrialFilter(t: FilterableTrial, f: TrialFilter | undefined): boolean {
  if (!f) return true
  if (f.states && !f.states.includes(t.state)) return false
  const valued = f.valueMin !== undefined || f.valueMax !== undefined
  if (valued && !inRange(t.value, f.valueMin, f.valueMax)) return false
  for (const [name, r] of Object.entries(f.paramRanges ?? {}))
    if (!inRange(t.params[name], r.min, r.max)) return false
  for (const [name, choices] of Object.entries(f.paramChoices ?? {}))
    if (!(name in t.params) || !choices.includes(t.params[name])) return false
  return true
}

/** True when the filter lets every trial through. */
export function isEmptyFilter(f: TrialFilter | undefined): boolean {
  return (
    !f ||
    (f.states === undefined &&
      f.valueMin === undefined &&
      f.valueMax === undefined &&
      !Object.keys(f.paramRanges ?? {}).length &&
      !Object.keys(f.paramChoices ?? {}).length)
  )
}
