// Runs in main. Study templates the new-study flow starts from: the study files of resources/templates.
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import YAML from 'yaml'
import type { ObjectiveKind } from '../../shared/objectiveSpec.ts'
import type { StudyTemplate } from '../../shared/studioApi.ts'

/** The templates that ship with the app: the paper's XGBoost (10) and CNN (16) spaces, the softmax example, … */
export const BUNDLED_TEMPLATES_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../resources/templates',
)

const KINDS: ObjectiveKind[] = ['synthetic', 'command', 'gbdt', 'cnn']

/** A template's data files are relative to its folder (`../datasets/…`): the editor gets absolute paths. */
function withAbsoluteDataPaths(raw: Record<string, unknown>, dir: string): Record<string, unknown> {
  const objective = raw.objective as Record<string, unknown>
  if (objective.kind !== 'gbdt') return raw
  const abs = (p: unknown) =>
    typeof p === 'string' && !path.isAbsolute(p) ? path.resolve(dir, p) : p
  const validation = objective.validation as Record<string, unknown> | undefined
  return {
    ...raw,
    objective: {
      ...objective,
      dataset: abs(objective.dataset),
      ...(objective.test === undefined ? {} : { test: abs(objective.test) }),
      ...(validation?.file === undefined ? {} : { validation: { file: abs(validation.file) } }),
    },
  }
}

async function readTemplateFile(file: string): Promise<StudyTemplate | null> {
  try {
    const text = await fs.readFile(file, 'utf8')
    const raw: unknown = YAML.parse(text)
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return null
    const record = raw as Record<string, unknown>
    const kind = (record.objective as { kind?: unknown } | undefined)?.kind
    if (!KINDS.includes(kind as ObjectiveKind)) return null
    const id = path.basename(file).replace(/\.(ya?ml|json)$/i, '')
    // A template is a plain study file; its leading comment lines give the title, then the description.
    const comments: string[] = []
    for (const line of text.split('\n')) {
      if (!line.startsWith('#')) break
      comments.push(line.replace(/^#\s?/, ''))
    }
    return {
      id,
      title: comments[0] || id,
      description: comments.slice(1).join(' '),
      objectiveKind: kind as ObjectiveKind,
      raw: withAbsoluteDataPaths(record, path.dirname(file)),
    }
  } catch {
    return null
  }
}

/** The study files of the templates folder, synthetic ones first (unreadable files are skipped). */
export async function listTemplates(dir: string = BUNDLED_TEMPLATES_DIR): Promise<StudyTemplate[]> {
  const files = await fs.readdir(dir).catch(() => [] as string[])
  const templates: StudyTemplate[] = []
  for (const f of files.filter((n) => /\.(ya?ml|json)$/i.test(n)).sort()) {
    const t = await readTemplateFile(path.join(dir, f))
    if (t) templates.push(t)
  }
  return templates.sort((a, b) => KINDS.indexOf(a.objectiveKind) - KINDS.indexOf(b.objectiveKind))
}
