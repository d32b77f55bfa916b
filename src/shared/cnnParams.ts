// The cnn objective's hyperparameters (study-file.md, mbrl-tuner.md §10): names, defaults, valid ranges, and the
// study-file check that rejects unknown names and out-of-range values before any trial runs.
import type { ObjectiveSpec } from './objectiveSpec.ts'
import type { Config, ParamSpec, ParamValue } from './searchSpace.ts'
import { formatValue, specError, type SpecError } from './specError.ts'
import type { StudySpec } from './studySpec.ts'

export type CnnModelKind = Extract<ObjectiveSpec, { kind: 'cnn' }>['model']
export type PoolType = 'max' | 'average'
export const POOL_TYPES: readonly PoolType[] = ['max', 'average']

/** A hyperparameter: its default, and the values a trial can train with (wider than the paper's space). */
export type CnnParamDef =
  | { name: string; type: 'int'; default: number; min: number; max: number; doc: string }
  | { name: string; type: 'float'; default: number; minExclusive: number; max: number; doc: string }
  | { name: string; type: 'choice'; default: string; choices: readonly string[]; doc: string }

const int = (name: string, dflt: number, min: number, max: number, doc: string): CnnParamDef => ({
  name,
  type: 'int',
  default: dflt,
  min,
  max,
  doc,
})
const layer = (
  conv: string,
  pool: string,
  kernel: number,
  channels: number,
  which: string,
): CnnParamDef[] => [
  int(`${conv}_stride`, 1, 1, 16, `stride of the ${which} convolution`),
  int(`${conv}_kernel`, kernel, 1, 32, `kernel size of the ${which} convolution (square)`),
  int(`${conv}_channels`, channels, 1, 2048, `output channels of the ${which} convolution`),
  int(`${pool}_kernel`, 2, 1, 32, `window of the ${which} pooling layer (square)`),
  int(`${pool}_stride`, 2, 1, 32, `stride of the ${which} pooling layer`),
  {
    name: `${pool}_type`,
    type: 'choice',
    default: 'max',
    choices: POOL_TYPES,
    doc: `max or average pooling after the ${which} convolution`,
  },
]

const BATCH_SIZE = int('batch_size', 64, 1, 8192, 'images per training step')
/** Epochs may be tuned or fixed like a hyperparameter; otherwise objective.epochs applies. */
export const EPOCHS_PARAM = int('epochs', 3, 1, 1000, 'passes over the training images')

/** The paper's CNN (conv → pool → conv → pool → fc → fc → softmax); defaults form LeNet-5 with 'same' padding. */
export const PAPER_CNN_PARAMS: readonly CnnParamDef[] = [
  BATCH_SIZE,
  ...layer('conv1', 'pool1', 5, 6, 'first'),
  ...layer('conv2', 'pool2', 5, 16, 'second'),
  int('fc1_units', 120, 1, 16384, 'units of the first fully connected layer'),
  int('fc2_units', 84, 1, 16384, 'units of the second fully connected layer'),
  {
    name: 'learning_rate',
    type: 'float',
    default: 0.001,
    minExclusive: 0,
    max: 10,
    doc: 'Adam step size',
  },
]

/** The seed example's softmax regression, trained with plain SGD. */
export const SOFTMAX_PARAMS: readonly CnnParamDef[] = [
  BATCH_SIZE,
  {
    name: 'learning_rate',
    type: 'float',
    default: 0.1,
    minExclusive: 0,
    max: 100,
    doc: 'SGD step size',
  },
]

export function cnnParamDefs(model: CnnModelKind): readonly CnnParamDef[] {
  return [...(model === 'softmax' ? SOFTMAX_PARAMS : PAPER_CNN_PARAMS), EPOCHS_PARAM]
}

export interface PaperCnnParams {
  batch_size: number
  conv1_stride: number
  conv1_kernel: number
  conv1_channels: number
  pool1_kernel: number
  pool1_stride: number
  pool1_type: PoolType
  conv2_stride: number
  conv2_kernel: number
  conv2_channels: number
  pool2_kernel: number
  pool2_stride: number
  pool2_type: PoolType
  fc1_units: number
  fc2_units: number
  learning_rate: number
}

export const PAPER_CNN_DEFAULTS = Object.fromEntries(
  PAPER_CNN_PARAMS.map((d) => [d.name, d.default]),
) as unknown as PaperCnnParams

