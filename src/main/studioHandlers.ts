// Runs in main (Electron or plain Node). Implements StudioApi once over the StudyStore and the RunnerHub;
// the IPC transport (electron/ipcTransport.ts) and the HTTP transport (server/) both register this table.
import { randomInt } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { hostname } from 'node:os'
import path from 'node:path'
import { createRng } from '../shared/rng.ts'
import { parseSearchSpace } from '../shared/searchSpace.ts'
import { sampleConfig } from '../shared/spaceCodec.ts'
import { SpecValidationError } from '../shared/specError.ts'
import {
  STUDIO_METHODS,
  StudioError,
  type AppInfo,
  type StudioApi,
  type StudioBridge,
  type StudioErrorData,
  type StudioEvent,
  type StudioMethod,
  type StudioResponse,
  type StudyDetail,
} from '../shared/studioApi.ts'
import { isStudioMethod, studioApiSchemas } from '../shared/studioApiSchemas.ts'
import type { StudyRecord, StudySummary } from '../shared/study.ts'
import { zodIssuesToErrors } from '../shared/zodErrors.ts'
import { createAnalysisHandlers } from './analysis/analysisHandlers.ts'
import type { RunnerHub } from './runner/runnerHub.ts'
import { StoreError, type StudyStore } from './store/studyStore.ts'
import { checkCsv, checkDataset } from './studio/datasetCheck.ts'
import { followStudies } from './studio/studyFollower.ts'
import { validateStudyInput } from './studio/studyInput.ts'
import { createOptunaHandlers } from './studio/optunaHandlers.ts'
import { listTemplates } from './studio/studyTemplates.ts'
import { readSettings, writeSettings } from './studio/studioSettings.ts'
import { toTrialRows, trialDurationMs } from './studio/trialViews.ts'

export const DEFAULT_UPLOAD_LIMIT_BYTES = 64 * 1024 * 1024

export interface StudioHandlerOptions {
  store: StudyStore
  hub: RunnerHub
  transport: 'electron' | 'http'
  /** Uploaded data sets are stored under `${datasetDir}/uploads`. */
  datasetDir: string
  /** Study files here are offered as templates beside the built-in ones. */
  templatesDir?: string
  /** Relative data paths in a study file are resolved against this (default: the working directory). */
  baseDir?: string
  uploadLimitBytes?: number
  version?: string
  /** The native open dialog (Electron); absent in a browser. */
  pickFile?: (options: { title: string; extensions: string[] }) => Promise<string | null>
  /** Poll period for studies run by other processes; 0 turns polling off (then call `poll()`). */
  followIntervalMs?: number
  /** Parse every result with its zod schema (tests). */
  checkResults?: boolean
  /** The URL the Python client connects to (serve's token URL, the app's client server). */
  clientUrl?: () => string | null
}

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

const STORE_CODES: Record<string, StudioErrorData['code']> = {
  STUDY_NAME_TAKEN: 'STUDY_NAME_TAKEN',
  STUDY_NOT_FOUND: 'STUDY_NOT_FOUND',
  TRIAL_NOT_FOUND: 'TRIAL_NOT_FOUND',
  BAD_STATE: 'BAD_STATE',
}

