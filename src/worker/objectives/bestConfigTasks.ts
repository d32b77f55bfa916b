// Runs in a trial worker: what is done with the best configuration once chosen — retrain and save the
// model (`export --model`), or score it once on the held-out test set (never used for tuning).
import type { TrialRunSpec, WorkerResultMap } from '../../shared/workerProtocol.ts'

const unsupported = (spec: TrialRunSpec, what: string): Error =>
  Object.assign(
    new Error(`a ${spec.objective.kind} objective has no ${what}; only gbdt and cnn studies do`),
    { code: 'BAD_REQUEST' },
  )

export async function saveModel(
  spec: TrialRunSpec,
  file: string,
): Promise<WorkerResultMap['saveModel']> {
  const o = spec.objective
  const run = { metric: spec.metric, resources: spec.resources }
  if (o.kind === 'gbdt') {
    const saved = await (
      await import('./gbdtObjective.ts')
    ).trainAndSaveGbdtModel(o, run, spec.params, spec.seed, file)
    return {
      description: `XGBoost JSON, ${saved.rounds} rounds, validation ${spec.metric} ${saved.value} (${saved.backend})`,
    }
  }
  if (o.kind === 'cnn') {
    const saved = await (
      await import('./cnnObjective.ts')
    ).trainAndSaveCnnModel(o, run, spec.params, spec.seed, file)
    return { description: saved.description }
  }
  throw unsupported(spec, 'model to save')
}

export async function scoreTest(spec: TrialRunSpec): Promise<WorkerResultMap['scoreTest']> {
  const o = spec.objective
  const run = { metric: spec.metric, resources: spec.resources }
  if (o.kind === 'gbdt') {
    const s = await (
      await import('./gbdtObjective.ts')
    ).scoreGbdtOnTest(o, run, spec.params, spec.seed)
    return {
      score: s.value,
      description: `${s.metric} ${s.value} on ${s.rows} test rows (${s.correct} correct; ${s.backend})`,
    }
  }
  if (o.kind === 'cnn') {
    const s = await (
      await import('./cnnObjective.ts')
    ).scoreCnnOnTest(o, run, spec.params, spec.seed)
    return { score: s.value, description: s.description }
  }
  throw unsupported(spec, 'test set')
}
