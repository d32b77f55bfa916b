// Runs in main: numbers as the charts need them (rounded for small payloads, choices as indices).
import { PLOT_DIGITS, type ParamAxis } from '../../shared/analysisViews.ts'
import type { HistoryPoint } from '../../shared/analysisProtocol.ts'
import { paramChoices, type ParamSpec, type ParamValue } from '../../shared/searchSpace.ts'

/** x to PLOT_DIGITS significant digits; integers and non-finite values unchanged. */
export function roundPlot(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x
  return Number(x.toPrecision(PLOT_DIGITS))
}

export const roundPoints = (points: HistoryPoint[]): HistoryPoint[] =>
  points.map((p) => ({ number: p.number, value: roundPlot(p.value) }))

export function paramAxis(p: ParamSpec, conditional: boolean): ParamAxis {
  const choices = paramChoices(p)
  if (choices)
    return {
      name: p.name,
      type: p.type,
      log: false,
      low: 0,
      high: choices.length - 1,
      choices: choices.map((c) => String(c)),
      conditional,
    }
  const { low, high, log } = p as Extract<ParamSpec, { low: number }>
  return { name: p.name, type: p.type, log, low, high, choices: null, conditional }
}

/** A parameter value on its axis: the number itself, or the index of the choice; null when absent. */
export function axisValue(p: ParamSpec, v: ParamValue | undefined): number | null {
  if (v === undefined) return null
  const choices = paramChoices(p)
  if (choices) {
    const i = choices.indexOf(v)
    return i >= 0 ? i : null
  }
  return typeof v === 'number' && Number.isFinite(v) ? roundPlot(v) : null
}
