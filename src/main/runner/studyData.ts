// Runs in main: before a gbdt or cnn study runs, its data is checked in a trial worker (a broken file or a
// missing XGBoost library refuses the study with the reason), registered with its hash, shape and class
// counts, and compared with what the study tuned on so far.
import type { StudyRecord } from '../../shared/study.ts'
import type { DataDescription } from '../../shared/workerProtocol.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { trialRunSpec } from './bestConfigTasks.ts'

export class StudyDataError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StudyDataError'
  }
}

/** Returns what the data looks like and warnings for files that changed since the study first used them. */
export async function checkStudyData(
  store: StudyStore,
  study: StudyRecord,
  workers: WorkerHost,
  signal?: AbortSignal,
): Promise<{ data: DataDescription[]; warnings: string[] }> {
  if (study.spec.objective.kind !== 'gbdt' && study.spec.objective.kind !== 'cnn')
    return { data: [], warnings: [] }
  const worker = createWorkerClient(workers.spawn('trial'))
  // reading a big data set can take a while: Ctrl-C ends it
  const kill = (): void => worker.kill('SIGKILL')
  signal?.addEventListener('abort', kill)
  let data: DataDescription[]
  try {
    data = await worker.request({
      type: 'describeData',
      spec: trialRunSpec(store, study, { number: 0, params: {} }),
    })
  } catch (e) {
    throw new StudyDataError(`study "${study.name}" cannot start: ${(e as Error).message}`)
  } finally {
    signal?.removeEventListener('abort', kill)
    worker.kill('SIGKILL')
  }
  const linked = store.listStudyDatasets(study.id)
  const warnings: string[] = []
  for (const d of data) {
    const before = linked.find((l) => l.role === d.role)
    if (before && before.hashAtLink !== d.hash) {
      warnings.push(
        `${d.path} changed since this study started tuning on it (sha256 ${before.hashAtLink.slice(0, 12)}… → ${d.hash.slice(0, 12)}…): results before and after are not comparable`,
      )
    }
    const { role: _role, detail: _detail, ...info } = d
    const record = store.registerDataset(info)
    if (!before) store.linkStudyDataset(study.id, record.id, d.role)
  }
  return { data, warnings }
}
