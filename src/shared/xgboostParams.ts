// XGBoost 1.7's parameter names for classification, with types and valid ranges, so that a typo
// or an out-of-range value in a gbdt study is an error before any trial runs (XGBoost itself
// ignores unknown names and checks values only at the first boosting round).
import type { ParamSpec, ParamValue } from './searchSpace.ts'
import { formatValue, specError, type SpecError } from './specError.ts'
import type { StudySpec } from './studySpec.ts'

export type XgbParamDef =
  | {
      type: 'float' | 'int'
      /** Lowest valid value; `lowOpen` excludes it. */
      low?: number
      lowOpen?: boolean
      high?: number
      default?: number
      doc: string
    }
  | { type: 'enum'; values: readonly string[]; default?: string; doc: string }
  | { type: 'bool'; default?: boolean; doc: string }
  | { type: 'string'; doc: string }

/** Parameters HPO Studio handles itself rather than passing to XGBoost. */
export const GBDT_OWN_PARAMS = ['n_estimators', 'early_stopping_rounds'] as const

/** Name → definition; aliases XGBoost itself accepts are listed in XGBOOST_ALIASES. */
export const XGBOOST_PARAMS: Readonly<Record<string, XgbParamDef>> = {
  // ours
  n_estimators: {
    type: 'int',
    low: 1,
    high: 100_000,
    default: 100,
    doc: 'number of boosting rounds',
  },
  early_stopping_rounds: {
    type: 'int',
    low: 1,
    high: 100_000,
    doc: 'stop when the validation metric has not improved for this many rounds',
  },
  // general
  booster: { type: 'enum', values: ['gbtree', 'gblinear', 'dart'], default: 'gbtree', doc: '' },
  verbosity: { type: 'int', low: 0, high: 3, default: 1, doc: 'log level' },
  nthread: { type: 'int', low: 0, high: 1024, doc: 'threads (0: all); set by HPO Studio' },
  seed: { type: 'int', low: 0, high: 2 ** 53, doc: 'random seed; the trial seed by default' },
  seed_per_iteration: { type: 'bool', default: false, doc: '' },
  disable_default_eval_metric: { type: 'bool', default: false, doc: '' },
  validate_parameters: { type: 'bool', doc: '' },
  base_score: { type: 'float', doc: 'initial prediction score' },
  gpu_id: { type: 'int', low: -1, high: 1024, doc: '' },
  // tree boosters
  eta: { type: 'float', low: 0, default: 0.3, doc: 'learning rate' },
  gamma: { type: 'float', low: 0, default: 0, doc: 'minimum loss reduction to split' },
  max_depth: { type: 'int', low: 0, high: 1000, default: 6, doc: '0: no limit (lossguide)' },
  min_child_weight: { type: 'float', low: 0, default: 1, doc: '' },
  max_delta_step: { type: 'float', low: 0, default: 0, doc: '' },
  subsample: { type: 'float', low: 0, lowOpen: true, high: 1, default: 1, doc: '' },
  sampling_method: {
    type: 'enum',
    values: ['uniform', 'gradient_based'],
    default: 'uniform',
    doc: '',
  },
  colsample_bytree: { type: 'float', low: 0, lowOpen: true, high: 1, default: 1, doc: '' },
  colsample_bylevel: { type: 'float', low: 0, lowOpen: true, high: 1, default: 1, doc: '' },
  colsample_bynode: { type: 'float', low: 0, lowOpen: true, high: 1, default: 1, doc: '' },
  lambda: { type: 'float', low: 0, default: 1, doc: 'L2 regularization' },
  alpha: { type: 'float', low: 0, default: 0, doc: 'L1 regularization' },
  tree_method: {
    type: 'enum',
    values: ['auto', 'exact', 'approx', 'hist', 'gpu_hist'],
    default: 'auto',
    doc: '',
  },
  scale_pos_weight: { type: 'float', low: 0, default: 1, doc: '' },
  updater: { type: 'string', doc: 'comma-separated updaters (expert use)' },
  refresh_leaf: { type: 'bool', default: true, doc: '' },
  process_type: { type: 'enum', values: ['default', 'update'], default: 'default', doc: '' },
  grow_policy: {
    type: 'enum',
    values: ['depthwise', 'lossguide'],
    default: 'depthwise',
    doc: '',
  },
  max_leaves: { type: 'int', low: 0, high: 2 ** 31 - 1, default: 0, doc: '0: no limit' },
  max_bin: { type: 'int', low: 2, high: 2 ** 31 - 1, default: 256, doc: '' },
  predictor: {
    type: 'enum',
    values: ['auto', 'cpu_predictor', 'gpu_predictor'],
    default: 'auto',
    doc: '',
  },
  num_parallel_tree: { type: 'int', low: 1, high: 100_000, default: 1, doc: '' },
  monotone_constraints: { type: 'string', doc: 'like "(1,0,-1)"' },
  interaction_constraints: { type: 'string', doc: 'like "[[0,1],[2,3]]"' },
  max_cat_to_onehot: { type: 'int', low: 1, high: 2 ** 31 - 1, doc: '' },
  max_cat_threshold: { type: 'int', low: 1, high: 2 ** 31 - 1, doc: '' },
  sparse_threshold: { type: 'float', low: 0, high: 1, doc: '' },
  // dart
  sample_type: { type: 'enum', values: ['uniform', 'weighted'], default: 'uniform', doc: '' },
  normalize_type: { type: 'enum', values: ['tree', 'forest'], default: 'tree', doc: '' },
  rate_drop: { type: 'float', low: 0, high: 1, default: 0, doc: '' },
  one_drop: { type: 'bool', default: false, doc: '' },
  skip_drop: { type: 'float', low: 0, high: 1, default: 0, doc: '' },
  // gblinear
  feature_selector: {
    type: 'enum',
    values: ['cyclic', 'shuffle', 'random', 'greedy', 'thrifty'],
    default: 'cyclic',
    doc: '',
  },
  top_k: { type: 'int', low: 0, high: 2 ** 31 - 1, default: 0, doc: '' },
}

