// The cnn objective as a trial worker runs it: real IDX files, TensorFlow.js on wasm with our kernels.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { parse as parseYaml } from 'yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ObjectiveContext } from '../../src/shared/objective.ts'
import { objectiveSpecSchema, type ObjectiveSpec } from '../../src/shared/objectiveSpec.ts'
import { parseStudySpec } from '../../src/shared/studySpec.ts'
import {
  createCnnObjective,
  scoreCnnOnTest,
  trainAndSaveCnnModel,
} from '../../src/worker/objectives/cnnObjective.ts'
import { selectBackend } from '../../src/worker/tf/selectBackend.ts'
import { syntheticImages, writeIdxDataset } from '../fixtures/idx/idxFixtures.ts'

type CnnSpec = Extract<ObjectiveSpec, { kind: 'cnn' }>

const ROOT = path.resolve(import.meta.dirname, '../..')
const FIXTURES = path.join(ROOT, 'test/fixtures/idx')
const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-cnn-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// 200 learnable 28×28 images in 4 classes, written as IDX files (images gzipped, labels not).
const files = writeIdxDataset(path.join(dir, 'bars'), syntheticImages(200, 28, 4, 7), 28)

function cnnSpec(over: Record<string, unknown> = {}): CnnSpec {
  return objectiveSpecSchema.parse({
    kind: 'cnn',
    dataset: files,
    epochs: 2,
    validation: { fraction: 0.2, seed: 0 },
    ...over,
  }) as CnnSpec
}

function context(over: Partial<ObjectiveContext> = {}) {
  const reports: [number, number][] = []
  const logs: string[] = []
  const ctx: ObjectiveContext = {
    trialNumber: 0,
    seed: 1,
    trialDir: dir,
    signal: new AbortController().signal,
    report: (step, value) => reports.push([step, value]),
    log: (line) => logs.push(line),
    attr: () => {},
    ...over,
  }
  return { ctx, reports, logs }
}

const rejection = async (p: Promise<unknown>): Promise<Error> => {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected a rejection')
}

beforeAll(async () => {
  await selectBackend()
})

