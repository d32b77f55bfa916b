// Runs in the analysis worker: hyperparameter importance of a study (fANOVA on random forests, one per seed).
import type {
  ImportanceInput,
  ImportanceResult,
  ParamImportance,
} from '../../shared/analysisProtocol.ts'
import { createRng, deriveSeed } from '../../shared/rng.ts'
import { encodeConfig } from '../../shared/spaceCodec.ts'
import { paramChoices, type SearchSpace } from '../../shared/searchSpace.ts'
import { fanovaImportance } from './fanova.ts'
import { fitRandomForest } from './randomForest.ts'

const SUBSAMPLE_STREAM = 0x5eed
const IMPUTE_STREAM = 0x1a9e

/**
 * Rows of the unit cube, one column per parameter. An inactive parameter gets a uniform random
 * coordinate (a random choice for a categorical): the objective does not depend on it there, so any value is the truth, and the forest
 * learns that it has no effect in that region. Its importance then measures its effect where it is
 * active, weighted by how much of the space that is, on the same scale as every other parameter.
 */
export function encodeTrials(
  space: SearchSpace,
  trials: ImportanceInput['trials'],
  imputeSeed: number,
): number[][] {
  const rng = createRng(imputeSeed)
  const choices = space.params.map((p) => paramChoices(p)?.length ?? 0)
  const impute = (i: number): number =>
    choices[i] ? (rng.int(choices[i]) + 0.5) / choices[i] : rng.next()
  return trials.map((t) =>
    encodeConfig(space, t.params).map((x, i) => (x === null ? impute(i) : x)),
  )
}

/** Indices of `k` of `n` items, uniform without replacement, in increasing order. */
export function subsampleIndices(n: number, k: number, seed: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i)
  if (k >= n) return idx
  const rng = createRng(seed)
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i)
    ;[idx[i], idx[j]] = [idx[j], idx[i]]
  }
  return idx.slice(0, k).sort((a, b) => a - b)
}

function zeros(
  space: SearchSpace,
  seeds: number[],
  base: Omit<ImportanceResult, 'params' | 'warning'>,
  warning: string,
): ImportanceResult {
  return {
    ...base,
    params: space.params.map((p) => ({
      name: p.name,
      mean: 0,
      std: 0,
      perSeed: seeds.map(() => 0),
    })),
    warning,
  }
}

/**
 * fANOVA importance of each parameter. Values are standardized, never log-transformed or clipped,
 * so the result for −value is the result for value (maximize and minimize agree).
 */
export function computeImportance(input: ImportanceInput): ImportanceResult {
  const start = performance.now()
  const { space, seeds } = input
  if (seeds.length === 0) throw new Error('computeImportance needs at least one seed')
  const usable = input.trials.filter((t) => Number.isFinite(t.value))
  const maxTrials = Math.max(2, Math.floor(input.maxTrials))
  const subsampled = usable.length > maxTrials
  const chosen = subsampled
    ? subsampleIndices(usable.length, maxTrials, deriveSeed(seeds[0], SUBSAMPLE_STREAM)).map(
        (i) => usable[i],
      )
    : usable
  const base = {
    trialsUsed: chosen.length,
    subsampled,
    elapsedMs: 0,
    treesPerSeed: seeds.map(() => 0),
  }
  const done = (r: ImportanceResult): ImportanceResult => ({
    ...r,
    elapsedMs: performance.now() - start,
  })
  if (chosen.length < 2)
    return done(
      zeros(
        space,
        seeds,
        base,
        `importance needs at least 2 complete trials, got ${chosen.length}`,
      ),
    )
  const values = chosen.map((t) => t.value)
  const mean = values.reduce((a, v) => a + v, 0) / values.length
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length)
  if (!(sd > 0))
    return done(
      zeros(space, seeds, base, 'every trial has the same value: no parameter explains anything'),
    )
  const y = values.map((v) => (v - mean) / sd)
  const categories = space.params.map((p) => paramChoices(p)?.length ?? null)

  const perSeed: number[][] = []
  const treesPerSeed: number[] = []
  seeds.forEach((seed, s) => {
    const X = encodeTrials(space, chosen, deriveSeed(seed, IMPUTE_STREAM))
    const forest = fitRandomForest(X, y, {
      seed,
      nTrees: input.nTrees ?? 64,
      categories,
      deadline: start + (input.timeBudgetMs * (s + 1)) / seeds.length,
    })
    treesPerSeed.push(forest.trees.length)
    const { individual } = fanovaImportance(forest)
    const sum = individual.reduce((a, v) => a + v, 0)
    perSeed.push(individual.map((v) => (sum > 0 ? v / sum : 0)))
  })
  const params: ParamImportance[] = space.params.map((p, i) => {
    const xs = perSeed.map((row) => row[i])
    const m = xs.reduce((a, v) => a + v, 0) / xs.length
    const std = Math.sqrt(xs.reduce((a, v) => a + (v - m) ** 2, 0) / xs.length)
    return { name: p.name, mean: m, std, perSeed: xs }
  })
  const order = params.map((p, i) => ({ p, i })).sort((a, b) => b.p.mean - a.p.mean || a.i - b.i)
  return done({
    ...base,
    params: order.map((o) => o.p),
    treesPerSeed,
    warning: null,
  })
}