/** Alias → canonical name, as XGBoost 1.7 itself declares them (and n_jobs/random_state from its sklearn API). */
export const XGBOOST_ALIASES: Readonly<Record<string, string>> = {
  learning_rate: 'eta',
  min_split_loss: 'gamma',
  reg_lambda: 'lambda',
  reg_alpha: 'alpha',
  random_state: 'seed',
  n_jobs: 'nthread',
}

/** Names a study may not set: HPO Studio chooses them from the data and the study's metric. */
export const GBDT_RESERVED_PARAMS: Readonly<Record<string, string>> = {
  objective:
    'is chosen by HPO Studio from the data (binary:logistic for 2 classes, multi:softprob otherwise); remove it',
  num_class: 'is set by HPO Studio from the number of classes in the data; remove it',
  eval_metric:
    "is computed by HPO Studio from the study's metric (accuracy, error, logloss, auc); set the study's metric instead",
}

// Names from other libraries or near misses that plain edit distance would not suggest.
const SYNONYMS: Readonly<Record<string, string>> = {
  num_boost_round: 'n_estimators',
  num_rounds: 'n_estimators',
  num_round: 'n_estimators',
  nrounds: 'n_estimators',
  num_iterations: 'n_estimators',
  num_leaves: 'max_leaves',
  bagging_fraction: 'subsample',
  feature_fraction: 'colsample_bytree',
  lambda_l1: 'alpha',
  lambda_l2: 'lambda',
  min_child_samples: 'min_child_weight',
  random_seed: 'seed',
  n_threads: 'nthread',
}

export function canonicalXgbName(name: string): string {
  return XGBOOST_ALIASES[name] ?? name
}

export function xgbParamDef(name: string): XgbParamDef | undefined {
  return XGBOOST_PARAMS[canonicalXgbName(name)]
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = up
    }
  }
  return prev[b.length]
}

/** The known name closest to `name`, or null when nothing is close enough to be a likely typo. */
export function suggestXgbName(name: string): string | null {
  const lower = name.toLowerCase().replace(/-/g, '_')
  if (SYNONYMS[lower]) return SYNONYMS[lower]
  const known = [...Object.keys(XGBOOST_PARAMS), ...Object.keys(XGBOOST_ALIASES)]
  if (known.includes(lower)) return lower
  let best: string | null = null
  let bestDistance = Infinity
  for (const k of known) {
    const d = editDistance(lower, k)
    if (d < bestDistance) [best, bestDistance] = [k, d]
  }
  return bestDistance <= Math.max(2, Math.floor(lower.length / 4)) ? best : null
}

/** Why `name` may not be used, or null when it is a known XGBoost (or HPO Studio) parameter. */
export function unknownGbdtParamMessage(name: string): string | null {
  if (GBDT_RESERVED_PARAMS[name]) return GBDT_RESERVED_PARAMS[name]
  if (xgbParamDef(name)) return null
  const hint = suggestXgbName(name)
  return `unknown XGBoost parameter "${name}"${hint ? `; did you mean "${hint}"?` : ''} (XGBoost would ignore it silently)`
}

