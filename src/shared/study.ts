import { z } from 'zod'
import type { StudySpec } from './studySpec.ts'

export const STUDY_STATES = [
  'created',
  'running',
  'paused',
  'finished',
  'failed',
  'stopped',
] as const
export const studyStateSchema = z.enum(STUDY_STATES)
export type StudyState = z.infer<typeof studyStateSchema>
export const directionSchema = z.enum(['minimize', 'maximize'])
export type Direction = z.infer<typeof directionSchema>

/** True when `a` is a better value than `b` in the given direction. */
export const isBetter = (direction: Direction, a: number, b: number): boolean =>
  direction === 'minimize' ? a < b : a > b

export const toLoss = (direction: Direction, value: number): number =>
  direction === 'minimize' ? value : -value

export interface StudyRecord {
  id: number
  name: string
  spec: StudySpec
  state: StudyState
  /** The seed actually used (drawn and recorded when the file gave none). */
  seed: number
  notes: string
  tags: string[]
  createdAt: string
  updatedAt: string
  /** Milliseconds spent running, summed over resumes (the `budget.minutes` clock). */
  runningMs: number
  error: string | null
}

const count = z.number().int()
export const studySummarySchema = z.object({
  id: count.min(0),
  name: z.string(),
  state: studyStateSchema,
  direction: directionSchema,
  metric: z.string(),
  objectiveKind: z.string(),
  tunerKind: z.string(),
  trialsDone: count,
  trialsRunning: count,
  budgetTrials: count,
  bestValue: z.number().nullable(),
  bestTrialNumber: count.nullable(),
  bestChangedAt: z.string().nullable(),
  notes: z.string(),
  tags: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type StudySummary = z.infer<typeof studySummarySchema>
