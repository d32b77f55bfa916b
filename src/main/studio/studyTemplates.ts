// Runs in main. Study templates the new-study flow starts from: built in, plus any study files in the
// templates folder (resources/templates/*.yaml|json; a file with a built-in's id replaces it).
import { promises as fs } from 'node:fs'
import path from 'node:path'
import YAML from 'yaml'
import type { ObjectiveKind } from '../../shared/objectiveSpec.ts'
import type { StudyTemplate } from '../../shared/studioApi.ts'

const int = (low: number, high: number) => ({ type: 'int', low, high })
const float = (low: number, high: number, log = false) =>
  log ? { type: 'float', low, high, log: true } : { type: 'float', low, high }

const conv = (i: number) => ({
  [`conv${i}_stride`]: int(1, 5),
  [`conv${i}_kernel`]: int(2, 5),
  [`conv${i}_channels`]: int(24, 128),
  [`pool${i}_kernel`]: int(2, 5),
  [`pool${i}_stride`]: int(1, 5),
  [`pool${i}_type`]: { type: 'categorical', choices: ['max', 'average'] },
})

export const BUILTIN_TEMPLATES: StudyTemplate[] = [
  {
    id: 'synthetic-branin',
    title: 'Branin (synthetic, seconds)',
    description:
      'The Branin test function in two dimensions: a quick way to see a tuner work. Known minimum 0.398.',
    objectiveKind: 'synthetic',
    raw: {
      name: 'branin',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
      space: { x1: float(-5, 10), x2: float(0, 15) },
      tuner: { kind: 'tpe' },
      budget: { trials: 50 },
      concurrency: 1,
    },
  },
  {
    id: 'synthetic-mixed',
    title: 'Mixed space (synthetic)',
    description:
      'A float, a log-scaled float, an integer and a categorical parameter: the mixed4 test function.',
    objectiveKind: 'synthetic',
    raw: {
      name: 'mixed',
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'mixed' },
      space: {
        x: float(-5, 5),
        v: float(0.001, 10, true),
        n: int(1, 20),
        c: { type: 'categorical', choices: ['a', 'b', 'c', 'd'] },
      },
      tuner: { kind: 'random' },
      budget: { trials: 100 },
    },
  },
  {
    id: 'xgboost-paper',
    title: 'XGBoost on a CSV (the paper\u2019s 10 parameters)',
    description:
      'Gradient-boosted trees on a tabular data set, tuned over the 10 XGBoost parameters of the MBRL paper. Pick a CSV whose last column is the class.',
    objectiveKind: 'gbdt',
    raw: {
      name: 'xgboost',
      direction: 'maximize',
      metric: 'accuracy',
      objective: {
        kind: 'gbdt',
        dataset: 'data.csv',
        validation: { fraction: 0.2, stratify: true, seed: 0 },
        fixed: { tree_method: 'hist' },
      },
      space: {
        max_depth: int(1, 25),
        learning_rate: float(0.001, 0.1, true),
        n_estimators: int(50, 1200),
        gamma: float(0.05, 0.9),
        min_child_weight: int(1, 9),
        subsample: float(0.5, 1),
        colsample_bytree: float(0.5, 1),
        colsample_bylevel: float(0.5, 1),
        reg_alpha: float(0.1, 0.9),
        reg_lambda: float(0.01, 0.1),
      },
      tuner: { kind: 'mbrl' },
      pruner: { kind: 'median', warmupSteps: 10 },
      budget: { trials: 300 },
    },
  },
  {
    id: 'cnn-paper',
    title: 'CNN on Fashion-MNIST (the paper\u2019s 16 parameters)',
    description:
      'conv → pool → conv → pool → fc → fc with TensorFlow.js, tuned over batch size, layer shapes, units and learning rate.',
    objectiveKind: 'cnn',
    raw: {
      name: 'fashion-cnn',
      direction: 'maximize',
      metric: 'accuracy',
      objective: { kind: 'cnn', dataset: 'fashion-mnist', model: 'paper-cnn', epochs: 3 },
      space: {
        batch_size: int(24, 128),
        ...conv(1),
        ...conv(2),
        fc1_units: int(128, 1100),
        fc2_units: int(128, 1100),
        learning_rate: float(0.001, 0.05, true),
      },
      tuner: { kind: 'mbrl' },
      pruner: { kind: 'median', warmupSteps: 1 },
      budget: { trials: 300 },
    },
  },
  {
    id: 'softmax-fashion',
    title: 'Softmax regression learning rate (Fashion-MNIST)',
    description: 'The seed example: one log-uniform learning rate in [1e-4, 1] for SGD.',
    objectiveKind: 'cnn',
    raw: {
      name: 'softmax-lr',
      direction: 'maximize',
      metric: 'accuracy',
      objective: { kind: 'cnn', dataset: 'fashion-mnist', model: 'softmax', epochs: 3 },
      space: { learning_rate: float(0.0001, 1, true) },
      tuner: { kind: 'tpe' },
      budget: { trials: 30 },
    },
  },
  {
    id: 'command',
    title: 'Any command',
    description:
      'Runs a program per trial: the config arrives as JSON on standard input and in $HPO_CONFIG; print {"value": …} as the last line.',
    objectiveKind: 'command',
    raw: {
      name: 'my-command',
      direction: 'minimize',
      metric: 'value',
      objective: { kind: 'command', run: ['python3', 'train.py'], timeoutSeconds: 600 },
      space: { lr: float(0.0001, 0.1, true), layers: int(1, 4) },
      tuner: { kind: 'random' },
      budget: { trials: 20 },
    },
  },
]

const KINDS: ObjectiveKind[] = ['synthetic', 'command', 'gbdt', 'cnn']

async function readTemplateFile(file: string): Promise<StudyTemplate | null> {
  try {
    const raw: unknown = YAML.parse(await fs.readFile(file, 'utf8'))
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null
    const record = raw as Record<string, unknown>
    const kind = (record.objective as { kind?: unknown } | undefined)?.kind
    if (!KINDS.includes(kind as ObjectiveKind)) return null
    const id = path.basename(file).replace(/\.(ya?ml|json)$/i, '')
    const { title, description, ...study } = record as {
      title?: unknown
      description?: unknown
    } & Record<string, unknown>
    return {
      id,
      title: typeof title === 'string' ? title : id,
      description: typeof description === 'string' ? description : '',
      objectiveKind: kind as ObjectiveKind,
      raw: study,
    }
  } catch {
    return null
  }
}

/** Built-in templates, replaced or extended by the study files of `dir` (unreadable files are skipped). */
export async function listTemplates(dir: string | null): Promise<StudyTemplate[]> {
  const byId = new Map(BUILTIN_TEMPLATES.map((t) => [t.id, t]))
  if (dir) {
    const files = await fs.readdir(dir).catch(() => [] as string[])
    for (const f of files.filter((n) => /\.(ya?ml|json)$/i.test(n)).sort()) {
      const t = await readTemplateFile(path.join(dir, f))
      if (t) byId.set(t.id, t)
    }
  }
  return [...byId.values()]
}