function rangeText(def: { low?: number; lowOpen?: boolean; high?: number }): string {
  const lo = def.low === undefined ? '(-inf' : `${def.lowOpen ? '(' : '['}${def.low}`
  const hi = def.high === undefined ? 'inf)' : `${def.high}]`
  return `${lo}, ${hi}`
}

function inRange(v: number, def: { low?: number; lowOpen?: boolean; high?: number }): boolean {
  if (def.low !== undefined && (def.lowOpen ? v <= def.low : v < def.low)) return false
  return def.high === undefined || v <= def.high
}

/** Why `value` is not valid for the parameter, or null when it is. */
export function xgbValueProblem(name: string, value: ParamValue): string | null {
  const def = xgbParamDef(name)
  if (!def) return unknownGbdtParamMessage(name)
  switch (def.type) {
    case 'bool':
      return typeof value === 'boolean' || value === 0 || value === 1
        ? null
        : `${name} is true or false, got ${formatValue(value)}`
    case 'enum':
      return typeof value === 'string' && def.values.includes(value)
        ? null
        : `${name} must be one of ${def.values.join(', ')}, got ${formatValue(value)}`
    case 'string':
      return typeof value === 'string' ? null : `${name} is a string, got ${formatValue(value)}`
    default: {
      if (typeof value !== 'number' || !Number.isFinite(value))
        return `${name} must be a finite number, got ${formatValue(value)}`
      if (def.type === 'int' && !Number.isInteger(value))
        return `${name} must be an integer, got ${value}`
      return inRange(value, def)
        ? null
        : `${name} must be in ${rangeText(def)}, got ${formatValue(value)}`
    }
  }
}

/** Why a search-space parameter cannot be used for this XGBoost parameter, or null. */
function spaceProblem(p: ParamSpec): string | null {
  const def = xgbParamDef(p.name)
  if (!def) return unknownGbdtParamMessage(p.name)
  if (p.type === 'bool') {
    return def.type === 'bool'
      ? null
      : `${p.name} is not a true/false parameter (it is ${def.type})`
  }
  if (p.type === 'categorical') {
    for (const c of p.choices) {
      const problem = xgbValueProblem(p.name, c)
      if (problem) return `choice ${formatValue(c)}: ${problem}`
    }
    return null
  }
  if (def.type !== 'float' && def.type !== 'int') {
    const kind = def.type === 'enum' ? `one of ${def.values.join(', ')}` : def.type
    return `${p.name} takes ${kind}, not ${p.type === 'int' ? 'an' : 'a'} ${p.type} range; use a categorical or bool parameter`
  }
  if (def.type === 'int' && p.type === 'float') {
    return `${p.name} is an integer parameter; use type: int`
  }
  if (!inRange(p.low, def) || !inRange(p.high, def)) {
    return `range [${p.low}, ${p.high}] leaves XGBoost's valid range ${rangeText(def)} for ${p.name}`
  }
  return null
}

/** gbdt rules of a study spec: XGBoost names only (with a suggestion for a typo), valid values and ranges. */
export function checkGbdtSpec(spec: StudySpec): SpecError[] {
  if (spec.objective.kind !== 'gbdt') return []
  const errors: SpecError[] = []
  const seen = new Map<string, string>()
  const claim = (name: string, path: string): void => {
    const canonical = canonicalXgbName(name)
    const other = seen.get(canonical)
    if (other) {
      errors.push(
        specError(
          path,
          'duplicate-param',
          name,
          `sets the same XGBoost parameter as ${other} (${canonical}); keep one`,
        ),
      )
    } else seen.set(canonical, path)
  }
  for (const [name, value] of Object.entries(spec.objective.fixed)) {
    const path = `objective.fixed.${name}`
    const problem = xgbValueProblem(name, value)
    if (problem) {
      const rule = xgbParamDef(name) ? 'xgboost-range' : 'xgboost-param'
      errors.push(specError(path, rule, xgbParamDef(name) ? value : name, problem))
    } else claim(name, path)
  }
  for (const p of spec.space.params) {
    const path = `space.${p.name}`
    const problem = spaceProblem(p)
    if (problem) {
      const rule = xgbParamDef(p.name) ? 'xgboost-range' : 'xgboost-param'
      errors.push(specError(path, rule, xgbParamDef(p.name) ? p : p.name, problem))
    } else claim(p.name, path)
  }
  return errors
}

/** The string XGBoostSetParam receives for a config value (booleans as XGBoost spells them). */
export function xgbParamString(value: ParamValue): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return String(value)
}
