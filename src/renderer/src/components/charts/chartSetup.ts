// Runs in the renderer: the Chart.js parts every chart here uses (registered once) and the shared look.
import * as chartjs from 'chart.js'

chartjs.Chart.register(
  chartjs.BarController,
  chartjs.BarElement,
  chartjs.CategoryScale,
  chartjs.Filler,
  chartjs.Legend,
  chartjs.LineController,
  chartjs.LineElement,
  chartjs.LinearScale,
  chartjs.LogarithmicScale,
  chartjs.PointElement,
  chartjs.ScatterController,
  chartjs.Tooltip,
)
chartjs.Chart.defaults.font.family =
  'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
chartjs.Chart.defaults.font.size = 11
chartjs.Chart.defaults.color = '#4b5563'
chartjs.Chart.defaults.animation = false

export { Chart } from 'chart.js'

export const COLORS = {
  complete: '#2563eb',
  pruned: '#9ca3af',
  failed: '#dc2626',
  best: '#f59e0b',
  running: '#16a34a',
  selected: '#db2777',
  grid: '#eef0f3',
}

/** A categorical palette (Tableau 10) for series that need telling apart. */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
]

// Viridis, sampled: perceptually even and readable by colour-blind users.
const VIRIDIS = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [181, 222, 43],
  [253, 231, 37],
]

/** t ∈ [0, 1] → a viridis colour (0 dark purple, 1 yellow). */
export function viridis(t: number, alpha = 1): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1)
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x))
  const f = x - i
  const c = VIRIDIS[i].map((v, k) => Math.round(v + f * (VIRIDIS[i + 1][k] - v)))
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`
}

/**
 * Position of an objective value between the worst (0) and the best (1) of `values`, so that
 * "bright is good" in every chart whatever the direction.
 */
export function goodness(
  values: readonly number[],
  direction: 'minimize' | 'maximize',
): (v: number) => number {
  let lo = Infinity
  let hi = -Infinity
  for (const v of values)
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v)
      hi = Math.max(hi, v)
    }
  const span = hi - lo || 1
  return (v) => (direction === 'maximize' ? (v - lo) / span : (hi - v) / span)
}

/**
 * Compact tick text: 0.001, 1e-5, 12k; given the spacing of the ticks, with enough significant
 * digits that neighbouring ticks read differently (1.17e-4, 1.18e-4 rather than 1e-4 twice).
 */
export function tick(v: number, step = 0): string {
  if (!Number.isFinite(v)) return ''
  const a = Math.abs(v)
  if (a === 0) return '0'
  const digits =
    step > 0 ? Math.min(12, Math.max(3, Math.ceil(Math.log10(a / step) + 1e-9) + 1)) : 3
  if (a >= 1000 && a < 1e5 && digits <= 3) return `${Number((v / 1000).toPrecision(3))}k`
  return compactNumber(v, digits)
}

function compactNumber(v: number, digits: number): string {
  const a = Math.abs(v)
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return v.toExponential(digits - 1).replace(/\.?0+e/, 'e')
  return String(Number(v.toPrecision(digits)))
}

/**
 * Points of a scatter in the order Chart.js needs: with `parsing: false` it takes data as sorted by x
 * (the axis range from the first and last point, visible points and hover by binary search), so
 * unsorted points would fall outside the axis or go undrawn.
 */
export function byX<P extends { x: number }>(points: readonly P[]): P[] {
  return [...points].sort((a, b) => a.x - b.x)
}

/**
 * Axis text of categorical choices: numbers (or their text, as String(number) writes it) compact,
 * 7.74e-8 rather than 7.742637e-8, with as many digits as keep the choices apart; anything else as is.
 */
export function choiceTicks(choices: readonly unknown[]): string[] {
  const asNumber = (c: unknown): number | null => {
    if (typeof c === 'number') return Number.isFinite(c) ? c : null
    return typeof c === 'string' && c !== '' && String(Number(c)) === c ? Number(c) : null
  }
  for (let digits = 3; digits < 17; digits++) {
    const texts = choices.map((c) => {
      const n = asNumber(c)
      if (n === null) return String(c)
      return Number.isInteger(n) && Math.abs(n) < 1e5 ? String(n) : compactNumber(n, digits)
    })
    if (new Set(texts).size === new Set(choices.map(String)).size) return texts
  }
  return choices.map(String)
}

/** Tick text on a log axis: 1, 2 and 5 times a power of ten get a label, the others none. */
export function logTick(v: number): string {
  if (!(v > 0)) return ''
  const m = v / 10 ** Math.floor(Math.log10(v) + 1e-9)
  return [1, 2, 5].some((x) => Math.abs(m - x) < 1e-6) ? tick(v) : ''
}

/** The spacing of a linear axis' ticks (Chart.js passes them to the tick callback). */
const spacing = (ticks: readonly { value: number }[] | undefined): number =>
  ticks && ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : 0

/** The tick callback for an axis that may be logarithmic. */
export const tickFor =
  (log: boolean) =>
  (v: string | number, _index?: number, ticks?: readonly { value: number }[]): string =>
    log ? logTick(Number(v)) : tick(Number(v), spacing(ticks))

/** The options every chart here starts from: drawn at once, filling its box, data given as {x, y}. */
export const BASE_OPTIONS = {
  animation: false as const,
  maintainAspectRatio: false,
  parsing: false as const,
}

/** A titled value axis with the light grid and compact ticks (1-2-5 labels when logarithmic). */
export function valueAxis(title: string, log = false) {
  return {
    type: (log ? 'logarithmic' : 'linear') as 'linear',
    title: { display: true, text: title },
    grid: { color: COLORS.grid },
    ticks: { callback: tickFor(log) },
  }
}

/** A step line without point markers: a running best, a distribution function. */
export function stepLine<P>(label: string, data: P[], color: string, stepped: 'before' | 'after') {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    borderWidth: 2,
    pointRadius: 0,
    stepped,
  }
}

/** An x axis of trial numbers: whole numbers only, never below trial 0. */
export function trialAxis(title = 'trial') {
  return {
    type: 'linear' as const,
    title: { display: true, text: title },
    grid: { color: COLORS.grid },
    ticks: { precision: 0 },
    afterDataLimits: (scale: { min: number; max: number }) => {
      if (scale.min < 0) scale.min = 0
    },
  }
}

/** A canvas sized for the screen's pixel density and cleared; its context draws in CSS pixels. */
export function freshContext(
  c: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const dpr = window.devicePixelRatio || 1
  c.width = Math.round(width * dpr)
  c.height = Math.round(height * dpr)
  c.style.width = `${width}px`
  c.style.height = `${height}px`
  const g = c.getContext('2d')!
  g.setTransform(dpr, 0, 0, dpr, 0, 0)
  g.clearRect(0, 0, width, height)
  return g
}
