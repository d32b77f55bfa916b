// Runs in main: what every snippet writer takes and returns.
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import { formatNumber } from './codeLiterals.ts'

export type SnippetTrial = Pick<TrialRecord, 'number' | 'params' | 'value'>

export interface SnippetOptions {
  /** Classes in the data (the dataset record's classCounts): picks XGBoost's objective and the CNN's output layer. */
  numClasses?: number
  /** Height, width, channels of one image (cnn); 28 × 28 × 1 by default (MNIST, Fashion-MNIST). */
  inputShape?: [number, number, number]
}

export type SnippetId =
  'xgboost-python' | 'tfjs-model' | 'keras-model' | 'command-line' | 'config-json'

export interface Snippet {
  id: SnippetId
  title: string
  language: 'python' | 'javascript' | 'shell' | 'json'
  code: string
}

/** The comment lines every code snippet starts with: which study and trial, and its value. */
export function snippetHeader(comment: string, study: StudyRecord, trial: SnippetTrial): string[] {
  const { direction } = study.spec
  const metric = study.spec.metric.replace(/[\r\n]+/g, ' ')
  return [
    `${comment} Study "${study.name}", trial ${trial.number}: ${metric} = ${formatNumber(trial.value)} (${direction})`,
  ]
}
