// Runs in main: the RL agent's snapshots (recorded with each proposal) as tracks over trials, for the
// agent panel — the policy per hyperparameter in real units, episodes, the KL against delta, surrogate error.
import type { ModelPhaseRecord } from '../../shared/agentSnapshot.ts'
import type { AgentParamTrack, AgentTimeline } from '../../shared/analysisViews.ts'
import type { ParamSpec, ParamValue } from '../../shared/searchSpace.ts'
import type { AnalysisContext } from './analysisContext.ts'
import { axisValue, paramAxis, roundPlot } from './plotValues.ts'
import { requireStudy } from './requireStudy.ts'

export const DEFAULT_AGENT_POINTS = 200

const num = (p: ParamSpec | undefined, v: ParamValue): number | null =>
  p ? axisValue(p, v) : typeof v === 'number' ? roundPlot(v) : null

/** Indices of at most `max` of n items spread evenly, the last always included. */
function evenIndices(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i)
  if (max <= 1) return [n - 1]
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round((i * (n - 1)) / (max - 1))))]
}

const nullableRound = (x: number | null): number | null => (x === null ? null : roundPlot(x))

/** Null when the study's trials carry no agent snapshot (not an RL tuner, or none proposed yet). */
export function agentTimeline(
  ctx: AnalysisContext,
  studyId: number,
  options: { maxPoints?: number } = {},
): AgentTimeline | null {
  const study = requireStudy(ctx.store, studyId)
  const withSnapshot = ctx.trials.all(studyId).filter((t) => t.agentSnapshot !== null)
  if (!withSnapshot.length) return null
  const last = withSnapshot[withSnapshot.length - 1].agentSnapshot!
  const specs = new Map(study.spec.space.params.map((p) => [p.name, p]))

  // Every model phase once, and every warning, from all snapshots (not only the kept ones).
  const phases = new Map<number, ModelPhaseRecord>()
  const warnings: AgentTimeline['warnings'] = []
  for (const t of withSnapshot) {
    const s = t.agentSnapshot!
    if (s.lastModelPhase) phases.set(s.lastModelPhase.atRealEpisode, s.lastModelPhase)
    if (s.warning && warnings.at(-1)?.message !== s.warning)
      warnings.push({ trialNumber: t.number, message: s.warning })
  }

  const kept = evenIndices(withSnapshot.length, options.maxPoints ?? DEFAULT_AGENT_POINTS).map(
    (i) => withSnapshot[i],
  )
  const params: AgentParamTrack[] = last.params.map((lp) => {
    const spec = specs.get(lp.name)
    const axis = spec ? paramAxis(spec, false) : null
    const track: AgentParamTrack = {
      name: lp.name,
      type: spec?.type ?? 'float',
      log: axis?.log ?? false,
      choices: axis?.choices ?? null,
      mean: [],
      low: [],
      high: [],
    }
    for (const t of kept) {
      const p = t.agentSnapshot!.params.find((q) => q.name === lp.name)
      track.mean.push(p ? num(spec, p.meanValue) : null)
      track.low.push(p ? num(spec, p.lowValue) : null)
      track.high.push(p ? num(spec, p.highValue) : null)
    }
    return track
  })
  return {
    tuner: last.tuner,
    delta: last.delta,
    trialNumbers: kept.map((t) => t.number),
    realEpisodes: kept.map((t) => t.agentSnapshot!.realEpisodes),
    modelEpisodes: kept.map((t) => t.agentSnapshot!.modelEpisodes),
    phase: kept.map((t) => t.agentSnapshot!.phase),
    kl: kept.map((t) => nullableRound(t.agentSnapshot!.kl)),
    surrogateHoldoutError: kept.map((t) => nullableRound(t.agentSnapshot!.surrogateHoldoutError)),
    surrogateR2: kept.map((t) => nullableRound(t.agentSnapshot!.surrogateR2)),
    params,
    modelPhases: [...phases.values()].sort((a, b) => a.atRealEpisode - b.atRealEpisode),
    warnings,
    total: withSnapshot.length,
  }
}
