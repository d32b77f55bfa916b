// Runs in main: the trials of an `external` study, made when a client asks (the Python client's ask/tell
// against `serve`). A client owns the trial it was given through a ticket; it reports, sends heartbeats and
// tells. Its trial is an ActiveTrial whose outcome the client settles, so the run records it as any other.
// A trial whose client goes quiet longer than heartbeatSeconds is interrupted, and the next ask re-asks it.
import { randomBytes } from 'node:crypto'
import type { Config } from '../../shared/searchSpace.ts'
import type { Json, TrialRecord, TrialState } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'
import type { ActiveTrial, CancelReason, TrialOutcome } from './runTrial.ts'

export type ExternalErrorCode =
  | 'NOT_EXTERNAL'
  | 'BUSY'
  | 'BUDGET_SPENT'
  | 'PAUSED'
  | 'STOPPED'
  | 'TRIAL_NOT_FOUND'
  | 'TRIAL_NOT_OWNED'
  | 'ALREADY_TOLD'
  | 'TRIAL_EXPIRED'
  | 'CANCELLED'

export class ExternalTrialError extends Error {
  constructor(
    readonly code: ExternalErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ExternalTrialError'
  }
}

export interface ExternalGrant {
  number: number
  params: Config
  /** The client's proof that it owns the trial; every later call carries it. */
  ticket: string
  heartbeatSeconds: number
}

export type ExternalTell =
  | { state: 'complete'; value: number }
  | { state: 'pruned'; value?: number }
  | { state: 'failed'; error?: string }

/** What the server's client API calls. */
export interface ExternalTrials {
  ask(): Promise<ExternalGrant>
  report(number: number, ticket: string, step: number, value: number): Promise<{ prune: boolean }>
  heartbeat(number: number, ticket: string): { prune: boolean }
  attr(number: number, ticket: string, key: string, value: Json): void
  tell(
    number: number,
    ticket: string,
    result: ExternalTell,
  ): Promise<{ state: TrialState; value: number | null }>
}

/** What the run gives the external trials. */
export interface ExternalRunHooks {
  /** Why the run may not start a trial now (paused, stopping, budget spent), or null. */
  refusal(): { code: ExternalErrorCode; message: string } | null
  /** Whether a concurrency slot is free. */
  hasRoom(): boolean
  /** The next trial: an interrupted one, a queued one, or the tuner's proposal (null: the run may no longer launch). */
  next(): Promise<TrialRecord | null>
  /** Marks the trial running; the promise resolves once its settled outcome is recorded. */
  launch(trial: TrialRecord, active: ActiveTrial): Promise<void>
  /** Stores an intermediate value and asks the pruner. */
  report(trial: TrialRecord, step: number, value: number): boolean
}

/** What the run itself calls. */
export interface RunExternalTrials extends ExternalTrials {
  /** Interrupts the trials whose client has been quiet past heartbeatSeconds. */
  expire(now: number): void
  /** The trials clients run now (cancelled with the others on stop). */
  running(): ActiveTrial[]
}

interface Entry extends ActiveTrial {
  ticket: string
  lastContact: number
  prune: boolean
  /** The last step the client reported (a pruned trial's step). */
  lastStep: number | null
  settle(outcome: TrialOutcome): void
  recorded: Promise<void>
}

function cancelOutcome(reason: CancelReason, timeoutSeconds: number | null): TrialOutcome {
  if (reason === 'user') return { state: 'failed', error: 'cancelled by the user' }
  if (reason === 'timeout')
    return { state: 'failed', error: `the trial exceeded its time limit of ${timeoutSeconds} s` }
  return { state: 'interrupted', reason: 'the study was stopped while its client ran this trial' }
}

function entryOf(
  trial: TrialRecord,
  timeoutSeconds: number | null,
  onCancel: (e: Entry, outcome: TrialOutcome) => void,
): Entry {
  let resolve!: (o: TrialOutcome) => void
  let settled = false
  const outcome = new Promise<TrialOutcome>((r) => (resolve = r))
  const timer = timeoutSeconds
    ? setTimeout(() => entry.cancel('timeout'), timeoutSeconds * 1000)
    : undefined
  const entry: Entry = {
    trial,
    ticket: randomBytes(18).toString('base64url'),
    lastContact: Date.now(),
    prune: false,
    lastStep: null,
    workerKilled: false,
    outcome,
    recorded: Promise.resolve(),
    settle(o) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(o)
    },
    // A prune is the client's to act on (should_prune); the other reasons end the trial here.
    cancel(reason) {
      if (reason !== 'pruned') onCancel(entry, cancelOutcome(reason, timeoutSeconds))
    },
  }
  return entry
}

