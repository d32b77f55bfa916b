// Runs in main: what a trial worker may use — XGBoost threads, library path, tfjs backend, data folders.
import os from 'node:os'
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'

export function trialResources(store: StudyStore, study: StudyRecord): TrialRunSpec['resources'] {
  const setting = (key: string) => store.getSetting(key)
  // One core stays free: OpenMP's spinning threads stalled rounds for seconds when every core was taken.
  // Under Slurm, a trial has the CPUs its job asked for.
  const { executor } = study.spec
  const nthread =
    Number(setting('xgboost.nthread')) ||
    (executor?.kind === 'slurm'
      ? executor.cpusPerTrial
      : Math.max(1, Math.floor((os.cpus().length - 1) / study.spec.concurrency)))
  const resources: TrialRunSpec['resources'] = { nthread }
  const lib = setting('xgboost.library')
  if (typeof lib === 'string' && lib) resources.xgboostLibrary = lib
  const backend = setting('tfjs.backend')
  if (typeof backend === 'string' && backend) resources.backend = backend
  const folders = setting('data.folders')
  if (Array.isArray(folders))
    resources.dataDirs = folders.filter((f): f is string => typeof f === 'string')
  return resources
}
