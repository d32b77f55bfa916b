// Runs in main: the control of one study run. It holds the run's state (runState.ts), takes the study's
// lease and renews it with a heartbeat that also advances the budget clock and reads the pause/stop/resume
// requests other processes leave in the database, and writes the study's state at the start and the end.
import type { StudyEvent } from '../../shared/studyEvent.ts'
import type { LeaseHolder, LeaseInfo, StudyStore } from '../store/studyStore.ts'
import type { RunBudget } from './runBudget.ts'
import { endOf, nextRunState, type RunEvent, type RunState } from './runState.ts'

const HEARTBEAT_MS = 3000

export class LeaseHeldError extends Error {
  constructor(
    readonly studyName: string,
    readonly holder: LeaseInfo,
  ) {
    super(
      `study "${studyName}" is being run by process ${holder.pid} on ${holder.host} (heartbeat ${holder.heartbeatAt})`,
    )
    this.name = 'LeaseHeldError'
  }
}

/** Takes the study's lease (a stale one is taken over) or throws LeaseHeldError naming the live holder. */
export function takeLease(
  store: Pick<StudyStore, 'acquireLease'>,
  study: { id: number; name: string },
  holder: LeaseHolder,
): void {
  const lease = store.acquireLease(study.id, holder)
  if (!lease.ok) throw new LeaseHeldError(study.name, lease.holder)
}

type ControlStore = Pick<
  StudyStore,
  'heartbeat' | 'takeControlRequests' | 'setStudyState' | 'releaseLease'
>

export interface RunControlOptions {
  store: ControlStore
  studyId: number
  holder: LeaseHolder
  heartbeatMs?: number
  budget: RunBudget
  /** After each change of state, and after each heartbeat once the run has started. */
  onChange: (state: RunState) => void
  emit: (event: StudyEvent) => void
}

export interface RunControl {
  readonly state: RunState
  send(event: RunEvent): void
  /** The tuner is ready: the clock starts and the study is marked running (unless the run already failed). */
  start(): void
  /** Nothing runs any more: stops the heartbeat and the clock and settles how the run ended. */
  end(trials: Parameters<typeof endOf>[1]): Extract<RunState, { kind: 'ended' }>
  /** Writes the study's final state and gives the lease back, unless another process took it over. */
  close(): void
}

export function createRunControl(o: RunControlOptions): RunControl {
  const { store, studyId } = o
  let state: RunState = { kind: 'starting' }
  const send = (event: RunEvent): void => {
    const next = nextRunState(state, event)
    if (next === state) return
    state = next
    o.onChange(state)
  }
  const writeState = (s: StudyEvent & { type: 'study-state' }): void => {
    store.setStudyState(studyId, s.state, s.error)
    o.emit(s)
  }

  const heartbeat = setInterval(() => {
    try {
      store.heartbeat(studyId, o.holder)
      if (state.kind === 'starting') return
      o.budget.tick()
      for (const req of store.takeControlRequests(studyId))
        send(req.action === 'resume' ? { type: 'resume' } : { type: req.action, by: 'remote' })
      o.onChange(state)
    } catch (e) {
      if ((e as { code?: string }).code === 'BAD_STATE')
        send({ type: 'fail', error: (e as Error).message, leaseLost: true })
      else
        o.emit({ type: 'warning', studyId, message: `heartbeat failed: ${(e as Error).message}` })
    }
  }, o.heartbeatMs ?? HEARTBEAT_MS)

  return {
    get state() {
      return state
    },
    send,
    start() {
      if (state.kind !== 'starting') return
      o.budget.start()
      state = nextRunState(state, { type: 'started' })
      writeState({ type: 'study-state', studyId, state: 'running', error: null })
    },
    end(trials) {
      if (state.kind !== 'ended') {
        clearInterval(heartbeat)
        o.budget.tick()
        state = endOf(state, trials)
      }
      return state as Extract<RunState, { kind: 'ended' }>
    },
    close() {
      if (state.kind !== 'ended' || state.leaseLost) return
      const { outcome } = state
      writeState({ type: 'study-state', studyId, state: outcome.state, error: outcome.error })
      store.releaseLease(studyId, o.holder)
    },
  }
}
