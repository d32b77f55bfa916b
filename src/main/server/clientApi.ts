// Runs in main (`hpo-studio serve`): the API the Python client's ask and tell use, POST /client/v1/METHOD
// with a JSON body. It is for programs, not browsers: the token `serve` printed comes in the header
// `Authorization: Bearer TOKEN` (no cookie), and every body is checked against its zod schema.
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { z } from 'zod'
import { searchSpaceToRaw } from '../../shared/searchSpace.ts'
import { zodIssuesToErrors } from '../../shared/zodErrors.ts'
import { ExternalTrialError, type ExternalErrorCode } from '../runner/externalTrials.ts'
import type { RunnerHub } from '../runner/runnerHub.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { sendJson } from './sendJson.ts'

export const CLIENT_API_PREFIX = '/client/v1/'
const MAX_BODY_BYTES = 1024 * 1024

const finite = z.number().refine(Number.isFinite, 'must be a finite number')
const study = z.string().min(1).max(100)
const owned = { study, trial: z.number().int().min(0), ticket: z.string().min(1).max(100) }

export const clientApiSchemas = {
  connect: z.strictObject({ study }),
  ask: z.strictObject({ study }),
  report: z.strictObject({ ...owned, step: finite, value: finite }),
  heartbeat: z.strictObject(owned),
  attr: z.strictObject({ ...owned, key: z.string().min(1).max(200), value: z.unknown() }),
  tell: z.discriminatedUnion('state', [
    z.strictObject({ ...owned, state: z.literal('complete'), value: finite }),
    z.strictObject({ ...owned, state: z.literal('pruned'), value: finite.optional() }),
    z.strictObject({
      ...owned,
      state: z.literal('failed'),
      error: z.string().max(2000).optional(),
    }),
  ]),
}
type Method = keyof typeof clientApiSchemas

const STATUS: Record<ExternalErrorCode | 'STUDY_NOT_FOUND' | 'LEASE_HELD', number> = {
  NOT_EXTERNAL: 409,
  BUSY: 409,
  BUDGET_SPENT: 409,
  PAUSED: 409,
  STOPPED: 409,
  LEASE_HELD: 409,
  TRIAL_NOT_OWNED: 403,
  ALREADY_TOLD: 409,
  TRIAL_EXPIRED: 409,
  CANCELLED: 409,
  TRIAL_NOT_FOUND: 404,
  STUDY_NOT_FOUND: 404,
}

class ClientError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length
    if (size > MAX_BODY_BYTES) throw new ClientError(413, 'TOO_LARGE', 'request body too large')
    chunks.push(c)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new ClientError(400, 'BAD_ARGS', 'the body is not JSON')
  }
}

function bearerMatches(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  if (!m) return false
  const a = Buffer.from(m[1])
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

function parse<M extends Method>(method: M, body: unknown): z.infer<(typeof clientApiSchemas)[M]> {
  const r = clientApiSchemas[method].safeParse(body)
  if (r.success) return r.data as z.infer<(typeof clientApiSchemas)[M]>
  const errors = zodIssuesToErrors(r.error.issues, body, method)
  throw new ClientError(400, 'BAD_ARGS', errors.map((e) => e.message).join('; '))
}

export function createClientApi(o: { store: StudyStore; hub: RunnerHub; token: () => string }) {
  const studyOf = (name: string) => {
    const s = o.store.getStudy(name)
    if (!s)
      throw new ClientError(404, 'STUDY_NOT_FOUND', `no study named "${name}" in ${o.store.path}`)
    return s
  }
  const trials = (name: string) => o.hub.external(studyOf(name).id)

  const handlers: {
    [M in Method]: (body: z.infer<(typeof clientApiSchemas)[M]>) => Promise<unknown>
  } = {
    async connect(b) {
      const s = studyOf(b.study)
      if (s.spec.objective.kind !== 'external') await o.hub.external(s.id) // throws NOT_EXTERNAL
      return {
        study: s.name,
        studyId: s.id,
        direction: s.spec.direction,
        metric: s.spec.metric,
        space: searchSpaceToRaw(s.spec.space),
        heartbeatSeconds:
          s.spec.objective.kind === 'external' ? s.spec.objective.heartbeatSeconds : 0,
        budgetTrials: s.spec.budget.trials,
      }
    },
    ask: async (b) => (await trials(b.study)).ask(),
    report: async (b) => (await trials(b.study)).report(b.trial, b.ticket, b.step, b.value),
    heartbeat: async (b) => (await trials(b.study)).heartbeat(b.trial, b.ticket),
    async attr(b) {
      ;(await trials(b.study)).attr(
        b.trial,
        b.ticket,
        b.key,
        JSON.parse(JSON.stringify(b.value ?? null)),
      )
      return null
    },
    async tell(b) {
      const t = await trials(b.study)
      if (b.state === 'complete')
        return t.tell(b.trial, b.ticket, { state: 'complete', value: b.value })
      if (b.state === 'pruned')
        return t.tell(b.trial, b.ticket, { state: 'pruned', value: b.value })
      return t.tell(b.trial, b.ticket, { state: 'failed', error: b.error })
    },
  }

  /** Answers a /client/v1/ request; the caller has checked Host and Origin. */
  return async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    pathname: string,
  ): Promise<void> {
    try {
      if (!bearerMatches(req, o.token()))
        throw new ClientError(
          401,
          'UNAUTHORIZED',
          'send the token serve printed as "Authorization: Bearer TOKEN"',
        )
      const method = pathname.slice(CLIENT_API_PREFIX.length)
      if (!(method in clientApiSchemas))
        throw new ClientError(
          404,
          'BAD_ARGS',
          `no client method ${JSON.stringify(method)} (methods: ${Object.keys(clientApiSchemas).join(', ')})`,
        )
      if (req.method !== 'POST')
        throw new ClientError(405, 'BAD_ARGS', 'the client API takes POST only')
      const m = method as Method
      const body = parse(m, await readJson(req))
      const value = await (handlers[m] as (b: unknown) => Promise<unknown>)(body)
      sendJson(res, 200, { ok: true, value })
    } catch (e) {
      const err =
        e instanceof ClientError
          ? e
          : e instanceof ExternalTrialError
            ? new ClientError(STATUS[e.code], e.code, e.message)
            : (e as Error).name === 'LeaseHeldError'
              ? new ClientError(409, 'LEASE_HELD', (e as Error).message)
              : new ClientError(500, 'INTERNAL', (e as Error).message)
      sendJson(res, err.status, { ok: false, error: { code: err.code, message: err.message } })
    }
  }
}
