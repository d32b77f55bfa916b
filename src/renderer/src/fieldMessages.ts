// Runs in the renderer: the engine's SpecErrors ("tuner.nStartupTrials: must be a number, got "abc"")
// as the words shown under a form field ("nStartupTrials must be a number, got "abc"").
import type { SpecError } from '../../shared/specError.ts'

export const isAt = (e: SpecError, path: string): boolean =>
  e.path === path || e.path.startsWith(`${path}.`) || e.path.startsWith(`${path}[`)

/** The message of an error at `path` (or under it) as said under the field labelled `label`. */
export function fieldMessage(e: SpecError, path: string, label: string): string {
  const detail = e.message.startsWith(`${e.path}: `)
    ? e.message.slice(e.path.length + 2)
    : e.message
  if (e.path === path) return `${label}: ${detail}`
  return `${e.path.slice(path.length).replace(/^[.]/, '')} ${detail}`
}

/** Every message for the field at `path`, once each. */
export function fieldMessages(errors: readonly SpecError[], path: string, label: string): string[] {
  return [...new Set(errors.filter((e) => isAt(e, path)).map((e) => fieldMessage(e, path, label)))]
}
