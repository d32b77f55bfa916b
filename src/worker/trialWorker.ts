// Runs in a trial worker: one trial at a time; main kills this process to end a trial that will not stop.
import {
  COMMAND_KILL_GRACE_MS,
  type TrialWorkerRequestBody,
  type WorkerRequest,
  type WorkerResultMap,
} from '../shared/workerProtocol.ts'
import type { ParentConnection } from './connectToParent.ts'
import { handleRequests } from './handleRequests.ts'
import { saveModel, scoreTest } from './objectives/bestConfigTasks.ts'
import { describeData } from './objectives/describeData.ts'
import { createObjective } from './objectives/createObjective.ts'

export function serveTrialWorker(parent: ParentConnection): void {
  let current: {
    trialNumber: number
    controller: AbortController
    settled: Promise<unknown>
  } | null = null

  async function run(
    req: Extract<TrialWorkerRequestBody, { type: 'run' }>,
  ): Promise<WorkerResultMap['run']> {
    if (current)
      throw Object.assign(new Error(`this worker is busy with trial ${current.trialNumber}`), {
        code: 'BAD_REQUEST',
      })
    const { spec } = req
    const controller = new AbortController()
    const n = spec.trialNumber
    const work = (async () => {
      const objective = await createObjective(spec, (pgid) =>
        parent.send({ kind: 'event', type: 'process-group', trialNumber: n, pgid }),
      )
      return objective.run(spec.params, {
        trialNumber: n,
        seed: spec.seed,
        trialDir: spec.trialDir,
        signal: controller.signal,
        report(step, value) {
          if (controller.signal.aborted) return
          if (!Number.isFinite(value) || !Number.isFinite(step)) {
            parent.send({
              kind: 'event',
              type: 'log',
              trialNumber: n,
              stream: 'stderr',
              line: `[hpo-studio] ignored intermediate value ${value} at step ${step}: not a finite number`,
            })
            return
          }
          parent.send({ kind: 'event', type: 'intermediate', trialNumber: n, step, value })
        },
        log(line, stream = 'stdout') {
          parent.send({ kind: 'event', type: 'log', trialNumber: n, stream, line })
        },
      })
    })()
    current = { trialNumber: n, controller, settled: work.catch(() => {}) }
    try {
      const result = await work
      if (controller.signal.aborted)
        throw Object.assign(new Error('cancelled'), { name: 'AbortError' })
      if (typeof result.value !== 'number' || !Number.isFinite(result.value)) {
        throw Object.assign(
          new Error(`the objective returned ${String(result.value)} (a finite number is required)`),
          { code: 'OBJECTIVE_FAILED' },
        )
      }
      return {
        value: result.value,
        userAttrs: result.userAttrs ?? {},
        backend: result.backend ?? null,
      }
    } finally {
      current = null
    }
  }

  handleRequests(
    parent,
    async (req: WorkerRequest) => {
      if (req.type === 'run') return run(req)
      if (req.type === 'saveModel') return saveModel(req.spec, req.file)
      if (req.type === 'scoreTest') return scoreTest(req.spec)
      if (req.type === 'describeData') return describeData(req.spec)
      if (req.type === 'cancel') {
        current?.controller.abort(new Error(req.reason))
        return null
      }
      throw Object.assign(new Error(`the trial worker does not handle "${req.type}"`), {
        code: 'BAD_REQUEST',
      })
    },
    { sequential: false, fallbackCode: 'OBJECTIVE_FAILED' },
  )

  parent.onDisconnect(() => {
    // Main is gone: stop the trial (a command's process group gets SIGTERM, then SIGKILL) and leave.
    if (!current) process.exit(0)
    current.controller.abort(new Error('main process went away'))
    const deadline = setTimeout(() => process.exit(0), COMMAND_KILL_GRACE_MS + 1000)
    void current.settled.then(() => {
      clearTimeout(deadline)
      process.exit(0)
    })
  })
}
