import { execFileSync } from 'node:child_process'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import {
  BACKEND_ORDER,
  backendChain,
  backendLabel,
  chooseBackend,
  selectBackend,
  type BackendChoice,
  type BackendLoader,
  type BackendSelection,
} from './selectBackend.ts'

describe('backendChain', () => {
  it('starts at the preferred backend and goes down from there', () => {
    expect(backendChain()).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'])
    expect(backendChain('auto')).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'])
    expect(backendChain('GPU')).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'])
    expect(backendChain('tfjs-node')).toEqual(['tfjs-node', 'wasm', 'cpu'])
    expect(backendChain('wasm')).toEqual(['wasm', 'cpu'])
    expect(backendChain('cpu')).toEqual(['cpu'])
  })
})

/** A loader whose backends fail as given (an Error, or a missing package); the others start. */
function fakeLoader(failures: Partial<Record<BackendChoice, Error | 'missing'>>): {
  load: BackendLoader
  tried: BackendChoice[]
} {
  const tried: BackendChoice[] = []
  const tfNames: Record<BackendChoice, string> = {
    'tfjs-node-gpu': 'tensorflow',
    'tfjs-node': 'tensorflow',
    wasm: 'wasm',
    cpu: 'cpu',
  }
  const load: BackendLoader = async (choice) => {
    tried.push(choice)
    const f = failures[choice]
    if (f === 'missing')
      throw Object.assign(new Error(`Cannot find package '@tensorflow/${choice}'`), {
        code: 'ERR_MODULE_NOT_FOUND',
      })
    if (f) throw f
    return tfNames[choice]
  }
  return { load, tried }
}

describe('chooseBackend', () => {
  it('takes the GPU build when it starts, with nothing passed over', async () => {
    const { load, tried } = fakeLoader({})
    expect(await chooseBackend(undefined, load)).toEqual({
      backend: 'tfjs-node-gpu',
      tfName: 'tensorflow',
      reasons: [],
      label: 'tfjs tfjs-node-gpu',
    })
    expect(tried).toEqual(['tfjs-node-gpu'])
  })

  it('falls to native CPU TensorFlow when the GPU build finds no GPU, and says so', async () => {
    const noGpu = new Error(
      'TensorFlow found no usable GPU (CUDA/cuDNN missing or no device visible)',
    )
    const { load } = fakeLoader({ 'tfjs-node-gpu': noGpu })
    const s = await chooseBackend('auto', load)
    expect(s.backend).toBe('tfjs-node')
    expect(s.label).toBe(
      'tfjs tfjs-node (tfjs-node-gpu: TensorFlow found no usable GPU (CUDA/cuDNN missing or no device visible))',
    )
  })

  it('reports a missing package as "not installed" and a failure by its first line', async () => {
    const { load, tried } = fakeLoader({
      'tfjs-node-gpu': 'missing',
      'tfjs-node': new Error('libtensorflow.so.2: cannot open shared object file\n  at dlopen'),
    })
    const s = await chooseBackend(null, load)
    expect(s.backend).toBe('wasm')
    expect(s.reasons).toEqual([
      { backend: 'tfjs-node-gpu', reason: 'not installed' },
      { backend: 'tfjs-node', reason: 'libtensorflow.so.2: cannot open shared object file' },
    ])
    expect(s.label).toBe(
      'tfjs wasm (tfjs-node-gpu: not installed; tfjs-node: libtensorflow.so.2: cannot open shared object file)',
    )
    expect(tried).toEqual(['tfjs-node-gpu', 'tfjs-node', 'wasm'])
  })

  it('starts at the preferred backend and never tries a better one', async () => {
    const { load, tried } = fakeLoader({})
    expect((await chooseBackend('wasm', load)).backend).toBe('wasm')
    expect(tried).toEqual(['wasm'])
  })

  it('fails with every reason when nothing starts', async () => {
    const { load } = fakeLoader({
      'tfjs-node-gpu': 'missing',
      'tfjs-node': 'missing',
      wasm: new Error('the wasm backend did not start'),
      cpu: new Error('the cpu backend did not start'),
    })
    await expect(chooseBackend(undefined, load)).rejects.toThrow(
      'no TensorFlow.js backend could start: tfjs-node-gpu: not installed; tfjs-node: not installed; wasm: the wasm backend did not start; cpu: the cpu backend did not start',
    )
  })
})

describe('backendLabel', () => {
  const selection = (backend: BackendChoice, label: string): BackendSelection => ({
    backend,
    tfName: backend.startsWith('tfjs-node') ? 'tensorflow' : backend,
    reasons: [],
    fastKernels: [],
    label,
  })

  it('names the GPU once, and only when TensorFlow runs on it', () => {
    expect(backendLabel(selection('tfjs-node-gpu', 'tfjs tfjs-node-gpu'), 2)).toBe(
      'tfjs tfjs-node-gpu on GPU 2',
    )
    const fellBack = 'tfjs wasm (tfjs-node-gpu: not installed; tfjs-node: not installed)'
    expect(backendLabel(selection('wasm', fellBack), 2)).toBe(fellBack)
    expect(backendLabel(selection('tfjs-node', 'tfjs tfjs-node'), 0)).toBe('tfjs tfjs-node')
    expect(backendLabel(selection('tfjs-node-gpu', 'tfjs tfjs-node-gpu'), null)).toBe(
      'tfjs tfjs-node-gpu',
    )
  })
})

describe('selectBackend', () => {
  it('starts the best backend installed here, says why it passed over better ones, registers our kernels', async () => {
    const listeners = process.listeners('unhandledRejection').length
    const s = await selectBackend()
    const passedOver = BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(s.backend))
    expect(s.reasons.map((r) => r.backend)).toEqual(passedOver)
    for (const r of s.reasons) expect(r.reason).not.toBe('')
    expect(tf.getBackend()).toBe(s.tfName)
    expect(s.label.startsWith(`tfjs ${s.backend}`)).toBe(true)
    if (s.tfName !== 'tensorflow') expect(s.fastKernels).toContain('Conv2DBackpropFilter')
    expect(tf.env().getBool('PROD')).toBe(true)
    expect(process.listeners('unhandledRejection').length).toBe(listeners)
    expect(await selectBackend('cpu')).toBe(s)
  })

  it('honours a preferred backend (in a fresh process: the choice is made once per process)', () => {
    const script = [
      `import { selectBackend } from ${JSON.stringify(path.join(import.meta.dirname, 'selectBackend.ts'))}`,
      `const s = await selectBackend('cpu')`,
      `console.log(JSON.stringify({ backend: s.backend, label: s.label, fastKernels: s.fastKernels }))`,
    ].join('\n')
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
      },
    )
    expect(JSON.parse(out.trim().split('\n').pop()!)).toEqual({
      backend: 'cpu',
      label: 'tfjs cpu',
      fastKernels: ['Conv2DBackpropFilter', 'MaxPoolGrad', 'AvgPoolGrad'],
    })
  })
})
