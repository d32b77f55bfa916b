// Runs in trial workers, once per process: picks the best TensorFlow.js backend present, best first
// tfjs-node-gpu (CUDA) → tfjs-node (native CPU) → wasm → cpu, and says why each better one was passed over.
import { createRequire } from 'node:module'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { registerFastKernels } from './kernels/registerFastKernels.ts'

export type BackendChoice = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu'
export const BACKEND_ORDER: readonly BackendChoice[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu']

const ALIASES: Record<string, BackendChoice> = {
  'tfjs-node-gpu': 'tfjs-node-gpu',
  'node-gpu': 'tfjs-node-gpu',
  gpu: 'tfjs-node-gpu',
  cuda: 'tfjs-node-gpu',
  'tfjs-node': 'tfjs-node',
  node: 'tfjs-node',
  tensorflow: 'tfjs-node',
  wasm: 'wasm',
  cpu: 'cpu',
}

export interface BackendSelection {
  /** The backend that runs: one of BACKEND_ORDER. */
  backend: BackendChoice
  /** tfjs's own name for it (tensorflow, wasm, cpu). */
  tfName: string
  /** Why each backend tried before it was not used, in order. */
  reasons: { backend: BackendChoice; reason: string }[]
  /** Kernels of ours registered for it. */
  fastKernels: string[]
  /** For the trial record: 'tfjs wasm (tfjs-node-gpu: not installed; tfjs-node: not installed)'. */
  label: string
}

/** Where the chain starts: a preferred backend from the settings, or the best one ('auto', empty, unknown). */
export function backendChain(preferred?: string | null): BackendChoice[] {
  const start = preferred ? ALIASES[preferred.trim().toLowerCase()] : undefined
  return start ? BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(start)) : [...BACKEND_ORDER]
}

function firstLine(e: unknown): string {
  const err = e as NodeJS.ErrnoException
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND')
    return 'not installed'
  return String(err?.message ?? e)
    .split('\n')[0]
    .slice(0, 300)
}

// A package name in a variable: these optional dependencies may be absent, so nothing may resolve them statically.
async function importOptional(name: string): Promise<unknown> {
  return import(name)
}

/** Emscripten's loader adds process handlers that rethrow every uncaught error; the worker keeps its own. */
async function withoutNewProcessHandlers<T>(f: () => Promise<T>): Promise<T> {
  const events = ['uncaughtException', 'unhandledRejection']
  const emitter = process as unknown as NodeJS.EventEmitter
  const before = events.map((e) => new Set(emitter.listeners(e)))
  try {
    return await f()
  } finally {
    events.forEach((e, i) => {
      for (const l of emitter.listeners(e)) {
        if (!before[i].has(l)) emitter.removeListener(e, l as (...args: unknown[]) => void)
      }
    })
  }
}

function wasmDistFolder(): string {
  const require = createRequire(import.meta.url)
  return path.join(
    path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')),
    'dist',
  )
}

async function tryBackend(choice: BackendChoice): Promise<string> {
  if (choice === 'tfjs-node-gpu' || choice === 'tfjs-node') {
    // tfjs-node-gpu without a usable GPU still registered native TensorFlow on the CPU: tfjs-node reuses it.
    if (choice === 'tfjs-node-gpu' || !tf.findBackendFactory('tensorflow')) {
      await importOptional(`@tensorflow/${choice}`)
    }
    if (!(await tf.setBackend('tensorflow')))
      throw new Error('the tensorflow backend did not start')
    const native = tf.backend() as { isUsingGpuDevice?: boolean }
    if (choice === 'tfjs-node-gpu' && native.isUsingGpuDevice === false) {
      throw new Error('TensorFlow found no usable GPU (CUDA/cuDNN missing or no device visible)')
    }
    return 'tensorflow'
  }
  if (choice === 'wasm') {
    setWasmPaths(`${wasmDistFolder()}${path.sep}`)
    const ok = await withoutNewProcessHandlers(() => tf.setBackend('wasm'))
    if (!ok) throw new Error('the wasm backend did not start')
    return 'wasm'
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start')
  return 'cpu'
}

/** Starts one backend and returns tfjs's name for it, or throws why it cannot run. */
export type BackendLoader = (choice: BackendChoice) => Promise<string>

/** Walks the chain from the preferred backend down: the first one `load` starts wins, and each one
 *  before it is reported with the reason it failed. */
export async function chooseBackend(
  preferred: string | null | undefined,
  load: BackendLoader,
): Promise<Omit<BackendSelection, 'fastKernels'>> {
  const reasons: BackendSelection['reasons'] = []
  const why = () => reasons.map((r) => `${r.backend}: ${r.reason}`).join('; ')
  for (const choice of backendChain(preferred)) {
    try {
      const tfName = await load(choice)
      const because = why()
      return {
        backend: choice,
        tfName,
        reasons,
        label: `tfjs ${choice}${because ? ` (${because})` : ''}`,
      }
    } catch (e) {
      reasons.push({ backend: choice, reason: firstLine(e) })
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${why()}`)
}

let selected: Promise<BackendSelection> | null = null

/**
 * Selects the backend once per process (later calls get the same answer, whatever they prefer): the
 * preferred one if it starts, else the next one down. Registers our kernels for it.
 */
export function selectBackend(preferred?: string | null): Promise<BackendSelection> {
  selected ??= (async () => {
    tf.env().set('PROD', true)
    const choice = await chooseBackend(preferred, tryBackend)
    return { ...choice, fastKernels: registerFastKernels(choice.tfName) }
  })()
  return selected
}

/** What a trial's record says ran: the backend, and the GPU only when TensorFlow really runs on one. */
export function backendLabel(selection: BackendSelection, gpu: number | null | undefined): string {
  const onGpu = selection.backend === 'tfjs-node-gpu' && gpu != null
  return onGpu ? `${selection.label} on GPU ${gpu}` : selection.label
}