describe('cnn objective', () => {
  it('trains the paper CNN, reports the validation metric once per epoch and records the backend', async () => {
    const objective = createCnnObjective(cnnSpec({ fixed: { learning_rate: 0.005 } }), {
      metric: 'accuracy',
      resources: {},
    })
    const { ctx, reports, logs } = context()
    const result = await objective.run({ batch_size: 32, conv1_channels: 4 }, ctx)
    expect(reports.map(([step]) => step)).toEqual([1, 2])
    expect(reports.every(([, v]) => v >= 0 && v <= 1)).toBe(true)
    expect(result.value).toBe(reports[1][1])
    expect(result.backend).toBe(
      'tfjs wasm (tfjs-node-gpu: not installed; tfjs-node: not installed)',
    )
    expect(logs).toContain(`backend: ${result.backend}`)
    expect(result.userAttrs).toMatchObject({ train_images: 160, validation_images: 40 })
  })

  it('learns: softmax regression with SGD separates the classes, and error/loss are reported as asked', async () => {
    const spec = cnnSpec({ model: 'softmax', epochs: 3 })
    const acc = await createCnnObjective(spec, { metric: 'accuracy', resources: {} }).run(
      { learning_rate: 0.5 },
      context().ctx,
    )
    expect(acc.value).toBeGreaterThan(0.9)
    const err = await createCnnObjective(spec, { metric: 'error', resources: {} }).run(
      { learning_rate: 0.5 },
      context().ctx,
    )
    expect(err.value).toBeCloseTo(1 - acc.value, 10)
    const loss = await createCnnObjective(spec, { metric: 'loss', resources: {} }).run(
      { learning_rate: 0.5 },
      context().ctx,
    )
    expect(loss.value).toBeGreaterThan(0)
    expect(loss.value).toBeLessThan(Math.log(4))
  })

  it('stops when aborted between epochs: no value after the abort, an AbortError', async () => {
    const controller = new AbortController()
    const { ctx, reports } = context({ signal: controller.signal })
    ctx.report = (step, value) => {
      reports.push([step, value])
      controller.abort(new Error('pruned'))
    }
    const objective = createCnnObjective(cnnSpec({ epochs: 4 }), {
      metric: 'accuracy',
      resources: {},
    })
    const e = await rejection(objective.run({}, ctx))
    expect(e.name).toBe('AbortError')
    expect(e.message).toBe('pruned')
    expect(reports.map(([step]) => step)).toEqual([1])
  })

  it('stops within an epoch, between batches', async () => {
    const controller = new AbortController()
    const { ctx, reports } = context({ signal: controller.signal })
    const objective = createCnnObjective(cnnSpec({ epochs: 50 }), {
      metric: 'accuracy',
      resources: {},
    })
    const run = objective.run({ batch_size: 8 }, ctx)
    setTimeout(() => controller.abort(new Error('cancelled')), 300)
    const e = await rejection(run)
    expect(e.name).toBe('AbortError')
    const after = reports.length
    await new Promise((r) => setTimeout(r, 100))
    expect(reports.length).toBe(after)
    expect(after).toBeLessThan(50)
  })

  it('fails a configuration that cannot be built with the layer and the shapes', async () => {
    const objective = createCnnObjective(cnnSpec(), { metric: 'accuracy', resources: {} })
    const big = await rejection(
      objective.run({ conv2_channels: 512, pool2_stride: 1, fc1_units: 16384 }, context().ctx),
    )
    expect(big.message).toBe(
      'fc1: 1644.2M weights (input 100352 → output 16384) is more than the 134.2M a layer may have',
    )
    const wide = await rejection(
      objective.run({ batch_size: 8192, conv1_channels: 2048 }, context().ctx),
    )
    expect(wide.message).toMatch(
      /^conv1: output 28×28×2048 × batch 8192 = \d+\.\dM values is more than/,
    )
    // Values outside a hyperparameter's range never reach the builder.
    const zero = await rejection(objective.run({ conv2_channels: 0 }, context().ctx))
    expect(zero.message).toBe('conv2_channels: must be in [1, 2048], got 0')
  })

  it('returns tf.memory().numTensors to its baseline after 20 trials in one process', async () => {
    const small = writeIdxDataset(path.join(dir, 'small'), syntheticImages(48, 8, 3, 3), 8)
    const spec = cnnSpec({ dataset: small, epochs: 1 })
    const objective = createCnnObjective(spec, { metric: 'loss', resources: {} })
    const baseline = tf.memory().numTensors
    for (let t = 0; t < 20; t++) {
      const { ctx } = context({ seed: t })
      await objective.run(
        {
          conv1_channels: 2 + (t % 3),
          fc1_units: 8,
          fc2_units: 8,
          pool1_type: t % 2 ? 'max' : 'average',
        },
        ctx,
      )
      expect(tf.memory().numTensors).toBe(baseline)
    }
    // A trial stopped halfway frees its tensors too.
    const controller = new AbortController()
    const { ctx } = context({ signal: controller.signal })
    const stopped = objective.run({ batch_size: 4 }, ctx)
    setImmediate(() => controller.abort(new Error('stop')))
    expect((await rejection(stopped)).name).toBe('AbortError')
    expect(tf.memory().numTensors).toBe(baseline)
  })

  it('scores the best configuration on the official test images and saves it as a tfjs model', async () => {
    const spec = cnnSpec({ dataset: 'fashion-mnist', model: 'softmax', epochs: 2 })
    const run = { metric: 'accuracy', resources: { dataDirs: [FIXTURES] } }
    const score = await scoreCnnOnTest(spec, run, { learning_rate: 0.5 }, 1)
    expect(score.description).toMatch(/^accuracy [\d.]+ on 20 test images \(\d+ correct; tfjs wasm/)
    const folder = path.join(dir, 'model')
    const saved = await trainAndSaveCnnModel(spec, run, { learning_rate: 0.5 }, 1, folder)
    expect(saved.description).toMatch(/^tfjs layers model \(model.json \+ weights.bin\), 2 epochs/)
    const json = JSON.parse(readFileSync(path.join(folder, 'model.json'), 'utf8'))
    const weights = readFileSync(path.join(folder, 'weights.bin'))
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest[0].weights,
        weightData: weights.buffer.slice(
          weights.byteOffset,
          weights.byteOffset + weights.byteLength,
        ),
      }),
    )
    const p = tf.tidy(() => (model.predict(tf.zeros([2, 8, 8, 1])) as tf.Tensor).sum(1).dataSync())
    expect(Array.from(p).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 1])
    model.dispose()
    const explicit = await rejection(scoreCnnOnTest(cnnSpec(), run, {}, 1))
    expect(explicit.message).toMatch(/has no official test set/)
  })
})

describe('templates', () => {
  it.each(['xgboost-paper', 'cnn-paper', 'softmax-lr'])('%s parses as a study file', (name) => {
    const raw = parseYaml(
      readFileSync(path.join(ROOT, 'resources/templates', `${name}.yaml`), 'utf8'),
    )
    const r = parseStudySpec(raw)
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual([])
    if (r.ok && name === 'cnn-paper') expect(r.value.space.params).toHaveLength(16)
    if (r.ok && name === 'xgboost-paper') expect(r.value.space.params).toHaveLength(10)
  })
})
