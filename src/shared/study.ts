import type { StudySpec } from './studySpec.ts'

export type StudyState = 'created' | 'running' | 'paused' | 'finished' | 'failed' | 'stopped'
export type Direction = 'minimize' | 'maximize'

export const STUDY_STATES: readonly StudyState[] = [
  'created',
  'running',
  'paused',
  'finished',
  'failed',
  'stopped',
]

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

export interface StudySummary {
  id: number
  name: string
  state: StudyState
  direction: Direction
  metric: string
  objectiveKind: string
  tunerKind: string
  trialsDone: number
  trialsRunning: number
  budgetTrials: number
  bestValue: number | null
  bestTrialNumber: number | null
  bestChangedAt: string | null
  notes: string
  tags: string[]
  createdAt: string
  updatedAt: string
}
