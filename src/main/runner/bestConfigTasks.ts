// Runs in main: retrains or scores a study's best configuration in a fresh trial worker (export --model,
// and the held-out test score recorded when a study ends).
import path from 'node:path'
import { deriveSeed } from '../../shared/rng.ts'
import { bestTrial } from '../../shared/bestTrial.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import { artifactsDirFor } from '../defaultPaths.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { createWorkerClient } from '../workers/workerClient.ts'
import type { WorkerHost } from '../workers/workerHost.ts'
import { trialResources } from './trialResources.ts'

export function trialRunSpec(
  store: StudyStore,
  study: StudyRecord,
  trial: Pick<TrialRecord, 'number' | 'params'>,
  timeoutSeconds: number | null = null,
): TrialRunSpec {
  return {
    trialNumber: trial.number,
    objective: study.spec.objective,
    metric: study.spec.metric,
    direction: study.spec.direction,
    params: trial.params,
    seed: deriveSeed(study.seed, trial.number),
    trialDir: path.join(artifactsDirFor(store.path), study.name, String(trial.number)),
    timeoutSeconds,
    resources: trialResources(store, study),
  }
}

/** True when the study's objective has a held-out test set to score the best configuration on. */
export const hasTestSet = (study: StudyRecord): boolean =>
  (study.spec.objective.kind === 'gbdt' && Boolean(study.spec.objective.test)) ||
  study.spec.objective.kind === 'cnn'

async function withTrialWorker<T>(
  workers: WorkerHost,
  fn: (w: ReturnType<typeof createWorkerClient>) => Promise<T>,
): Promise<T> {
  const worker = createWorkerClient(workers.spawn('trial'))
  try {
    return await fn(worker)
  } finally {
    worker.kill('SIGKILL')
  }
}

export async function saveBestModel(
  store: StudyStore,
  study: StudyRecord,
  workers: WorkerHost,
  file: string,
): Promise<{ trialNumber: number; description: string }> {
  const best = bestTrial(study.spec.direction, store.listTrials(study.id))
  if (!best) throw new Error(`study "${study.name}" has no complete trial to retrain`)
  const { description } = await withTrialWorker(workers, (w) =>
    w.request({
      type: 'saveModel',
      spec: trialRunSpec(store, study, best),
      file: path.resolve(file),
    }),
  )
  return { trialNumber: best.number, description }
}

/** Scores the best configuration on the test set once and records it apart from validation values. */
export async function scoreBestOnTest(
  store: StudyStore,
  study: StudyRecord,
  workers: WorkerHost,
): Promise<{ trialNumber: number; score: number; description: string } | null> {
  const best = bestTrial(study.spec.direction, store.listTrials(study.id))
  if (!best || !hasTestSet(study)) return null
  const r = await withTrialWorker(workers, (w) =>
    w.request({ type: 'scoreTest', spec: trialRunSpec(store, study, best) }),
  )
  store.setTestScore(best.id, r.score)
  return { trialNumber: best.number, ...r }
}