export function createExternalTrials(o: {
  store: Pick<StudyStore, 'getTrial' | 'setUserAttr'>
  studyId: number
  heartbeatSeconds: number
  timeoutSeconds: number | null
  hooks: ExternalRunHooks
}): RunExternalTrials {
  const active = new Map<number, Entry>()
  /** Tickets of trials that ended, by `number:ticket`: a late call says why instead of "not yours". */
  const ended = new Map<string, { code: ExternalErrorCode; message: string }>()
  let asking: Promise<unknown> = Promise.resolve()

  function owned(number: number, ticket: string): Entry {
    const e = active.get(number)
    if (e && e.ticket === ticket) {
      e.lastContact = Date.now()
      return e
    }
    const why = ended.get(`${number}:${ticket}`)
    if (why) throw new ExternalTrialError(why.code, why.message)
    if (!o.store.getTrial(o.studyId, number))
      throw new ExternalTrialError('TRIAL_NOT_FOUND', `the study has no trial ${number}`)
    throw new ExternalTrialError(
      'TRIAL_NOT_OWNED',
      `trial ${number} is not this client's: its ticket does not match the one given with the trial`,
    )
  }

  function finish(
    e: Entry,
    outcome: TrialOutcome,
    why: { code: ExternalErrorCode; message: string },
  ) {
    ended.set(`${e.trial.number}:${e.ticket}`, why)
    active.delete(e.trial.number)
    e.settle(outcome)
  }

  async function grant(): Promise<ExternalGrant> {
    const refused = o.hooks.refusal()
    if (refused) throw new ExternalTrialError(refused.code, refused.message)
    if (!o.hooks.hasRoom())
      throw new ExternalTrialError(
        'BUSY',
        `every concurrency slot (${active.size}) holds a trial a client is running; ask again when one is told`,
      )
    const trial = await o.hooks.next()
    if (!trial) {
      const why = o.hooks.refusal() ?? { code: 'STOPPED' as const, message: 'the run ended' }
      throw new ExternalTrialError(why.code, why.message)
    }
    const e: Entry = entryOf(trial, o.timeoutSeconds, (c, outcome) =>
      finish(c, outcome, {
        code: 'CANCELLED',
        message: `trial ${c.trial.number} was ended here: ${outcome.state === 'failed' ? outcome.error : outcome.state === 'interrupted' ? outcome.reason : outcome.state}`,
      }),
    )
    active.set(trial.number, e)
    e.recorded = o.hooks.launch(trial, e)
    return {
      number: trial.number,
      params: trial.params,
      ticket: e.ticket,
      heartbeatSeconds: o.heartbeatSeconds,
    }
  }

  return {
    ask() {
      // One ask at a time: two must not take the same slot or the same waiting trial.
      const next = asking.then(grant, grant)
      asking = next.catch(() => {})
      return next
    },
    async report(number, ticket, step, value) {
      const e = owned(number, ticket)
      e.lastStep = step
      e.prune = o.hooks.report(e.trial, step, value) || e.prune
      return { prune: e.prune }
    },
    heartbeat(number, ticket) {
      return { prune: owned(number, ticket).prune }
    },
    attr(number, ticket, key, value) {
      o.store.setUserAttr(owned(number, ticket).trial.id, key, value)
    },
    async tell(number, ticket, result) {
      const e = owned(number, ticket)
      const outcome: TrialOutcome =
        result.state === 'complete'
          ? { state: 'complete', value: result.value, userAttrs: {}, backend: 'external client' }
          : result.state === 'pruned'
            ? { state: 'pruned', value: result.value ?? null, step: e.lastStep }
            : { state: 'failed', error: result.error ?? 'the client said it failed' }
      finish(e, outcome, {
        code: 'ALREADY_TOLD',
        message: `trial ${number} was already told (${result.state})`,
      })
      await e.recorded
      const t = o.store.getTrial(o.studyId, number)!
      return { state: t.state, value: t.value }
    },
    running: () => [...active.values()],
    expire(now) {
      for (const e of [...active.values()]) {
        if (now - e.lastContact <= o.heartbeatSeconds * 1000) continue
        const reason = `its client sent no report or heartbeat for ${o.heartbeatSeconds} s`
        finish(
          e,
          { state: 'interrupted', reason },
          {
            code: 'TRIAL_EXPIRED',
            message: `trial ${e.trial.number} was given up: ${reason}; it is interrupted and the next ask runs it again`,
          },
        )
      }
    },
  }
}
