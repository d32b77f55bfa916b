// Runs in main: a study's concurrency slots. Each runs one trial at a time on its own trial worker, reused
// from trial to trial while it lives; a worker that crashed or was killed by a cancel is dropped, so the
// slot's next trial gets a fresh one from the executor. An executor that runs one trial per worker (a Slurm
// job) has its worker let go after each trial: told to leave (SIGTERM), so its job ends as done.
import type { ActiveTrial } from './runTrial.ts'
import type { SlotWorker, TrialExecutor } from './trialExecutor.ts'

export interface SlotTrial {
  slot: number
  /** The worker it runs on. */
  worker: SlotWorker
  run: ActiveTrial
}

export interface TrialSlots {
  /** A slot without a trial, or -1. */
  free(): number
  /** Starts a trial in a free slot on the slot's worker (started first, for this trial, when it has none). */
  occupy(slot: number, trialNumber: number, start: (worker: SlotWorker) => ActiveTrial): SlotTrial
  /** Frees the slot of a trial that ended, dropping its worker if it died or was killed. */
  vacate(slot: number): void
  running(): SlotTrial[]
  /** Kills every worker. */
  close(): void
}

export function createTrialSlots(count: number, executor: TrialExecutor): TrialSlots {
  const workers: (SlotWorker | null)[] = Array.from({ length: count }, () => null)
  const trials: (SlotTrial | null)[] = workers.map(() => null)

  return {
    free: () => trials.findIndex((t) => t === null),
    occupy(slot, trialNumber, start) {
      if (trials[slot])
        throw new Error(`slot ${slot} already runs trial ${trials[slot].run.trial.number}`)
      let worker = workers[slot]
      if (!worker || worker.client.exited)
        worker = workers[slot] = executor.start(slot, trialNumber)
      const trial = { slot, worker, run: start(worker) }
      trials[slot] = trial
      return trial
    },
    vacate(slot) {
      const worker = workers[slot]
      const killed = trials[slot]?.run.workerKilled || worker?.client.exited
      if (worker && (killed || executor.workerPerTrial)) {
        worker.client.kill(killed ? 'SIGKILL' : 'SIGTERM')
        workers[slot] = null
        executor.release(slot)
      }
      trials[slot] = null
    },
    running: () => trials.filter((t) => t !== null),
    close() {
      for (const w of workers) w?.client.kill('SIGKILL')
    },
  }
}
