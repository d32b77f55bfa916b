// Runs in main: what is left of a study's budget in this run: trials (`--trials N` or the study file's) and
// minutes of running time, summed over resumes and recorded in the study.

export interface RunBudget {
  /** Starts the minutes clock: it counts the time trials can run, not worker start-up. */
  start(): void
  /** Adds the time since the last tick to the study's running time. */
  tick(): void
  trialFinished(): void
  /** True while one more trial may start besides the `running` ones. */
  allows(running: number): boolean
}

export interface RunBudgetOptions {
  trials: number
  /** Infinity without a minutes budget. */
  ms: number
  /** Trials of the study finished before this run. */
  finished: number
  /** Running time of the study before this run. */
  runningMs: number
  /** Records elapsed running time (the store's addRunningTime). */
  record: (ms: number) => void
  /** Read at each tick: the study's finished trials and trial budget as stored now (imports, a raised budget). */
  recount?: () => { finished: number; trials: number | undefined }
  now?: () => number
}

export function createRunBudget(o: RunBudgetOptions): RunBudget {
  const now = o.now ?? Date.now
  let finished = o.finished
  let trials = o.trials
  let runningMs = o.runningMs
  let clockAt = now()
  return {
    start() {
      clockAt = now()
    },
    tick() {
      const t = now()
      o.record(t - clockAt)
      runningMs += t - clockAt
      clockAt = t
      const stored = o.recount?.()
      if (stored) {
        finished = stored.finished
        trials = stored.trials ?? trials
      }
    },
    trialFinished() {
      finished++
    },
    allows: (running) => finished + running < trials && runningMs + (now() - clockAt) < o.ms,
  }
}
