// One race run: a tuner on a task for a seed, in-process and sequential (ask → evaluate → tell, as
// the engine does at concurrency 1), so a tabular run costs only the tuner's own time. Also the
// child-process side of `--jobs=N`.
import type { ModelPhaseRecord } from '../src/shared/agentSnapshot.ts'
import { configKey } from '../src/shared/spaceCodec.ts'
import { completeTrial, type FinishedTrial } from '../src/shared/trial.ts'
import { tunerSpecSchema } from '../src/shared/tunerSpec.ts'
import { createTuner } from '../src/worker/tuners/createTuner.ts'
import { buildTask, type RaceTask, type TaskRef } from './raceTasks.ts'

export interface RaceJob {
  task: TaskRef
  tuner: string
  spec: Record<string, unknown>
  seed: number
  budget: number
}

export interface RaceRunResult {
  task: string
  tuner: string
  seed: number
  /** Best loss after each evaluation. */
  bestSoFar: number[]
  /** CPU ms of each ask() that ran no model phase (this process's CPU time: the machine is shared). */
  askMs: number[]
  /** CPU ms of each ask() that ran a model phase (the phase is most of it). */
  phaseAskMs: number[]
  /** CPU ms of each tell(). */
  tellMs: number[]
  /** Proposals that repeat an earlier configuration of the run. */
  repeats: number
  seconds: number
}

const built = new Map<string, Promise<RaceTask>>()

function taskFor(ref: TaskRef): Promise<RaceTask> {
  const key = `${ref.family}:${ref.name}:${ref.file ?? ''}`
  let task = built.get(key)
  if (!task) {
    task = buildTask(ref)
    built.set(key, task)
  }
  return task
}

/** CPU time of this process (user + system), ms: unlike wall time, other processes do not inflate it. */
function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

export async function runJob(job: RaceJob): Promise<RaceRunResult> {
  const t0 = performance.now()
  const task = await taskFor(job.task)
  const tuner = createTuner(tunerSpecSchema.parse(job.spec), {
    space: task.space,
    direction: 'minimize',
    seed: job.seed,
  })
  const finished: FinishedTrial[] = []
  const bestSoFar: number[] = []
  const askMs: number[] = []
  const phaseAskMs: number[] = []
  const tellMs: number[] = []
  const seen = new Set<string>()
  let repeats = 0
  let best = Infinity
  let lastPhase: ModelPhaseRecord | null = null
  for (let number = 0; number < job.budget; number++) {
    let t = cpuMs()
    const proposal = await tuner.ask({ finished, pending: [] })
    const ms = cpuMs() - t
    const phase = proposal.agentSnapshot?.lastModelPhase ?? null
    if (phase && phase !== lastPhase && JSON.stringify(phase) !== JSON.stringify(lastPhase))
      phaseAskMs.push(ms)
    else askMs.push(ms)
    lastPhase = phase
    const key = configKey(proposal.params)
    if (seen.has(key)) repeats++
    seen.add(key)
    const loss = await task.loss(proposal.params)
    best = Math.min(best, loss)
    bestSoFar.push(best)
    const trial = completeTrial(number, proposal.params, loss, { tunerData: proposal.tunerData })
    finished.push(trial)
    t = cpuMs()
    if (number < job.budget - 1) await tuner.tell(trial, { finished, pending: [] })
    tellMs.push(cpuMs() - t)
  }
  return {
    task: job.task.name,
    tuner: job.tuner,
    seed: job.seed,
    bestSoFar,
    askMs,
    phaseAskMs,
    tellMs,
    repeats,
    seconds: (performance.now() - t0) / 1000,
  }
}

// As a child process (bench/race.bench.ts forks this file): run the jobs the parent sends.
if (process.send && process.argv.includes('--race-child')) {
  process.on('message', ({ job }: { job: RaceJob | null }) => {
    if (job === null) process.exit(0)
    runJob(job).then(
      (result) => process.send!({ ok: true, result }),
      (error: unknown) =>
        process.send!({ ok: false, error: String((error as Error)?.stack ?? error) }),
    )
  })
}