/** Why `value` is not valid for `def`, or null. */
export function cnnValueProblem(def: CnnParamDef, value: unknown): string | null {
  if (def.type === 'choice') {
    return typeof value === 'string' && def.choices.includes(value)
      ? null
      : `must be one of ${def.choices.join(', ')}, got ${formatValue(value)}`
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return `must be a number, got ${formatValue(value)}`
  }
  if (def.type === 'int') {
    if (!Number.isInteger(value)) return `must be an integer, got ${value}`
    if (value < def.min || value > def.max)
      return `must be in [${def.min}, ${def.max}], got ${value}`
    return null
  }
  if (value <= def.minExclusive || value > def.max)
    return `must be > ${def.minExclusive} and ≤ ${def.max}, got ${value}`
  return null
}

/**
 * A trial's full set of values: the trial's params over `fixed` over the defaults, with `epochs`
 * from objective.epochs unless tuned or fixed. Throws on an unknown name or an invalid value.
 */
export function resolveCnnParams(
  model: CnnModelKind,
  objectiveEpochs: number,
  fixed: Config,
  params: Config,
): Record<string, ParamValue> & { epochs: number } {
  const defs = cnnParamDefs(model)
  const out: Record<string, ParamValue> = Object.fromEntries(defs.map((d) => [d.name, d.default]))
  out.epochs = objectiveEpochs
  for (const [name, value] of [...Object.entries(fixed), ...Object.entries(params)]) {
    const def = defs.find((d) => d.name === name)
    if (!def) throw new Error(`${name}: ${unknownNameMessage(model)}`)
    const problem = cnnValueProblem(def, value)
    if (problem) throw new Error(`${name}: ${problem}`)
    out[name] = value
  }
  return out as Record<string, ParamValue> & { epochs: number }
}

function unknownNameMessage(model: CnnModelKind): string {
  return `not a hyperparameter of model ${model}; known: ${cnnParamDefs(model)
    .map((d) => d.name)
    .join(', ')}`
}

/** Which values a tuned parameter can take, checked against the definition. */
function spaceProblems(def: CnnParamDef, p: ParamSpec, path: string): SpecError[] {
  const wrongType = (want: string) => [
    specError(`${path}.type`, 'param-type', p.type, `${def.name} ${want}, got type ${p.type}`),
  ]
  if (p.type === 'categorical') {
    return p.choices.flatMap((c, i) => {
      const problem = cnnValueProblem(def, c)
      return problem ? [specError(`${path}.choices[${i}]`, 'range', c, problem)] : []
    })
  }
  if (def.type === 'choice') {
    return wrongType(`is one of ${def.choices.join(', ')}: use type categorical`)
  }
  if (p.type === 'bool') return wrongType('is a number')
  if (def.type === 'int' && p.type !== 'int') {
    return wrongType('is an integer: use type int (or categorical of integers)')
  }
  const errors: SpecError[] = []
  for (const key of ['low', 'high'] as const) {
    const problem = cnnValueProblem(def, p[key])
    if (problem) errors.push(specError(`${path}.${key}`, 'range', p[key], `${key} ${problem}`))
  }
  return errors
}

/**
 * Study-file rules of the cnn objective (parseStudySpec runs them): every tuned or fixed name is a
 * hyperparameter of the model, in range.
 */
export function checkCnnSpec(spec: StudySpec): SpecError[] {
  const objective = spec.objective
  if (objective.kind !== 'cnn') return []
  const defs = cnnParamDefs(objective.model)
  const errors: SpecError[] = []
  const tuned = new Set<string>()
  for (const p of spec.space.params) {
    const path = `space.${p.name}`
    tuned.add(p.name)
    const def = defs.find((d) => d.name === p.name)
    if (!def) {
      errors.push(specError(path, 'unknown-param', p.name, unknownNameMessage(objective.model)))
      continue
    }
    errors.push(...spaceProblems(def, p, path))
  }
  for (const [name, value] of Object.entries(objective.fixed)) {
    const path = `objective.fixed.${name}`
    const def = defs.find((d) => d.name === name)
    if (!def) {
      errors.push(specError(path, 'unknown-param', name, unknownNameMessage(objective.model)))
      continue
    }
    if (tuned.has(name)) {
      errors.push(
        specError(path, 'fixed-and-tuned', value, `is also in space: tune it or fix it, not both`),
      )
      continue
    }
    const problem = cnnValueProblem(def, value)
    if (problem) errors.push(specError(path, 'range', value, problem))
  }
  return errors
}
