// TPE's view of the history, as Optuna 3.1 builds it: complete trials rank by loss, pruned trials
// after them by how far they got (then their last intermediate value), pending trials (constant
// liar) last; the best gamma(n) form the "below" group. Failed trials are left out.
import type { Direction } from '../../../shared/study.ts'
import type { Config } from '../../../shared/searchSpace.ts'
import type { TunerContext } from '../../../shared/tuner.ts'

export interface TpeObservation {
  number: number
  params: Config
  /** Sort key, compared lexicographically: [−Infinity, loss] complete, [−last step, value] pruned, [Infinity, Infinity] pending. */
  score: [number, number]
  pending: boolean
}

export function collectObservations(
  ctx: TunerContext,
  direction: Direction,
  constantLiar: boolean,
): TpeObservation[] {
  const sign = direction === 'minimize' ? 1 : -1
  const out: TpeObservation[] = []
  for (const t of ctx.finished) {
    if (t.state === 'complete') {
      if (t.loss === null || Number.isNaN(t.loss)) continue
      out.push({ number: t.number, params: t.params, score: [-Infinity, t.loss], pending: false })
    } else if (t.state === 'pruned') {
      let score: [number, number] = [1, 0]
      if (t.intermediate.length > 0) {
        const last = t.intermediate.reduce((a, b) => (b.step > a.step ? b : a))
        score = [-last.step, Number.isNaN(last.value) ? Infinity : sign * last.value]
      }
      out.push({ number: t.number, params: t.params, score, pending: false })
    }
  }
  if (constantLiar)
    for (const t of ctx.pending)
      out.push({ number: t.number, params: t.params, score: [Infinity, Infinity], pending: true })
  return out.sort((a, b) => a.number - b.number)
}

const compareScores = (a: [number, number], b: [number, number]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0

/** Indices of the nBelow best observations and of the rest, each in chronological order. */
export function splitObservations(
  observations: readonly TpeObservation[],
  nBelow: number,
): { below: number[]; above: number[] } {
  const order = observations.map((_, i) => i)
  order.sort((i, j) => compareScores(observations[i].score, observations[j].score))
  const byIndex = (a: number, b: number): number => a - b
  return {
    below: order.slice(0, nBelow).sort(byIndex),
    above: order.slice(nBelow).sort(byIndex),
  }
}

/** Optuna's default_gamma with its constants as options: min(ceil(fraction·n), max). */
export function tpeGamma(n: number, fraction: number, max: number): number {
  return Math.min(Math.ceil(fraction * n), max)
}

/** Optuna's default_weights: flat for the 25 newest observations, a linear ramp from 1/n for older ones. */
export function tpeWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1)
  const ramp = n - 25
  const out: number[] = []
  // np.linspace(1/n, 1, num=ramp)
  for (let i = 0; i < ramp; i++)
    out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1))
  for (let i = 0; i < 25; i++) out.push(1)
  return out
}
