// Runs in the study's tuner worker: holds the tuner, never trains a model, so a trial that crashes or
// hangs never costs the tuner its state. Requests are handled one at a time, in order.
import { validateConfig } from '../shared/spaceCodec.ts'
import type { SearchSpace } from '../shared/searchSpace.ts'
import type { FinishedTrial } from '../shared/trial.ts'
import type { Tuner } from '../shared/tuner.ts'
import type {
  TunerWorkerRequestBody,
  WorkerRequest,
  WorkerResultMap,
} from '../shared/workerProtocol.ts'
import type { ParentConnection } from './connectToParent.ts'
import { createTuner } from './tuners/createTuner.ts'
import { handleRequests } from './handleRequests.ts'

interface TunerSession {
  tuner: Tuner
  space: SearchSpace
  finished: FinishedTrial[]
}

export function serveTunerWorker(parent: ParentConnection): void {
  let session: TunerSession | null = null
  const need = (): TunerSession => {
    if (!session)
      throw Object.assign(new Error('tuner worker got a request before init'), {
        code: 'BAD_REQUEST',
      })
    return session
  }

  const handlers: {
    [K in TunerWorkerRequestBody['type']]: (
      req: Extract<TunerWorkerRequestBody, { type: K }>,
    ) => Promise<WorkerResultMap[K]>
  } = {
    async init(req) {
      const tuner = createTuner(req.tuner, {
        space: req.space,
        direction: req.direction,
        seed: req.seed,
      })
      if (req.state) tuner.loadState(req.state)
      session = {
        tuner,
        space: req.space,
        finished: [...req.finished],
      }
      return { tunerKind: req.tuner.kind }
    },
    async ask(req) {
      const s = need()
      const proposal = await s.tuner.ask({ finished: s.finished, pending: req.pending })
      const errors = validateConfig(s.space, proposal.params)
      if (errors.length) {
        throw Object.assign(
          new Error(
            `the tuner proposed an invalid configuration: ${errors.map((e) => e.message).join('; ')}`,
          ),
          { code: 'TUNER_ERROR' },
        )
      }
      return { proposal, state: s.tuner.saveState() }
    },
    async tell(req) {
      const s = need()
      s.finished.push(req.trial)
      let warning: string | null = null
      try {
        await s.tuner.tell(req.trial, { finished: s.finished, pending: req.pending })
      } catch (e) {
        // A tuner that cannot learn from one result must not end the study; the trial log says why.
        warning = `the tuner could not learn from trial ${req.trial.number}: ${(e as Error).message}`
      }
      const agentSnapshot = s.tuner.snapshot?.() ?? null
      return {
        state: s.tuner.saveState(),
        agentSnapshot,
        warning: warning ?? agentSnapshot?.warning ?? null,
      }
    },
  }

  handleRequests(parent, (req: WorkerRequest) => {
    const handler = handlers[req.type as TunerWorkerRequestBody['type']] as
      ((r: WorkerRequest) => Promise<unknown>) | undefined
    if (!handler)
      throw Object.assign(new Error(`the tuner worker does not handle "${req.type}"`), {
        code: 'BAD_REQUEST',
      })
    return handler(req)
  })
  parent.onDisconnect(() => process.exit(0))
}
