// Runs in the renderer. The search-space editor's text view: a YAML or JSON space is applied to the
// table only once it is complete and valid, so a half-typed line never replaces (or empties) the rows.
import { parseDocument } from 'yaml'
import { parseSearchSpace } from '../../shared/searchSpace.ts'

export type SpaceText =
  { ok: true; space: Record<string, unknown> } | { ok: false; problem: string }

const KEPT = 'the table is unchanged'

/**
 * The space a text holds, or why it cannot be applied yet. `around` holds parameters the study adds
 * itself (a synthetic function's own), so a text may refer to them without repeating them.
 */
export function parseSpaceText(text: string, around: Record<string, unknown> = {}): SpaceText {
  if (!text.trim()) return { ok: false, problem: `the text is empty; ${KEPT}` }
  const doc = parseDocument(text, { uniqueKeys: true })
  if (doc.errors.length) {
    const e = doc.errors[0]
    const at = e.linePos?.[0]
    const where = at ? ` at line ${at.line}, column ${at.col}` : ''
    return {
      ok: false,
      problem: `the text does not parse${where}: ${e.message.split('\n')[0]}; ${KEPT}`,
    }
  }
  const raw: unknown = doc.toJS()
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    return {
      ok: false,
      problem: `the space is a mapping of parameter names to definitions, like  lr: { type: float, low: 0.001, high: 0.1 }; ${KEPT}`,
    }
  const parsed = parseSearchSpace({ ...around, ...(raw as Record<string, unknown>) })
  if (!parsed.ok)
    return { ok: false, problem: `${parsed.errors.map((e) => e.message).join('; ')}; ${KEPT}` }
  return { ok: true, space: raw as Record<string, unknown> }
}
