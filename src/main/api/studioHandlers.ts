// Runs in main (Electron or plain Node). Implements StudioApi once over the StudyStore and the RunnerHub;
// the IPC transport (electron/ipcTransport.ts) and the HTTP transport (server/) both register this table.
// The table is assembled from one slice per part of the app (studies, trials, data sets, settings, views).
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../shared/jsonDepth.ts'
import {
  STUDIO_METHODS,
  type StudioApi,
  type StudioBridge,
  type StudioEvent,
  type StudioResponse,
} from '../../shared/studioApi.ts'
import { isStudioMethod, studioApiSchemas } from '../../shared/studioApiSchemas.ts'
import { argumentErrors } from '../../shared/zodErrors.ts'
import { datasetHandlers } from './datasetHandlers.ts'
import { toErrorData } from './errorData.ts'
import { createHandlerContext, type StudioHandlerOptions } from './handlerContext.ts'
import { settingsHandlers } from './settingsHandlers.ts'
import { studyHandlers } from './studyHandlers.ts'
import { followStudies } from './studyFollower.ts'
import { trialHandlers } from './trialHandlers.ts'
import { createViewHandlers } from './viewHandlers.ts'

export interface StudioService {
  /** The handler table as a StudioBridge: arguments validated, errors as data. */
  readonly bridge: StudioBridge
  /** For transports: a method name and an argument array straight off the wire. */
  call(method: string, args: unknown): Promise<StudioResponse<unknown>>
  onEvent(listener: (event: StudioEvent) => void): () => void
  /** Polls the database for changes made by other processes now. */
  poll(): void
  close(): void
}

type Handlers = Omit<StudioApi, 'onEvent'>

/** One method call off the wire: the method named, its arguments parsed by its schema, errors as data. */
function createCall(
  handlers: Handlers,
  checkResults: boolean,
): (method: string, rawArgs: unknown) => Promise<StudioResponse<unknown>> {
  return async (method, rawArgs) => {
    if (!isStudioMethod(method))
      return {
        ok: false,
        error: { code: 'BAD_ARGS', message: `unknown method ${JSON.stringify(method)}` },
      }
    if (nestsDeeperThan(rawArgs))
      return {
        ok: false,
        error: {
          code: 'BAD_ARGS',
          message: `${method}: arguments nest deeper than ${MAX_JSON_DEPTH} levels`,
        },
      }
    const schema = studioApiSchemas[method]
    const args = schema.args.safeParse(rawArgs)
    if (!args.success) {
      const errors = argumentErrors(schema.args, args.error.issues, rawArgs)
      const named = errors.every((e) => !e.path.startsWith('args'))
      const text = errors.map((e) => e.message).join('; ')
      return {
        ok: false,
        error: { code: 'BAD_ARGS', message: named ? text : `${method}: ${text}`, details: errors },
      }
    }
    try {
      const fn = handlers[method] as (...a: unknown[]) => Promise<unknown>
      const value = await fn(...(args.data as unknown[]))
      if (checkResults) schema.result.parse(value)
      return { ok: true, value }
    } catch (e) {
      return { ok: false, error: toErrorData(e) }
    }
  }
}

export function createStudioHandlers(options: StudioHandlerOptions): StudioService {
  const { store, hub } = options
  const listeners = new Set<(event: StudioEvent) => void>()
  const emit = (event: StudioEvent): void => {
    for (const l of listeners) {
      try {
        l(event)
      } catch {
        // One broken listener (a closed socket) must not starve the others.
      }
    }
  }
  const ctx = createHandlerContext(options, emit)
  const handlers: Handlers = {
    ...settingsHandlers(ctx),
    ...studyHandlers(ctx),
    ...trialHandlers(ctx),
    ...datasetHandlers(ctx),
    ...createViewHandlers(ctx.analysis),
  }

  const call = createCall(handlers, options.checkResults ?? false)

  const bridge = {
    onEvent: (listener: (event: StudioEvent) => void) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  } as Record<string, unknown>
  for (const m of STUDIO_METHODS) bridge[m] = (...args: unknown[]) => call(m, args)

  const unsubscribeHub = hub.onEvent(emit)
  const follower = followStudies(store, {
    isRunningHere: (id) => hub.isRunningHere(id),
    emit,
    intervalMs: options.followIntervalMs ?? 1000,
  })

  return {
    bridge: bridge as unknown as StudioBridge,
    call,
    onEvent: (listener) => (bridge.onEvent as StudioBridge['onEvent'])(listener),
    poll: () => follower.poll(),
    close() {
      follower.stop()
      unsubscribeHub()
      listeners.clear()
      ctx.analysis.close()
    },
  }
}
