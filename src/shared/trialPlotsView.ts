// What the Pareto front, the best-trials list and the EDF, timeline, rank and regret plots draw: every
// trial in compact form plus what main computes once (the front, the hypervolume history, regret).
// zod is the source; the type is its z.infer.
import { z } from 'zod'
import { constraintDefSchema, objectiveDefSchema } from './objectivesSpec.ts'

const paramValue = z.union([z.string(), z.number(), z.boolean()])
const trialState = z.enum(['queued', 'running', 'complete', 'pruned', 'failed', 'interrupted'])

export const plotTrialSchema = z.object({
  number: z.number().int(),
  state: trialState,
  params: z.record(z.string(), paramValue),
  value: z.number().nullable(),
  /** Several objectives: every objective's value (complete trials). */
  values: z.array(z.number()).optional(),
  /** Constraints: whether every one holds (complete trials). */
  feasible: z.boolean().optional(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
})

export const trialPlotsViewSchema = z.object({
  direction: z.enum(['minimize', 'maximize']),
  metric: z.string(),
  /** Every objective, in the study file's order (one for a single-objective study). */
  objectives: z.array(objectiveDefSchema),
  constraints: z.array(constraintDefSchema),
  trials: z.array(plotTrialSchema),
  /** Several objectives: numbers of the trials on the Pareto front (feasible only). */
  front: z.array(z.number().int()).nullable(),
  /** Several objectives: the hypervolume of the feasible trials after each trial. */
  hypervolume: z
    .object({
      numbers: z.array(z.number().int()),
      hypervolume: z.array(z.number()),
      /** In loss space (maximized objectives negated). */
      reference: z.array(z.number()),
    })
    .nullable(),
  /** Where the optimum is known (synthetic functions): regret after each trial. */
  regret: z
    .object({
      numbers: z.array(z.number().int()),
      regret: z.array(z.number()),
      /** What the regret is measured against, for people: "f* = 0.397887", "the true front's hypervolume 11.77". */
      against: z.string(),
    })
    .nullable(),
  /** When main read the trials (running trials end here on the timeline). */
  now: z.string(),
})

export type PlotTrial = z.infer<typeof plotTrialSchema>
export type TrialPlotsView = z.infer<typeof trialPlotsViewSchema>
