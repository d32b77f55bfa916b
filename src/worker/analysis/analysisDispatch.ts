// Runs in the analysis worker: answers one request of the analysis role. Pure, so tests call it directly.
import type { AnalysisRequestBody, AnalysisResultMap } from '../../shared/analysisProtocol.ts'
import type { WorkerRequest } from '../../shared/workerProtocol.ts'
import { checkDataset } from '../data/checkDataset.ts'
import { downsampleCurves, downsampleHistory } from './downsampleCurves.ts'
import { computeImportance } from './importance.ts'

const positive = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && v > 0

/** Checks what a host could get wrong (counts, budgets); the payload types are the host's contract. */
function check(req: AnalysisRequestBody): string | null {
  switch (req.type) {
    case 'importance': {
      const i = req.input
      if (!i || !Array.isArray(i.space?.params) || !Array.isArray(i.trials))
        return 'importance: input needs space.params and trials'
      if (!Array.isArray(i.seeds) || i.seeds.length === 0 || !i.seeds.every(Number.isInteger))
        return `importance: seeds must be a non-empty list of integers, got ${JSON.stringify(i.seeds)}`
      if (!(typeof i.timeBudgetMs === 'number' && i.timeBudgetMs >= 0))
        return `importance: timeBudgetMs must be a number >= 0, got ${JSON.stringify(i.timeBudgetMs)}`
      if (!positive(i.maxTrials))
        return `importance: maxTrials must be > 0, got ${JSON.stringify(i.maxTrials)}`
      if (i.nTrees !== undefined && !(Number.isInteger(i.nTrees) && i.nTrees >= 1))
        return `importance: nTrees must be an integer >= 1, got ${JSON.stringify(i.nTrees)}`
      return null
    }
    case 'downsampleCurves':
      if (!Array.isArray(req.curves)) return 'downsampleCurves: curves must be a list'
      if (!positive(req.maxPointsPerCurve))
        return `downsampleCurves: maxPointsPerCurve must be > 0, got ${JSON.stringify(req.maxPointsPerCurve)}`
      if (req.method !== undefined && req.method !== 'lttb' && req.method !== 'minmax')
        return `downsampleCurves: method must be lttb or minmax, got ${JSON.stringify(req.method)}`
      return null
    case 'downsampleHistory':
      if (!Array.isArray(req.trials)) return 'downsampleHistory: trials must be a list'
      if (req.direction !== 'minimize' && req.direction !== 'maximize')
        return `downsampleHistory: direction must be minimize or maximize, got ${JSON.stringify(req.direction)}`
      if (!positive(req.maxPoints))
        return `downsampleHistory: maxPoints must be > 0, got ${JSON.stringify(req.maxPoints)}`
      return null
    case 'checkDataset': {
      const kind = (req.ref as { kind?: unknown } | undefined)?.kind
      if (kind !== 'tabular' && kind !== 'images')
        return `checkDataset: ref.kind must be tabular or images, got ${JSON.stringify(kind)}`
      return null
    }
    default:
      return `unknown request type ${JSON.stringify((req as { type?: unknown }).type)}`
  }
}

type AnalysisResult = AnalysisResultMap[keyof AnalysisResultMap]

function compute(req: AnalysisRequestBody): AnalysisResult | Promise<AnalysisResult> {
  switch (req.type) {
    case 'importance':
      return computeImportance(req.input)
    case 'downsampleCurves':
      return downsampleCurves(req.curves, req.maxPointsPerCurve, req.method)
    case 'downsampleHistory':
      return downsampleHistory(req.direction, req.trials, req.maxPoints)
    case 'checkDataset':
      return checkDataset(req.ref)
  }
}

/** The result of a request, or a throw: BAD_REQUEST for what the host got wrong, else the error itself. */
export function handleAnalysisRequest(
  req: WorkerRequest,
): AnalysisResult | Promise<AnalysisResult> {
  const body = req as AnalysisRequestBody
  const problem = body && typeof body === 'object' ? check(body) : 'a request is an object'
  if (problem) throw Object.assign(new Error(problem), { code: 'BAD_REQUEST' })
  return compute(body)
}
