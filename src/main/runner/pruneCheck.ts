// Runs in main: whether a running trial stops early, asked after each intermediate value it reports. The
// store is the one owner of the curves: the study's pruner judges the trial against every trial there.
import type { StudyRecord } from '../../shared/study.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createPruner } from './pruners/createPruner.ts'

export type PruneCheck = (trialNumber: number) => boolean

export function createPruneCheck(
  store: Pick<StudyStore, 'listTrialCurves'>,
  study: Pick<StudyRecord, 'id' | 'spec'>,
): PruneCheck {
  if (study.spec.pruner.kind === 'none') return () => false
  const pruner = createPruner(study.spec.pruner)
  const direction = study.spec.direction
  return (trialNumber) => {
    const trials = store.listTrialCurves(study.id)
    const trial = trials.find((t) => t.number === trialNumber)
    return trial ? pruner.shouldPrune(trial, { direction, trials }) : false
  }
}
