// Runs in main: a gbdt trial as a Python program that runs as it is: it reads the study's CSV as HPO
// Studio reads it (header row, target column, missing cells, class order), makes the same validation
// split (scikit-learn's train_test_split, as splitDataset.ts does), trains `xgboost.train` with the
// trial's parameters and seed, and prints the validation metric, which is the trial's value.
import { deriveSeed } from '../../shared/rng.ts'
import type { ParamValue } from '../../shared/searchSpace.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { pyLiteral } from './codeLiterals.ts'
import { snippetHeader, type SnippetOptions, type SnippetTrial } from './snippetTypes.ts'

/** XGBoost's eval_metric for the study's metric, by number of classes (early stopping watches it). */
const EVAL_METRIC: Record<string, [binary: string, multi: string]> = {
  accuracy: ['error', 'merror'],
  error: ['error', 'merror'],
  logloss: ['logloss', 'mlogloss'],
  auc: ['auc', 'auc'],
}

// The data reader and the metric, in Python, as readCsv.ts and classificationMetrics.ts define them.
const READ_CSV = `MISSING = {"", "NA", "NaN", "nan", "N/A", "?"}
INTEGER = re.compile(r"[+-]?\\d+(\\.0*)?")


def read_csv(path, target=None, classes=None):
    """Features as float32 (missing cells NaN), labels as class indices, as HPO Studio reads a CSV."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [[cell.strip() for cell in row] for row in csv.reader(f) if row]
    header, rows = rows[0], rows[1:]
    t = header.index(target) if target else len(header) - 1
    X = np.array(
        [[np.nan if c in MISSING else float(c) for j, c in enumerate(r) if j != t] for r in rows],
        dtype=np.float32,
    )
    raw = [str(int(r[t].split(".")[0])) if INTEGER.fullmatch(r[t]) else r[t] for r in rows]
    if classes is None:
        numeric = all(INTEGER.fullmatch(c) for c in raw)
        classes = sorted(set(raw), key=int if numeric else None)
    index = {c: i for i, c in enumerate(classes)}
    return X, np.array([index[c] for c in raw]), classes`

const METRIC = `def metric(name, pred, y, n_classes):
    """The study's metric from predicted probabilities (XGBoost's definitions)."""
    proba = np.asarray(pred, dtype=np.float64)
    if n_classes == 2:
        proba = np.column_stack([1 - proba, proba])
    if name in ("accuracy", "error"):
        accuracy = float(np.mean(np.argmax(proba, axis=1) == y))
        return accuracy if name == "accuracy" else 1 - accuracy
    if name == "logloss":
        p = proba[np.arange(len(y)), y]
        return float(-np.mean(np.log(np.clip(p, 1e-16, 1 - 1e-16 if n_classes == 2 else 1))))
    from sklearn.metrics import roc_auc_score
    if n_classes == 2:
        return float(roc_auc_score(y, proba[:, 1]))
    return float(roc_auc_score(y, proba, multi_class="ovr", average="weighted"))`

type GbdtObjective = Extract<StudyRecord['spec']['objective'], { kind: 'gbdt' }>

/** The lines that load the data into dtrain and dvalid, as the objective splits it. */
function dataLines(o: GbdtObjective): string[] {
  const target = o.target === undefined ? 'None' : pyLiteral(o.target)
  const lines = [`X, y, classes = read_csv(${pyLiteral(o.dataset)}, ${target})`]
  if ('file' in o.validation)
    return [
      ...lines,
      '# The study validates on its own file, read with the training classes.',
      `X_valid, y_valid, _ = read_csv(${pyLiteral(o.validation.file)}, ${target}, classes)`,
      'dtrain = xgb.DMatrix(X, label=y)',
      'dvalid = xgb.DMatrix(X_valid, label=y_valid)',
    ]
  const v = o.validation
  return [
    ...lines,
    "# The study's validation split: scikit-learn's train_test_split, as HPO Studio makes it.",
    'train_rows, valid_rows = train_test_split(',
    `    np.arange(len(y)), test_size=${v.fraction}, stratify=${v.stratify ? 'y' : 'None'}, random_state=${v.seed}`,
    ')',
    'y_valid = y[valid_rows]',
    'dtrain = xgb.DMatrix(X[train_rows], label=y[train_rows])',
    'dvalid = xgb.DMatrix(X[valid_rows], label=y_valid)',
  ]
}

/**
 * `params` as the gbdt objective trains them: `fixed` and the trial's params, the objective and
 * num_class from the number of classes in the data (binary:logistic for 2, multi:softprob otherwise),
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
  const entries = Object.entries(merged).map(
    ([k, v]) => `    ${JSON.stringify(k)}: ${pyLiteral(v)},`,
  )
  if (!('seed' in merged) && !('random_state' in merged))
    entries.push(`    "seed": ${deriveSeed(study.seed, trial.number)},  # the trial's seed`)
  const metricName = study.spec.metric
  const [binary, multi] = EVAL_METRIC[metricName] ?? ['error', 'merror']
  const known = options.numClasses
  const train =
    early === undefined
      ? [
          `booster = xgb.train(params, dtrain, num_boost_round=${rounds})`,
          'rounds = booster.num_boosted_rounds()',
        ]
      : [
          'booster = xgb.train(',
          '    params,',
          '    dtrain,',
          `    num_boost_round=${rounds},`,
          '    evals=[(dvalid, "validation")],',
          `    early_stopping_rounds=${pyLiteral(early)},`,
          '    verbose_eval=False,',
          ')',
          'rounds = booster.best_iteration + 1',
        ]
  return [
    ...snippetHeader('#', study, trial),
    "# Trains this configuration on the study's data, split as the trial split it, and prints the",
    '# validation metric. Needs Python 3 with numpy, xgboost and scikit-learn',
    '# (Debian: apt install python3-xgboost python3-sklearn).',
    'import csv',
    'import re',
    '',
    'import numpy as np',
    'import xgboost as xgb',
    ...('file' in objective.validation
      ? []
      : ['from sklearn.model_selection import train_test_split']),
    '',
    READ_CSV,
    '',
    '',
    METRIC,
    '',
    '',
    ...dataLines(objective),
    `n_classes = len(classes)${known === undefined ? '' : `  # ${known} when the study ran`}`,
    '',
    'params = {',
    ...entries,
    '}',
    'params["objective"] = "binary:logistic" if n_classes == 2 else "multi:softprob"',
    'if n_classes > 2:',
    '    params["num_class"] = n_classes',
    `params["eval_metric"] = ${pyLiteral(binary)} if n_classes == 2 else ${pyLiteral(multi)}`,
    '',
    ...train,
    'pred = booster.predict(dvalid, iteration_range=(0, rounds))',
    `value = metric(${pyLiteral(metricName)}, pred, y_valid, n_classes)`,
    `print(f"validation ${metricName} = {value:.10g} after {rounds} rounds")`,
    '',
  ].join('\n')
}
