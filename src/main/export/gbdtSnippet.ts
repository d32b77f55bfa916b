// Runs in main: a best gbdt configuration as Python `xgboost.train` code with XGBoost's own names.
import { deriveSeed } from '../../shared/rng.ts'
import type { ParamValue } from '../../shared/searchSpace.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { pyLiteral } from './codeLiterals.ts'
import { snippetHeader, type SnippetOptions, type SnippetTrial } from './snippetTypes.ts'

const BINARY_METRIC: Record<string, string> = {
  accuracy: 'error',
  error: 'error',
  logloss: 'logloss',
  auc: 'auc',
}
const MULTI_METRIC: Record<string, string> = {
  accuracy: 'merror',
  error: 'merror',
  logloss: 'mlogloss',
  auc: 'auc',
}

/**
 * `params` as the gbdt objective trains them: `fixed` and the trial's params, the objective and
 * num_class chosen from the number of classes (binary:logistic for 2, multi:softprob otherwise),
 * eval_metric from the study's metric, and the trial's seed unless the study set one.
 * n_estimators becomes num_boost_round; early_stopping_rounds an argument of xgb.train.
 */
export function xgboostPythonSnippet(
  study: StudyRecord,
  trial: SnippetTrial,
  options: SnippetOptions = {},
): string {
  const objective = study.spec.objective
  if (objective.kind !== 'gbdt')
    throw new Error(`an XGBoost snippet needs a gbdt study, got ${objective.kind}`)
  const merged: Record<string, ParamValue> = { ...objective.fixed, ...trial.params }
  const rounds = Number(merged.n_estimators ?? 100)
  const early = merged.early_stopping_rounds
  delete merged.n_estimators
  delete merged.early_stopping_rounds

  const entries: string[] = Object.entries(merged).map(
    ([k, v]) => `    ${JSON.stringify(k)}: ${pyLiteral(v)},`,
  )
  const k = options.numClasses
  if (k !== undefined && k >= 2) {
    entries.push(`    "objective": ${pyLiteral(k === 2 ? 'binary:logistic' : 'multi:softprob')},`)
    if (k > 2) entries.push(`    "num_class": ${k},`)
    const metric = (k === 2 ? BINARY_METRIC : MULTI_METRIC)[study.spec.metric]
    if (metric) entries.push(`    "eval_metric": ${pyLiteral(metric)},`)
  } else {
    entries.push(
      `    # "objective": "binary:logistic" for 2 classes, or "multi:softprob" with "num_class": N`,
    )
  }
  if (!('seed' in merged) && !('random_state' in merged))
    entries.push(`    "seed": ${deriveSeed(study.seed, trial.number)},  # the trial's seed`)

  const target = objective.target ? `column ${JSON.stringify(objective.target)}` : 'the last column'
  const labels = k !== undefined ? ` (classes 0..${k - 1})` : ' (class indices 0..N-1)'
  const call =
    early === undefined
      ? [`booster = xgb.train(params, dtrain, num_boost_round=${rounds})`]
      : [
          'booster = xgb.train(',
          '    params,',
          '    dtrain,',
          `    num_boost_round=${rounds},`,
          '    evals=[(dvalid, "validation")],',
          `    early_stopping_rounds=${pyLiteral(early)},`,
          ')',
        ]
  return [
    ...snippetHeader('#', study, trial),
    'import xgboost as xgb',
    '',
    'params = {',
    ...entries,
    '}',
    '',
    `# Data: ${JSON.stringify(objective.dataset)}, target: ${target}${labels}.`,
    '# dtrain = xgb.DMatrix(X_train, label=y_train)',
    ...(early === undefined ? [] : ['# dvalid = xgb.DMatrix(X_valid, label=y_valid)']),
    ...call,
    '',
  ].join('\n')
}
