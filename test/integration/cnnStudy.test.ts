// A real CNN study from the command line: Fashion-MNIST from Debian's package, TensorFlow.js in the trial
// worker on the best backend present, per-epoch values, the official test set scored once at the end.
// nvidia-smi lists one GPU, so the runner pins each trial's worker to it: the trial's record must say
// what really ran (the GPU only when CUDA TensorFlow ran on it, and then once).
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { runCli, tempDir, writeStudy } from '../helpers/cli.ts'

const FASHION = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz'

/** A folder with an nvidia-smi that lists one idle GPU, to put first on PATH. */
function fakeGpuBin(dir: string): string {
  const bin = path.join(dir, 'bin')
  mkdirSync(bin)
  writeFileSync(
    path.join(bin, 'nvidia-smi'),
    '#!/bin/sh\necho "0, GPU-test, Test GPU, 16384, 0, 0"\n',
  )
  chmodSync(path.join(bin, 'nvidia-smi'), 0o755)
  return bin
}

describe.skipIf(!existsSync(FASHION))('a cnn study (TensorFlow.js on Fashion-MNIST)', () => {
  it('trains the paper CNN on a GPU slot, records each epoch and what ran, scores the test set', async () => {
    const dir = tempDir()
    const db = path.join(dir, 'db.sqlite')
    const file = writeStudy(dir, {
      name: 'fashion-small',
      direction: 'maximize',
      objective: {
        kind: 'cnn',
        dataset: 'fashion-mnist',
        model: 'paper-cnn',
        epochs: 2,
        trainSubset: 512,
        validationSubset: 256,
        fixed: { conv1_channels: 4, conv2_channels: 8, fc1_units: 32, fc2_units: 16 },
      },
      space: {
        learning_rate: { type: 'float', low: 0.001, high: 0.05, log: true },
        pool1_type: { type: 'categorical', choices: ['max', 'average'] },
      },
      budget: { trials: 2 },
      seed: 0,
    })
    const run = await runCli(['run', file, '--db', db], {
      PATH: `${fakeGpuBin(dir)}${path.delimiter}${process.env.PATH}`,
    })
    expect(run.code, run.stderr + run.stdout).toBe(0)
    const store = openStudyStore(db)
    const study = store.getStudy('fashion-small')!
    const trials = store.listTrials(study.id)
    expect(trials.map((t) => t.state)).toEqual(['complete', 'complete'])
    for (const t of trials) {
      expect(t.backend).toMatch(/^tfjs (wasm|cpu|tfjs-node)/)
      // Where CUDA TensorFlow does run, the GPU is named once; everywhere else, not at all.
      const onGpu = t.backend!.startsWith('tfjs tfjs-node-gpu')
      expect(t.backend!.split('on GPU 0').length - 1, t.backend!).toBe(onGpu ? 1 : 0)
      // The record says exactly what the worker said it ran on.
      expect(store.getTrialLog(t.id).stdout).toContain(`backend: ${t.backend}\n`)
      expect(t.value).toBeGreaterThan(0.2)
      expect(
        store
          .getIntermediateValues(study.id, [t.id])
          .get(t.id)!
          .map((v) => v.step),
      ).toEqual([1, 2])
    }
    expect(trials.some((t) => t.testScore !== null && t.testScore > 0.2)).toBe(true)
    expect(store.listStudyDatasets(study.id).map((l) => [l.role, l.dataset.shape])).toEqual(
      expect.arrayContaining([
        ['train', [60000, 28, 28]],
        ['test', [10000, 28, 28]],
      ]),
    )
    store.close()
  }, 180_000)
})
