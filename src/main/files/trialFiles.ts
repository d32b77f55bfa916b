// Runs in main: the files a trial wrote in its $HPO_TRIAL_DIR (artifacts/STUDY/NUMBER beside the
// database, as the runner sets it), listed and read for the trial page. Nothing outside that folder.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { TrialFileContent, TrialFiles } from '../../shared/analysisViews.ts'
import { StudioError } from '../../shared/studioApi.ts'
import { artifactsDirFor } from '../defaultPaths.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { requireStudy } from '../views/requireStudy.ts'

export const TRIAL_FILES_MAX = 500
export const TRIAL_FILE_READ_MAX = 256 * 1024

/** The folder the runner gives a trial (bestConfigTasks.trialRunSpec uses the same path). */
export function trialDirOf(store: StudyStore, studyId: number, trialNumber: number): string {
  const study = requireStudy(store, studyId)
  if (!store.getTrial(studyId, trialNumber))
    throw new StudioError('TRIAL_NOT_FOUND', `study ${studyId} has no trial ${trialNumber}`)
  return path.join(artifactsDirFor(store.path), study.name, String(trialNumber))
}

export async function listTrialFiles(
  store: StudyStore,
  studyId: number,
  trialNumber: number,
  options: { max?: number } = {},
): Promise<TrialFiles> {
  const dir = trialDirOf(store, studyId, trialNumber)
  const max = options.max ?? TRIAL_FILES_MAX
  const files: TrialFiles['files'] = []
  let truncated = false
  const walk = async (rel: string): Promise<void> => {
    let entries
    try {
      entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true })
    } catch {
      return
    }
    entries.sort((a, b) => a.name.localeCompare(b.name))
    for (const e of entries) {
      if (files.length >= max) {
        truncated = true
        return
      }
      const child = rel ? `${rel}/${e.name}` : e.name
      if (e.isDirectory()) await walk(child)
      else if (e.isFile()) {
        const st = await fs.stat(path.join(dir, child)).catch(() => null)
        if (st) files.push({ path: child, sizeBytes: st.size, modifiedAt: st.mtime.toISOString() })
      }
    }
  }
  const exists = await fs
    .stat(dir)
    .then((s) => s.isDirectory())
    .catch(() => false)
  if (exists) await walk('')
  return { dir, exists, files, truncated }
}

/** The start of one file of the trial's folder; a path that leaves the folder is refused. */
export async function readTrialFile(
  store: StudyStore,
  studyId: number,
  trialNumber: number,
  relPath: string,
  options: { maxBytes?: number } = {},
): Promise<TrialFileContent> {
  const dir = trialDirOf(store, studyId, trialNumber)
  const full = path.resolve(dir, relPath)
  if (!full.startsWith(dir + path.sep))
    throw new StudioError('BAD_ARGS', `${JSON.stringify(relPath)} is not inside the trial's folder`)
  const real = await fs.realpath(full).catch(() => null)
  const realDir = await fs.realpath(dir).catch(() => dir)
  if (!real || !real.startsWith(realDir + path.sep))
    throw new StudioError('TRIAL_NOT_FOUND', `trial ${trialNumber} has no file ${relPath}`)
  const st = await fs.stat(real)
  if (!st.isFile())
    throw new StudioError('TRIAL_NOT_FOUND', `trial ${trialNumber} has no file ${relPath}`)
  const max = options.maxBytes ?? TRIAL_FILE_READ_MAX
  const handle = await fs.open(real, 'r')
  try {
    const buf = Buffer.alloc(Math.min(max, st.size))
    await handle.read(buf, 0, buf.length, 0)
    const binary = buf.includes(0)
    return {
      path: relPath,
      sizeBytes: st.size,
      text: binary ? null : buf.toString('utf8'),
      truncated: st.size > max,
    }
  } finally {
    await handle.close()
  }
}
