import { execFileSync } from 'node:child_process'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { describe, expect, it } from 'vitest'
import { backendChain, selectBackend } from './selectBackend.ts'

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

describe('selectBackend', () => {
  it('falls back to wasm here, says why, registers our kernels and keeps the process handlers', async () => {
    const listeners = process.listeners('unhandledRejection').length
    const s = await selectBackend()
    expect(s.backend).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    // tfjs-node(-gpu) cannot install on these machines (they download libtensorflow).
    expect(s.reasons).toEqual([
      { backend: 'tfjs-node-gpu', reason: 'not installed' },
      { backend: 'tfjs-node', reason: 'not installed' },
    ])
    expect(s.label).toBe('tfjs wasm (tfjs-node-gpu: not installed; tfjs-node: not installed)')
    expect(s.fastKernels).toContain('Conv2DBackpropFilter')
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
