import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { studyRecordFrom } from '../../../test/helpers/studyRecord.ts'
import { deriveSeed } from '../../shared/rng.ts'
import type { StudyRecord } from '../../shared/study.ts'
import { jsLiteral, pyLiteral, shellQuote } from './codeLiterals.ts'
import {
  buildSnippets,
  commandLineSnippet,
  configJsonSnippet,
  kerasModelSnippet,
  tfjsModelSnippet,
  xgboostPythonSnippet,
} from './snippets.ts'

const PYTHON = '/usr/bin/python3'
const hasPython = existsSync(PYTHON)
const dir = mkdtempSync(join(tmpdir(), 'hpo-snippets-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const study = (raw: Record<string, unknown>): StudyRecord =>
  studyRecordFrom({ name: 'snip', seed: 11, ...raw })

function python(code: string, stdin?: string): string {
  const r = spawnSync(PYTHON, ['-c', code], { input: stdin, encoding: 'utf8', cwd: dir })
  if (r.status !== 0) throw new Error(r.stderr)
  return r.stdout
}

/** Runs Python source with recording stand-ins for xgboost / tensorflow.keras on the path. */
function runWithFakes(source: string, globals: Record<string, string> = {}): unknown {
  const file = join(dir, `snippet-${Math.random().toString(36).slice(2)}.py`)
  writeFileSync(file, source)
  const out = python(
    `import json, sys\nsys.path.insert(0, ${JSON.stringify(join(dir, 'fakes'))})\n` +
      `import recorder\ng = ${JSON.stringify(globals)}\n` +
      `exec(compile(open(${JSON.stringify(file)}).read(), 'snippet', 'exec'), g)\n` +
      `print(json.dumps(recorder.calls))`,
  )
  return JSON.parse(out)
}

function writeFakes(): void {
  const fakes = join(dir, 'fakes')
  mkdirSync(join(fakes, 'tensorflow', 'keras'), { recursive: true })
  const files: Record<string, string> = {
    'recorder.py': [
      'calls = []',
      'class Rec:',
      '    def __init__(self, name):',
      '        self.name = name',
      '    def __getattr__(self, attr):',
      '        return Rec(self.name + "." + attr)',
      '    def __call__(self, *args, **kwargs):',
      '        def plain(v):',
      '            if isinstance(v, Rec): return v.name',
      '            if isinstance(v, (list, tuple)): return [plain(x) for x in v]',
      '            return v',
      '        calls.append({"call": self.name, "args": plain(list(args)), "kwargs": {k: plain(v) for k, v in kwargs.items()}})',
      '        return Rec(self.name + "()")',
    ].join('\n'),
    'xgboost.py':
      'from recorder import Rec\ntrain = Rec("xgb.train")\nDMatrix = Rec("xgb.DMatrix")\n',
    'tensorflow/__init__.py': 'from . import keras\n',
    'tensorflow/keras/__init__.py':
      'from recorder import Rec\nfrom . import layers\nSequential = Rec("Sequential")\nInput = Rec("Input")\noptimizers = Rec("optimizers")\n',
    'tensorflow/keras/layers.py':
      'from recorder import Rec\ndef __getattr__(name):\n    return Rec("layers." + name)\n',
  }
  for (const [f, text] of Object.entries(files)) writeFileSync(join(fakes, f), text)
}
if (hasPython) writeFakes()

describe('code literals', () => {
  const strings = ['plain', "it's", 'say "hi"', 'back\\slash', 'two\nlines', 'tab\there', 'ünï €']
  it('round-trips through JavaScript', () => {
    for (const s of strings) expect(new Function(`return ${jsLiteral(s)}`)()).toBe(s)
    expect(new Function(`return ${jsLiteral(1e-7)}`)()).toBe(1e-7)
  })
  it.skipIf(!hasPython)('round-trips through Python', () => {
    const values = [...strings, 1e-7, 3, -2.5, true, false]
    const out = python(
      `import json\nprint(json.dumps([${values.map((v) => pyLiteral(v)).join(', ')}]))`,
    )
    expect(JSON.parse(out)).toEqual(values)
  })
  it('round-trips through the shell', () => {
    const out = spawnSync('sh', ['-c', `printf '%s\\n' ${strings.map(shellQuote).join(' ')}`], {
      encoding: 'utf8',
    })
    expect(out.stdout).toBe(strings.join('\n') + '\n')
    expect(shellQuote('train.py')).toBe('train.py')
  })
})

describe('gbdt: xgboost.train', () => {
  const s = study({
    direction: 'maximize',
    metric: 'accuracy',
    objective: { kind: 'gbdt', dataset: 'data/letter.csv', fixed: { tree_method: 'hist' } },
    space: {
      max_depth: { type: 'int', low: 1, high: 25 },
      learning_rate: { type: 'float', low: 0.001, high: 0.1, log: true },
      booster: { type: 'categorical', choices: ['gbtree', 'dart'] },
      one_drop: { type: 'bool', when: { booster: 'dart' } },
      n_estimators: { type: 'int', low: 10, high: 500 },
    },
  })
  const trial = {
    number: 42,
    value: 0.9612,
    params: {
      max_depth: 7,
      learning_rate: 0.0512,
      booster: 'dart',
      one_drop: true,
      n_estimators: 250,
    },
  }

  it('has the exact values with XGBoost names, n_estimators as num_boost_round', () => {
    const code = xgboostPythonSnippet(s, trial, { numClasses: 26 })
    expect(code).toContain('"max_depth": 7,')
    expect(code).toContain('"learning_rate": 0.0512,')
    expect(code).toContain('"one_drop": True,')
    expect(code).toContain('"tree_method": "hist",')
    expect(code).toContain(`"seed": ${deriveSeed(11, 42)},  # the trial's seed`)
    expect(code).toContain(
      'params["objective"] = "binary:logistic" if n_classes == 2 else "multi:softprob"',
    )
    expect(code).toContain('params["eval_metric"] = "error" if n_classes == 2 else "merror"')
    expect(code).toContain('n_classes = len(classes)  # 26 when the study ran')
    expect(code).toContain('xgb.train(params, dtrain, num_boost_round=250)')
    expect(code).not.toContain('"n_estimators"')
    expect(code).toMatch(/^# Study "snip", trial 42: accuracy = 0.9612 \(maximize\)/)
    // The data as the study read it, and its split.
    expect(code).toContain('X, y, classes = read_csv("data/letter.csv", None)')
    expect(code).toContain('test_size=0.2, stratify=y, random_state=0')
  })

  it.skipIf(!hasPython)(
    'is valid Python with early stopping, a validation file and a set seed',
    () => {
      const early = study({
        direction: 'minimize',
        metric: 'logloss',
        objective: {
          kind: 'gbdt',
          dataset: 'd.csv',
          target: 'label',
          validation: { file: 'v.csv' },
          fixed: { early_stopping_rounds: 10, seed: 3 },
        },
        space: { max_depth: { type: 'int', low: 1, high: 5 } },
      })
      const code = xgboostPythonSnippet(early, { number: 0, value: 0.2, params: { max_depth: 2 } })
      expect(code).toContain('"seed": 3,')
      expect(code).not.toContain("the trial's seed")
      expect(code).toContain('early_stopping_rounds=10,')
      expect(code).toContain('evals=[(dvalid, "validation")],')
      expect(code).toContain('X_valid, y_valid, _ = read_csv("v.csv", "label", classes)')
      expect(code).not.toContain('sklearn.model_selection')
      expect(code).toContain('params["eval_metric"] = "logloss" if n_classes == 2 else "mlogloss"')
      python(`import ast\nast.parse(${JSON.stringify(code)})`)
    },
  )
})

describe('cnn: TensorFlow.js and Keras', () => {
  const paper = study({
    direction: 'maximize',
    objective: {
      kind: 'cnn',
      dataset: 'fashion-mnist',
      epochs: 4,
      fixed: { pool2_type: 'average' },
    },
    space: {
      conv1_channels: { type: 'int', low: 4, high: 64 },
      conv2_kernel: { type: 'int', low: 2, high: 7 },
      fc1_units: { type: 'int', low: 16, high: 512 },
      learning_rate: { type: 'float', low: 1e-4, high: 0.1, log: true },
      pool1_stride: { type: 'int', low: 1, high: 3 },
    },
  })
  const trial = {
    number: 3,
    value: 0.88,
    params: {
      conv1_channels: 12,
      conv2_kernel: 3,
      fc1_units: 200,
      learning_rate: 0.0031,
      pool1_stride: 1,
    },
  }
  // conv1 12 5×5 s1 → max 2/1 → conv2 16 3×3 s1 → avg 2/2 → fc 200 → 84 → 10
  const expectedLayers = [
    ['Conv2D', { filters: 12, kernelSize: 5, strides: 1 }],
    ['MaxPooling2D', { poolSize: 2, strides: 1 }],
    ['Conv2D', { filters: 16, kernelSize: 3, strides: 1 }],
    ['AveragePooling2D', { poolSize: 2, strides: 2 }],
    ['Flatten', {}],
    ['Dense', { units: 200 }],
    ['Dense', { units: 84 }],
    ['Dense', { units: 10 }],
  ] as const

  it('builds in real TensorFlow.js with the trial values and LeNet defaults elsewhere', () => {
    const code = tfjsModelSnippet(paper, trial)
    const tfjs = pathToFileURL(createRequire(import.meta.url).resolve('@tensorflow/tfjs')).href
    const file = join(dir, 'model.mjs')
    writeFileSync(
      file,
      code.replace("'@tensorflow/tfjs'", JSON.stringify(tfjs)) +
        '\nconst m = createModel()\n' +
        'console.log(JSON.stringify({ layers: m.layers.map((l) => [l.getClassName(), l.getConfig()]), out: m.outputs[0].shape, lr: m.optimizer.learningRate, fit: fitOptions }))\n',
    )
    const r = spawnSync(process.execPath, [file], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const got = JSON.parse(r.stdout.trim().split('\n').at(-1)!)
    expect(got.out).toEqual([null, 10])
    expect(got.lr).toBe(0.0031)
    expect(got.fit).toEqual({ batchSize: 64, epochs: 4, shuffle: true })
    expectedLayers.forEach(([name, want], i) => {
      const [cls, config] = got.layers[i]
      expect(cls).toBe(name)
      if ('filters' in want)
        expect(config).toMatchObject({
          filters: want.filters,
          kernelSize: [want.kernelSize, want.kernelSize],
          strides: [want.strides, want.strides],
          padding: 'same',
          activation: 'relu',
        })
      if ('poolSize' in want)
        expect(config).toMatchObject({
          poolSize: [want.poolSize, want.poolSize],
          strides: [want.strides, want.strides],
          padding: 'same',
        })
      if ('units' in want) expect(config.units).toBe(want.units)
    })
    expect(got.layers).toHaveLength(8)
  })

  it.skipIf(!hasPython)('the Keras code is valid Python with the same layers', () => {
    const calls = runWithFakes(kerasModelSnippet(paper, trial)) as {
      call: string
      args: unknown[]
      kwargs: Record<string, unknown>
    }[]
    const layerCalls = calls.filter((c) => c.call.startsWith('layers.'))
    expect(layerCalls.map((c) => c.call)).toEqual(expectedLayers.map(([n]) => `layers.${n}`))
    expect(layerCalls[0]).toMatchObject({
      args: [12],
      kwargs: { kernel_size: 5, strides: 1, padding: 'same' },
    })
    expect(layerCalls[3].kwargs).toEqual({ pool_size: 2, strides: 2, padding: 'same' })
    expect(layerCalls[5]).toMatchObject({ args: [200], kwargs: { activation: 'relu' } })
    expect(layerCalls[7]).toMatchObject({ args: [10], kwargs: { activation: 'softmax' } })
    expect(calls.find((c) => c.call === 'Input')?.kwargs).toEqual({ shape: [28, 28, 1] })
    expect(calls.find((c) => c.call === 'optimizers.Adam')?.kwargs).toEqual({
      learning_rate: 0.0031,
    })
    expect(calls.find((c) => c.call === 'Sequential()')).toBeUndefined()
    expect(calls.find((c) => c.call === 'Sequential().compile')?.kwargs).toMatchObject({
      loss: 'categorical_crossentropy',
    })
  })

  it.skipIf(!hasPython)('softmax regression: flatten → dense softmax, SGD', () => {
    const soft = study({
      direction: 'maximize',
      objective: { kind: 'cnn', dataset: 'mnist', model: 'softmax' },
      space: { learning_rate: { type: 'float', low: 1e-4, high: 1, log: true } },
    })
    const t = { number: 0, value: 0.8, params: { learning_rate: 0.25 } }
    const js = tfjsModelSnippet(soft, t, { numClasses: 5, inputShape: [8, 8, 3] })
    expect(js).toContain('tf.layers.flatten({ inputShape: [8, 8, 3] })')
    expect(js).toContain("tf.layers.dense({ units: 5, activation: 'softmax' })")
    expect(js).toContain('tf.train.sgd(0.25)')
    const calls = runWithFakes(kerasModelSnippet(soft, t)) as { call: string; kwargs: unknown }[]
    expect(calls.map((c) => c.call)).toEqual([
      'Input',
      'layers.Flatten',
      'layers.Dense',
      'Sequential',
      'optimizers.SGD',
      'Sequential().compile',
    ])
  })
})

describe('command line', () => {
  it('runs the program with the config on stdin and in $HPO_CONFIG, with env and cwd', () => {
    const program =
      'const fs = require("fs"); const stdin = fs.readFileSync(0, "utf8");' +
      'fs.writeFileSync(process.env.HPO_TRIAL_DIR + "/seen.json", JSON.stringify({ stdin: JSON.parse(stdin),' +
      ' file: JSON.parse(fs.readFileSync(process.env.HPO_CONFIG, "utf8")), greeting: process.env.GREETING,' +
      ' cwd: process.cwd(), argv: process.argv.slice(1) }))'
    const s = study({
      direction: 'minimize',
      objective: {
        kind: 'command',
        run: [process.execPath, '-e', program, "it's an arg"],
        cwd: 'work dir',
        env: { GREETING: `hello "world" it's me` },
      },
      space: {
        lr: { type: 'float', low: 1e-5, high: 1, log: true },
        opt: { type: 'categorical', choices: ["adam's", 'sgd'] },
        deep: { type: 'bool' },
      },
    })
    const params = { lr: 0.00123, opt: "adam's", deep: true }
    const code = commandLineSnippet(s, { number: 9, value: 1.5, params })
    const runDir = join(dir, 'cmd')
    mkdirSync(join(runDir, 'work dir'), { recursive: true })
    writeFileSync(join(runDir, 'run.sh'), code)
    expect(spawnSync('sh', ['-n', 'run.sh'], { cwd: runDir }).status).toBe(0)
    const r = spawnSync('sh', ['run.sh'], { cwd: runDir, encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const seen = JSON.parse(readFileSync(join(runDir, 'hpo-trial-9', 'seen.json'), 'utf8'))
    expect(seen.stdin).toEqual(params)
    expect(seen.file).toEqual(params)
    expect(seen.greeting).toBe(`hello "world" it's me`)
    expect(seen.cwd).toBe(join(runDir, 'work dir'))
    expect(seen.argv).toEqual(["it's an arg"])
  })
})

describe('buildSnippets', () => {
  it('offers the snippets of each objective kind, the JSON config last', () => {
    const synthetic = study({
      direction: 'minimize',
      objective: { kind: 'synthetic', function: 'branin' },
    })
    const t = { number: 1, value: 0.5, params: { x1: 3.14, x2: 2.27 } }
    const snippets = buildSnippets(synthetic, t)
    expect(snippets.map((x) => x.id)).toEqual(['config-json'])
    expect(JSON.parse(snippets[0].code)).toEqual({ x1: 3.14, x2: 2.27 })
    expect(configJsonSnippet(t)).toBe('{\n  "x1": 3.14,\n  "x2": 2.27\n}\n')
    const cnn = study({
      direction: 'maximize',
      objective: { kind: 'cnn', dataset: 'mnist' },
      space: { fc1_units: { type: 'int', low: 8, high: 64 } },
    })
    expect(
      buildSnippets(cnn, { number: 0, value: 1, params: { fc1_units: 9 } }).map((x) => x.id),
    ).toEqual(['tfjs-model', 'keras-model', 'config-json'])
  })
})
