// Runs in main: `export --format optuna-enqueue`, the way back to Optuna. A short Python script that
// enqueues a study's best configurations into an Optuna study, so its next trials start from them.
import type { ParamSpec } from '../../shared/searchSpace.ts'
import type { StudyRecord } from '../../shared/study.ts'
import type { TrialRecord } from '../../shared/trial.ts'
import { formatNumber, pyLiteral } from './codeLiterals.ts'
import { rankTrials } from './exportTrials.ts'

/** A float parameter keeps a decimal point (0.0), as Optuna's suggest_float gives it back. */
function paramLiteral(p: ParamSpec | undefined, v: TrialRecord['params'][string]): string {
  const text = pyLiteral(v)
  return p?.type === 'float' && typeof v === 'number' && Number.isInteger(v) ? `${text}.0` : text
}

export function optunaEnqueueScript(
  study: StudyRecord,
  trials: readonly TrialRecord[],
  top?: number,
): string {
  const { spec } = study
  const byName = new Map(spec.space.params.map((p) => [p.name, p]))
  // Without top: every complete trial, best first.
  const best = rankTrials(spec.direction, trials).slice(0, top)
  const rows = best.map((t) => {
    const params = Object.entries(t.params)
      .map(([k, v]) => `${JSON.stringify(k)}: ${paramLiteral(byName.get(k), v)}`)
      .join(', ')
    return `    {${params}},  # trial ${t.number}: ${spec.metric} ${formatNumber(t.value)}`
  })
  return [
    `# The ${best.length} best configurations of the HPO Studio study ${JSON.stringify(study.name)} (${spec.direction} ${spec.metric}), best first.`,
    '# Optuna runs enqueued trials before its sampler proposes: run this, then study.optimize(objective, ...).',
    'import optuna',
    '',
    'study = optuna.create_study(',
    `    study_name=${JSON.stringify(study.name)},  # your Optuna study`,
    '    storage="sqlite:///optuna.db",  # your storage',
    `    direction=${JSON.stringify(spec.direction)},`,
    '    load_if_exists=True,',
    ')',
    'configurations = [',
    ...rows,
    ']',
    'for params in configurations:',
    '    study.enqueue_trial(params, skip_if_exists=True)',
    'print(f"{len(configurations)} configurations queued in {study.study_name}")',

    '',
  ].join('\n')
}
