// Runs in the tuner worker. NSGA-II's generations as Optuna 3.1's NSGAIISampler keeps them: each
// trial records the generation it was proposed for; a generation is complete once populationSize of
// its trials are; its parents are the elite of it plus the previous parents (non-dominated sorting,
// the last front cut by crowding distance).
import {
  constrainedDominates,
  crowdingDistanceSort,
  dominates,
  nonDominatedSort,
} from '../../../shared/pareto.ts'
import type { Direction } from '../../../shared/study.ts'
import { lossVector, totalViolation, type FinishedTrial } from '../../../shared/trial.ts'

/** A complete trial of a generation, as selection sees it. */
export interface Individual {
  trial: FinishedTrial
  losses: readonly number[]
  /** The objective values as reported (crowding distance sorts on these, as Optuna does). */
  values: readonly number[]
  /** Total constraint violation; null when the trial reported none (or the study has no constraints). */
  violation: number | null
}

export type Better = (a: Individual, b: Individual) => boolean

export function betterFor(constrained: boolean): Better {
  return constrained
    ? (a, b) => constrainedDominates(a, b)
    : (a, b) => dominates(a.losses, b.losses)
}

/** The generation a trial was proposed for (its tunerData), or null for trials nsga2 did not propose. */
export function generationOf(trial: { tunerData: unknown }): number | null {
  const data = trial.tunerData as { generation?: unknown } | null
  return typeof data?.generation === 'number' ? data.generation : null
}

export function individualOf(trial: FinishedTrial, directions: readonly Direction[]): Individual {
  const losses = lossVector(trial) as readonly number[]
  return {
    trial,
    losses,
    values: losses.map((l, k) => (directions[k] === 'maximize' ? -l : l)),
    violation: totalViolation(trial),
  }
}

/** Optuna's _select_elite_population: whole fronts while they fit, then the most isolated of the next. */
function selectElite(population: Individual[], size: number, better: Better): Individual[] {
  const elite: Individual[] = []
  for (const front of nonDominatedSort(population, better)) {
    const members = front.map((i) => population[i])
    if (elite.length + members.length < size) {
      elite.push(...members)
      continue
    }
    const order = crowdingDistanceSort(members.map((m) => m.values))
    elite.push(...order.slice(0, size - elite.length).map((i) => members[i]))
    break
  }
  return elite
}

/**
 * The latest complete generation and its parent population (generation −1 and none before the first
 * is complete). Only complete trials nsga2 proposed count, in trial-number order.
 */
export function parentPopulation(
  finished: readonly FinishedTrial[],
  directions: readonly Direction[],
  size: number,
  better: Better,
): { generation: number; parents: Individual[] } {
  const byGeneration = new Map<number, Individual[]>()
  const complete = finished
    .filter((t) => t.state === 'complete' && generationOf(t) !== null && lossVector(t) !== null)
    .sort((a, b) => a.number - b.number)
  for (const t of complete) {
    const g = generationOf(t) as number
    if (!byGeneration.has(g)) byGeneration.set(g, [])
    byGeneration.get(g)?.push(individualOf(t, directions))
  }
  let generation = -1
  let parents: Individual[] = []
  for (;;) {
    const population = byGeneration.get(generation + 1) ?? []
    if (population.length < size) break
    parents = selectElite([...population, ...parents], size, better)
    generation++
  }
  return { generation, parents }
}
