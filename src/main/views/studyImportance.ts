// Runs in main: hyperparameter importance (fANOVA over random forests) from the heavy analysis worker, cached.
import type { ImportanceQuery, ImportanceView } from '../../shared/analysisViews.ts'
import { matchesTrialFilter } from '../../shared/trialFilter.ts'
import type { AnalysisContext } from './analysisContext.ts'
import { requireStudy } from './requireStudy.ts'

export type ImportanceOptions = ImportanceQuery
export const DEFAULT_IMPORTANCE_SEEDS = [0, 1, 2]
export const DEFAULT_IMPORTANCE_BUDGET_MS = 5000
export const DEFAULT_IMPORTANCE_TRIALS = 1000

/**
 * fANOVA importance of each parameter from the complete trials (pruned ones are at a lower fidelity,
 * failed ones have no value). Direction-free: the worker standardizes values, so maximize and
 * minimize give the same result. Inactive parameters are handled in the worker (imputed uniformly).
 */
export async function studyImportance(
  ctx: AnalysisContext,
  studyId: number,
  options: ImportanceOptions = {},
): Promise<ImportanceView> {
  const study = requireStudy(ctx.store, studyId)
  const seeds = options.seeds ?? DEFAULT_IMPORTANCE_SEEDS
  const timeBudgetMs = options.timeBudgetMs ?? DEFAULT_IMPORTANCE_BUDGET_MS
  const maxTrials = options.maxTrials ?? DEFAULT_IMPORTANCE_TRIALS
  const complete = ctx.trials
    .inStates(studyId, ['complete'])
    .filter(
      (t) => t.value !== null && Number.isFinite(t.value) && matchesTrialFilter(t, options.filter),
    )
  const cacheId = `${studyId}:${seeds.join(',')}:${maxTrials}:${options.nTrees ?? ''}:${JSON.stringify(options.filter ?? {})}`
  const key = `${complete.length}:${complete.at(-1)?.number ?? -1}`
  const hit = ctx.importanceCache.get(cacheId)
  if (hit && hit.key === key) return { ...hit.view, cached: true }
  const result = await ctx.heavy.request(
    {
      type: 'importance',
      input: {
        space: study.spec.space,
        trials: complete.map((t) => ({ params: t.params, value: t.value as number })),
        seeds,
        timeBudgetMs,
        maxTrials,
        nTrees: options.nTrees,
      },
    },
    // The budget stops tree growing; the decomposition after the last tree still has to finish.
    { timeoutMs: timeBudgetMs * 3 + 20_000 },
  )
  const view: ImportanceView = { ...result, seeds, completeTrials: complete.length, cached: false }
  ctx.importanceCache.set(cacheId, { key, view })
  // One entry per filter tried: keep the latest few.
  for (const old of [...ctx.importanceCache.keys()].slice(0, -16)) ctx.importanceCache.delete(old)
  return view
}
