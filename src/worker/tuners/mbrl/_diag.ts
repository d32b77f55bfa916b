import { syntheticFunction } from '../../../shared/syntheticFunctions.ts'
import type { FinishedTrial } from '../../../shared/trial.ts'
import { createMbrlTuner } from './mbrlTuner.ts'
const kind = (process.argv[2] ?? 'mbrl') as 'mbrl'
const fnName = (process.argv[3] ?? 'branin') as 'branin'
const seed = Number(process.argv[4] ?? 1)
const fn = syntheticFunction(fnName)
const tuner = createMbrlTuner({
  space: { params: fn.params },
  seed,
  direction: 'minimize',
  options: JSON.parse(process.argv[5] ?? '{}'),
  kind,
})
let best = Infinity
let t0 = performance.now()
for (let i = 0; i < 100; i++) {
  const p = await tuner.ask({ finished: [], pending: [] })
  const v = fn.evaluate(p.params)
  best = Math.min(best, v)
  const trial: FinishedTrial = {
    number: i,
    state: 'complete',
    params: p.params,
    value: v,
    loss: v,
    intermediate: [],
    tunerData: p.tunerData ?? null,
  }
  await tuner.tell(trial, { finished: [], pending: [] })
  const s = tuner.snapshot()!
  if (i < 10 || i % 10 === 9 || s.lastModelPhase?.atRealEpisode === i + 1)
    console.log(
      i + 1,
      'best',
      best.toFixed(3),
      'v',
      v.toFixed(2),
      s.params.map((q) => `${q.mean.toFixed(2)}±${q.spread.toFixed(2)}`).join(' '),
      s.lastModelPhase?.atRealEpisode === i + 1
        ? JSON.stringify(s.lastModelPhase) + ` err ${s.surrogateHoldoutError?.toFixed(2)}`
        : '',
      s.warning ?? '',
      `${((performance.now() - t0) / 1000).toFixed(1)}s`,
    )
}