/** Any thrown value as error data the renderer can branch on. */
export function toErrorData(error: unknown): StudioErrorData {
  if (error instanceof StudioError) return error.toData()
  if (error instanceof SpecValidationError)
    return { code: 'SPEC_INVALID', message: error.message, details: error.errors }
  if (error instanceof StoreError)
    return { code: STORE_CODES[error.code] ?? 'INTERNAL', message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  if (error instanceof Error && error.name === 'LeaseHeldError') {
    const holder = (error as Error & { holder?: { pid: number; host: string } }).holder
    return holder
      ? { code: 'LEASE_HELD', message, details: { pid: holder.pid, host: holder.host } }
      : { code: 'LEASE_HELD', message }
  }
  return { code: 'INTERNAL', message }
}

function uniqueCopyName(base: string, taken: Set<string>): string {
  const stem = base.slice(0, 88)
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${stem}-copy` : `${stem}-copy-${i}`
    if (!taken.has(name)) return name
  }
}

function safeFileName(name: string): string {
  const base = path
    .basename(name)
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '')
  return base.slice(-120) || 'dataset'
}

export function createStudioHandlers(options: StudioHandlerOptions): StudioService {
  const { store, hub } = options
  const uploadLimit = options.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES
  const baseDir = options.baseDir ?? process.cwd()
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

  const record = (studyId: number): StudyRecord => {
    const r = store.getStudy(studyId)
    if (!r) throw new StudioError('STUDY_NOT_FOUND', `no study with id ${studyId}`)
    return r
  }
  const summary = (studyId: number): StudySummary => {
    const s = store.listStudies().find((x) => x.id === studyId)
    if (!s) throw new StudioError('STUDY_NOT_FOUND', `no study with id ${studyId}`)
    return s
  }
  const trialOf = (studyId: number, trialNumber: number) => {
    record(studyId)
    const t = store.getTrial(studyId, trialNumber)
    if (!t) throw new StudioError('TRIAL_NOT_FOUND', `study ${studyId} has no trial ${trialNumber}`)
    return t
  }
  const changed = <T>(value: T): T => {
    emit({ type: 'studies-changed' })
    return value
  }

  // The study view and trial comparison methods, over the analysis workers (src/main/analysis/).
  const { close: closeAnalysis, ...analysisHandlers } = createAnalysisHandlers(store)
  const handlers: Handlers = {
    ...analysisHandlers,
    ...createOptunaHandlers(store, () => emit({ type: 'studies-changed' })),
    async getAppInfo(): Promise<AppInfo> {
      return {
        version: options.version ?? '0.0.0',
        transport: options.transport,
        databasePath: store.path,
        datasetDir: options.datasetDir,
        uploadLimitBytes: uploadLimit,
        nativeFileDialog: Boolean(options.pickFile),
        clientUrl: options.clientUrl?.() ?? null,
      }
    },
    async listStudies() {
      return store.listStudies()
    },
    async getStudy(studyId): Promise<StudyDetail> {
      const r = record(studyId)
      const lease = store.getLease(studyId)
      return {
        summary: summary(studyId),
        spec: r.spec,
        seed: r.seed,
        runningMs: r.runningMs,
        error: r.error,
        lease: lease && {
          pid: lease.pid,
          host: lease.host,
          heartbeatAt: lease.heartbeatAt,
          stale: lease.stale,
          here:
            hub.isRunningHere(studyId) || (lease.pid === process.pid && lease.host === hostname()),
        },
        datasets: store.listStudyDatasets(studyId).map((d) => ({
          name: d.dataset.name,
          path: d.dataset.path,
          role: d.role,
          hash: d.dataset.hash,
          changed: d.dataset.hash !== d.hashAtLink,
        })),
      }
    },
    async validateStudy(input) {
      return validateStudyInput(input, baseDir)
    },
    async createStudy(input) {
      const parsed = validateStudyInput(input, baseDir)
      if (!parsed.ok)
        throw new StudioError(
          'SPEC_INVALID',
          parsed.errors.map((e) => e.message).join('\n'),
          parsed.errors,
        )
      const spec = parsed.value
      const created = store.createStudy({ ...spec, seed: spec.seed ?? randomInt(0, 2 ** 31 - 1) })
      return changed(summary(created.id))
    },
    async duplicateStudy(studyId, name) {
      const r = record(studyId)
      const taken = new Set(store.listStudies().map((s) => s.name))
      const newName = name ?? uniqueCopyName(r.name, taken)
      const created = store.createStudy({
        ...r.spec,
        name: newName,
        notes: r.notes,
        tags: r.tags,
        seed: r.seed,
      })
      return changed(summary(created.id))
    },
    async renameStudy(studyId, name) {
      record(studyId)
      store.updateStudyMeta(studyId, { name })
      return changed(summary(studyId))
    },
    async setStudyNotes(studyId, notes) {
      record(studyId)
      store.updateStudyMeta(studyId, { notes })
      return changed(summary(studyId))
    },
    async setStudyTags(studyId, tags) {
      record(studyId)
      store.updateStudyMeta(studyId, { tags: [...new Set(tags.map((t) => t.trim()))] })
      return changed(summary(studyId))
    },
    async deleteStudy(studyId) {
      record(studyId)
      if (hub.isRunningHere(studyId)) await hub.stop(studyId)
      else {
        const lease = store.getLease(studyId)
        if (lease && !lease.stale)
          throw new StudioError(
            'BAD_STATE',
            `study ${studyId} is running in process ${lease.pid} on ${lease.host}; stop it before deleting`,
            { pid: lease.pid, host: lease.host },
          )
      }
      store.deleteStudy(studyId)
      return changed(null)
    },
    async startStudy(studyId, opts) {
      const r = record(studyId)
      if (hub.isRunningHere(studyId) && r.state === 'running')
        throw new StudioError('BAD_STATE', `study "${r.name}" is already running`)
      await hub.start(studyId, opts)
      return summary(studyId)
    },
    async pauseStudy(studyId) {
      const r = record(studyId)
      if (r.state !== 'running')
        throw new StudioError(
          'BAD_STATE',
          `only a running study can be paused; "${r.name}" is ${r.state}`,
        )
      hub.pause(studyId)
      return summary(studyId)
    },
    async resumeStudy(studyId) {
      const r = record(studyId)
      if (r.state === 'running' && !hub.isRunningHere(studyId) && !store.getLease(studyId))
        throw new StudioError('BAD_STATE', `study "${r.name}" is already running`)
      await hub.resume(studyId)
      return summary(studyId)
    },
    async stopStudy(studyId) {
      const r = record(studyId)
      if (r.state !== 'running' && r.state !== 'paused')
        throw new StudioError(
          'BAD_STATE',
          `only a running or paused study can be stopped; "${r.name}" is ${r.state}`,
        )
      await hub.stop(studyId)
      return summary(studyId)
    },
    async cancelTrial(studyId, trialNumber) {
      const t = trialOf(studyId, trialNumber)
      if (t.state !== 'running')
        throw new StudioError('BAD_STATE', `trial ${trialNumber} is ${t.state}, not running`)
      hub.cancelTrial(studyId, trialNumber)
      return null
    },
    async listTrials(studyId, query) {
      record(studyId)
      const q = { limit: 100, ...query }
      const page = store.queryTrials(studyId, q)
      return {
        total: page.total,
        offset: q.offset ?? 0,
        trials: toTrialRows(store, studyId, page.trials),
      }
    },
    async getTrial(studyId, trialNumber) {
      const trial = trialOf(studyId, trialNumber)
      const intermediate = store.getIntermediateValues(studyId, [trial.id]).get(trial.id) ?? []
      return { trial, intermediate, durationMs: trialDurationMs(trial) }
    },
    async getTrialLog(studyId, trialNumber) {
      return store.getTrialLog(trialOf(studyId, trialNumber).id)
    },
    async getSettings() {
      return readSettings(store)
    },
    async setSettings(patch) {
      return writeSettings(store, patch)
    },
    async listTemplates() {
      return listTemplates(options.templatesDir ?? undefined)
    },
    async checkDataset(ref) {
      return checkDataset(ref)
    },
    async uploadDataset(file) {
      if (file.contentBase64.length > Math.ceil(uploadLimit / 3) * 4 + 4)
        throw new StudioError(
          'TOO_LARGE',
          `${file.fileName} is larger than the upload limit of ${uploadLimit} bytes`,
        )
      const bytes = Buffer.from(file.contentBase64, 'base64')
      if (bytes.length > uploadLimit)
        throw new StudioError(
          'TOO_LARGE',
          `${file.fileName} is ${bytes.length} bytes, the upload limit is ${uploadLimit}`,
        )
      const dir = path.join(options.datasetDir, 'uploads')
      await fs.mkdir(dir, { recursive: true })
      const name = safeFileName(file.fileName)
      let target = path.join(dir, name)
      for (let i = 2; ; i++) {
        const existing = await fs.readFile(target).catch(() => null)
        if (!existing || existing.equals(bytes)) break
        const ext = path.extname(name)
        target = path.join(dir, `${path.basename(name, ext)}-${i}${ext}`)
      }
      await fs.writeFile(target, bytes)
      if (!/\.csv$/i.test(target)) return { path: target, summary: null }
      try {
        return { path: target, summary: await checkCsv(target) }
      } catch (e) {
        await fs.rm(target, { force: true })
        throw e
      }
    },
    async pickDatasetFile(opts) {
      if (!options.pickFile)
        throw new StudioError(
          'UNSUPPORTED',
          'files are picked in the desktop app; in a browser, upload the file',
        )
      return options.pickFile(opts)
    },
    async previewSamples(space, n = 20, seed = 0) {
      const parsed = parseSearchSpace(space)
      if (!parsed.ok) return parsed
      const rng = createRng(seed)
      return { ok: true, value: Array.from({ length: n }, () => sampleConfig(parsed.value, rng)) }
    },
  }

  const call = async (method: string, rawArgs: unknown): Promise<StudioResponse<unknown>> => {
    if (!isStudioMethod(method))
      return {
        ok: false,
        error: { code: 'BAD_ARGS', message: `unknown method ${JSON.stringify(method)}` },
      }
    const schema = studioApiSchemas[method]
    const args = schema.args.safeParse(rawArgs)
    if (!args.success) {
      const errors = zodIssuesToErrors(args.error.issues, rawArgs, 'args')
      return {
        ok: false,
        error: {
          code: 'BAD_ARGS',
          message: `${method}: ${errors.map((e) => e.message).join('; ')}`,
          details: errors,
        },
      }
    }
    try {
      const fn = handlers[method] as (...a: unknown[]) => Promise<unknown>
      const value = await fn(...(args.data as unknown[]))
      if (options.checkResults) schema.result.parse(value)
      return { ok: true, value }
    } catch (e) {
      return { ok: false, error: toErrorData(e) }
    }
  }

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
      closeAnalysis()
    },
  }
}

export type { StudioMethod }
