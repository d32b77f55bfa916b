// Runs in main: the study an analysis asks about, or the error the StudioApi returns for a missing one.
import type { StudyRecord } from '../../shared/study.ts'
import { StudioError } from '../../shared/studioApi.ts'
import type { StudyStore } from '../store/studyStore.ts'

export function requireStudy(store: StudyStore, studyId: number): StudyRecord {
  const study = store.getStudy(studyId)
  if (!study) throw new StudioError('STUDY_NOT_FOUND', `no study with id ${studyId}`)
  return study
}
