// Runs in the tuner worker: the RL tuners compute on tfjs `cpu` only, whatever backend trials use,
// so a seed gives the same proposals on every machine.
import * as tf from '@tensorflow/tfjs'

let pending: Promise<void> | null = null

/** Selects the `cpu` backend (once per process, and again if something switched it away). */
export async function useCpuBackend(): Promise<void> {
  if (pending === null) {
    // PROD drops per-op debug checks and the "running in Node.js" hint on stderr
    tf.env().set('PROD', true)
    pending = tf.setBackend('cpu').then(() => undefined)
  }
  await pending
  if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu')
}
