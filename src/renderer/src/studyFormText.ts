// Runs in the renderer: the new-study form's text fields, read and written (tuner and pruner options,
// objectives and constraints as YAML) and the parameters a synthetic function brings with it.
import YAML from 'yaml'
import { searchSpaceToRaw } from '../../shared/searchSpace.ts'
import type { SpecError } from '../../shared/specError.ts'
import {
  DEFAULT_DIMENSIONS,
  syntheticFunction,
  type SyntheticFunctionName,
} from '../../shared/syntheticFunctions.ts'
import {
  isMultiObjectiveFunction,
  multiObjectiveFunction,
} from '../../shared/multiObjectiveFunctions.ts'
import { errorMessage } from './api/studioClient.ts'

type Raw = Record<string, unknown>

export const optionsText = (o: Raw | undefined) => {
  const { kind: _kind, ...rest } = o ?? {}
  return Object.keys(rest).length
    ? YAML.stringify(rest, { flowCollectionPadding: true }).trim()
    : ''
}

export function goalsYaml(raw: Raw): string {
  const goals: Raw = {}
  if (raw.objectives) goals.objectives = raw.objectives
  if (raw.constraints) goals.constraints = raw.constraints
  return Object.keys(goals).length
    ? YAML.stringify(goals, { flowCollectionPadding: true }).trim()
    : ''
}
/** A synthetic function's own parameters: the study always has them (study-file.md). */
export function functionSpace(o: Raw): { owner: string; space: Raw } | null {
  if (o.kind !== 'synthetic') return null
  const fn = String(o.function)
  const d = o.dimensions as number | undefined
  try {
    const params = isMultiObjectiveFunction(fn)
      ? multiObjectiveFunction(fn, d).params
      : syntheticFunction(
          fn as SyntheticFunctionName,
          d ?? DEFAULT_DIMENSIONS[fn as SyntheticFunctionName],
        ).params
    return { owner: fn, space: searchSpaceToRaw({ params }) }
  } catch {
    return null
  }
}

export function parseOptions(text: string, at: string, out: SpecError[]): Raw {
  if (!text.trim()) return {}
  let why: string
  try {
    const v: unknown = YAML.parse(text)
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Raw
    why = `got ${JSON.stringify(v)}`
  } catch (e) {
    why = errorMessage(e).split('\n')[0]
  }
  out.push({
    path: at,
    rule: 'options',
    value: text,
    message: `${at}: write the options as  name: value  pairs (e.g.  ${at === 'tuner' ? 'nStartupTrials: 10' : 'warmupSteps: 5'}), ${why}`,
  })
  return {}
}

/** The new-study form's fields that show their own messages; the footer lists the rest. */
export const FIELDS = [
  'name',
  'metric',
  'direction',
  'objective',
  'space',
  'tuner',
  'pruner',
  'budget',
  'concurrency',
  'seed',
  'executor',
]
