// Runs in main: the search space an Optuna study used, declared up front as a study file declares it.
// Optuna defines parameters by running; each trial records the distribution of each parameter it sampled.
// Ranges of one parameter are merged across trials; a parameter some trials lack becomes conditional on
// the categorical, bool or integer parameter whose values tell exactly when it was sampled.
import type { ParamValue } from '../../shared/searchSpace.ts'
import type { Json } from '../../shared/trial.ts'
import { describeDistribution, type OptunaDistribution, type OptunaTrial } from './optunaStudy.ts'

export interface InferredSpace {
  /** The study-file form of the space (parse it with parseSearchSpace). */
  raw: Record<string, Record<string, unknown>>
  problems: string[]
  /** Parameters left out, with why. */
  dropped: string[]
}

const isChoice = (v: Json): v is ParamValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

function merge(a: OptunaDistribution, b: OptunaDistribution): OptunaDistribution | null {
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    const same =
      a.kind === 'categorical' &&
      b.kind === 'categorical' &&
      JSON.stringify(a.choices) === JSON.stringify(b.choices)
    return same ? a : null
  }
  if (a.kind !== b.kind || a.log !== b.log || a.step !== b.step) return null
  return { ...a, low: Math.min(a.low, b.low), high: Math.max(a.high, b.high) } as OptunaDistribution
}

/** Each parameter's distribution over every trial, in the order parameters were first sampled. */
function mergedDistributions(trials: readonly OptunaTrial[], problems: string[]) {
  const merged = new Map<string, { d: OptunaDistribution; first: number }>()
  for (const t of trials) {
    for (const [name, d] of Object.entries(t.distributions)) {
      const seen = merged.get(name)
      if (!seen) {
        merged.set(name, { d, first: t.number })
        continue
      }
      const m = merge(seen.d, d)
      if (m) seen.d = m
      else if (!problems.some((p) => p.startsWith(`parameter "${name}"`)))
        problems.push(
          `parameter "${name}" changes distribution between trials ${seen.first} and ${t.number}: ${describeDistribution(seen.d)} vs ${describeDistribution(d)}`,
        )
    }
  }
  return merged
}

function rawParam(
  name: string,
  d: OptunaDistribution,
  problems: string[],
): Record<string, unknown> | null {
  if (d.kind === 'categorical') {
    const bad = d.choices.find((c) => !isChoice(c))
    if (bad !== undefined) {
      problems.push(
        `parameter "${name}": ${describeDistribution(d)} has the choice ${JSON.stringify(bad)}, and choices here are strings, finite numbers or booleans`,
      )
      return null
    }
    return { type: 'categorical', choices: d.choices }
  }
  const out: Record<string, unknown> = { type: d.kind, low: d.low, high: d.high }
  if (d.log) out.log = true
  if (d.step !== null && !(d.kind === 'int' && d.step === 1)) out.step = d.step
  return out
}

const MAX_INT_PARENT_VALUES = 16

/** The parent whose values separate the trials that sampled `name` from those that did not. */
function findCondition(
  name: string,
  order: readonly string[],
  distributions: ReadonlyMap<string, { d: OptunaDistribution }>,
  trials: readonly OptunaTrial[],
): { parent: string; values: ParamValue[] } | null {
  const withIt = trials.filter((t) => name in t.params)
  const before = order.slice(0, order.indexOf(name))
  const kind = (p: string) => distributions.get(p)!.d
  // Choices first; then integers with few values (a wide integer splits a few trials by chance).
  const candidates = [
    ...before.filter((p) => kind(p).kind === 'categorical'),
    ...before.filter((p) => {
      const d = kind(p)
      return d.kind === 'int' && (d.high - d.low) / d.step < MAX_INT_PARENT_VALUES
    }),
  ]
  for (const parent of candidates) {
    const d = kind(parent)
    if (!withIt.every((t) => parent in t.params)) continue
    const inside = new Set(withIt.map((t) => t.params[parent] as ParamValue))
    const outside = trials.filter((t) => !(name in t.params) && parent in t.params)
    if (outside.some((t) => inside.has(t.params[parent] as ParamValue))) continue
    const values = [...inside]
    const choices = d.kind === 'categorical' ? d.choices : null
    values.sort((a, b) =>
      choices ? choices.indexOf(a) - choices.indexOf(b) : (a as number) - (b as number),
    )
    return { parent, values }
  }
  return null
}

/**
 * Infers the space of an Optuna study from its trials. Conditions are read off complete and pruned
 * trials (they sampled every parameter they used); failed and unfinished trials may stop half-way.
 */
export function inferOptunaSpace(trials: readonly OptunaTrial[]): InferredSpace {
  const problems: string[] = []
  const dropped: string[] = []
  const merged = mergedDistributions(trials, problems)
  const finished = trials.filter((t) => t.state === 'COMPLETE' || t.state === 'PRUNED')
  const basis = finished.length ? finished : trials
  const order = [...merged.keys()]
  const raw: InferredSpace['raw'] = {}
  for (const name of order) {
    const present = basis.filter((t) => name in t.params).length
    if (present === 0) {
      dropped.push(
        `parameter "${name}" appears only in failed or unfinished trials; it is left out`,
      )
      continue
    }
    const def = rawParam(name, merged.get(name)!.d, problems)
    if (!def) continue
    if (present < basis.length) {
      const cond = findCondition(name, order, merged, basis)
      if (!cond) {
        problems.push(
          `parameter "${name}" is set in ${present} of ${basis.length} ${finished.length ? 'complete and pruned' : ''} trials, and no categorical, bool or integer parameter's value tells when; HPO Studio declares a conditional parameter with "when: {parent: values}"`.replace(
            '  ',
            ' ',
          ),
        )
        continue
      }
      def.when = { [cond.parent]: cond.values }
    }
    raw[name] = def
  }
  return { raw, problems, dropped }
}
