// Runs in main: the StudioApi methods of the study list and the new-study flow — create, validate, copy,
// rename, delete, start / pause / resume / stop, templates and a preview of the space.
import { hostname } from 'node:os'
import { createRng } from '../../shared/rng.ts'
import { parseSearchSpace } from '../../shared/searchSpace.ts'
import { sampleConfig } from '../../shared/spaceCodec.ts'
import { StudioError, type StudioApi, type StudyDetail } from '../../shared/studioApi.ts'
import { withStudySeed } from '../../shared/studySpec.ts'
import { validateStudyInput } from '../files/studyInput.ts'
import { listTemplates } from '../files/studyTemplates.ts'
import type { HandlerContext } from './handlerContext.ts'

export type StudyMethod =
  | 'listStudies'
  | 'getStudy'
  | 'validateStudy'
  | 'createStudy'
  | 'duplicateStudy'
  | 'renameStudy'
  | 'setStudyNotes'
  | 'setStudyTags'
  | 'deleteStudy'
  | 'startStudy'
  | 'pauseStudy'
  | 'resumeStudy'
  | 'stopStudy'
  | 'listTemplates'
  | 'previewSamples'

function uniqueCopyName(base: string, taken: Set<string>): string {
  const stem = base.slice(0, 88)
  for (let i = 1; ; i++) {
    const name = i === 1 ? `${stem}-copy` : `${stem}-copy-${i}`
    if (!taken.has(name)) return name
  }
}

function studyDetail(ctx: HandlerContext, studyId: number): StudyDetail {
  const { store, hub } = ctx
  const r = ctx.record(studyId)
  const lease = store.getLease(studyId)
  return {
    summary: ctx.summary(studyId),
    spec: r.spec,
    seed: r.seed,
    runningMs: r.runningMs,
    error: r.error,
    lease: lease && {
      pid: lease.pid,
      host: lease.host,
      heartbeatAt: lease.heartbeatAt,
      stale: lease.stale,
      here: hub.isRunningHere(studyId) || (lease.pid === process.pid && lease.host === hostname()),
    },
    datasets: store.listStudyDatasets(studyId).map((d) => ({
      name: d.dataset.name,
      path: d.dataset.path,
      role: d.role,
      hash: d.dataset.hash,
      changed: d.dataset.hash !== d.hashAtLink,
    })),
  }
}

/** Study list, metadata, run control and the new-study flow. */
export function studyHandlers(ctx: HandlerContext): Pick<StudioApi, StudyMethod> {
  const { store, record, summary, changed } = ctx
  return {
    async listStudies() {
      return store.listStudies()
    },
    async getStudy(studyId) {
      return studyDetail(ctx, studyId)
    },
    async validateStudy(input) {
      return validateStudyInput(input, ctx.baseDir)
    },
    async createStudy(input) {
      const parsed = validateStudyInput(input, ctx.baseDir)
      if (!parsed.ok)
        throw new StudioError(
          'SPEC_INVALID',
          parsed.errors.map((e) => e.message).join('\n'),
          parsed.errors,
        )
      const spec = parsed.value
      const created = store.createStudy(withStudySeed(spec))
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
    ...studyRunControl(ctx),
    async listTemplates() {
      return listTemplates(ctx.options.templatesDir ?? undefined)
    },
    async previewSamples(space, n = 20, seed = 0) {
      const parsed = parseSearchSpace(space)
      if (!parsed.ok) return parsed
      const rng = createRng(seed)
      return { ok: true, value: Array.from({ length: n }, () => sampleConfig(parsed.value, rng)) }
    },
  }
}

type RunControlMethod = 'deleteStudy' | 'startStudy' | 'pauseStudy' | 'resumeStudy' | 'stopStudy'

/** What a study's state allows: delete, start, pause, resume, stop — here or in another process. */
function studyRunControl(ctx: HandlerContext): Pick<StudioApi, RunControlMethod> {
  const { store, hub, record, summary, changed } = ctx
  return {
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
  }
}
