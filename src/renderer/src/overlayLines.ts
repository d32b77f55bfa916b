// Runs in the renderer: the lines of the cross-study comparison. Each study's best so far as a step
// function of the trial (or of the fraction of its budget), cropped to the shortest study if asked,
// as regret against a known optimum if asked; studies of the same setup (seeds of one experiment)
// folded into their mean with a ±1 standard deviation band.
import type { StudyOverlay, StudyOverlaySeries } from '../../shared/analysisViews.ts'

export interface OverlayOptions {
  x: 'trial' | 'budget'
  /** Stop every line where the shortest study (or group) stops. */
  crop: boolean
  y: 'value' | 'regret'
  /** Fold the studies of one setup into mean ± band. */
  seeds: boolean
}

export interface OverlayLine {
  label: string
  studyIds: number[]
  points: { x: number; y: number }[]
  /** ±1 standard deviation over the seeds (a group of two or more studies). */
  band: { x: number; low: number; high: number }[] | null
}

/** The best value after trial number n (null before the first complete trial). */
export function bestSoFarAt(s: StudyOverlaySeries, n: number): number | null {
  let best: number | null = null
  for (const p of s.bestSoFar) {
    if (p.number > n) break
    best = p.value
  }
  return best
}

export const yOf = (s: StudyOverlaySeries, v: number, o: OverlayOptions): number =>
  o.y === 'regret' && s.optimum !== null ? Math.max(v - s.optimum, 0) : v
export const xOf = (s: StudyOverlaySeries, n: number, o: OverlayOptions): number =>
  o.x === 'budget' ? (n + 1) / Math.max(1, s.budgetTrials) : n

/** The last trial number at or before x on a series' axis (the inverse of xOf). */
const nAt = (s: StudyOverlaySeries, x: number, o: OverlayOptions): number =>
  o.x === 'budget' ? Math.floor(x * Math.max(1, s.budgetTrials) + 1e-9) - 1 : Math.floor(x + 1e-9)

/** How far each series goes on the x axis (its last trial). */
const extent = (s: StudyOverlaySeries, o: OverlayOptions) => xOf(s, s.total - 1, o)

function groups(overlay: StudyOverlay, o: OverlayOptions): StudyOverlaySeries[][] {
  if (!o.seeds) return overlay.studies.map((s) => [s])
  const by = new Map<string, StudyOverlaySeries[]>()
  for (const s of overlay.studies) by.set(s.setup, [...(by.get(s.setup) ?? []), s])
  return [...by.values()]
}

/** A study's own line: one point per improvement, then its last trial. */
function studyLine(s: StudyOverlaySeries, o: OverlayOptions, xMax: number): OverlayLine {
  const points: { x: number; y: number }[] = []
  for (const p of s.bestSoFar) {
    const x = xOf(s, p.number, o)
    if (x > xMax) break
    points.push({ x, y: yOf(s, p.value, o) })
  }
  // The line goes on, flat, to the study's last trial (or where the crop ends it).
  const end = Math.min(extent(s, o), xMax)
  const last = bestSoFarAt(s, Math.min(s.total - 1, nAt(s, end, o)))
  if (last !== null && points.length && points[points.length - 1].x < end)
    points.push({ x: end, y: yOf(s, last, o) })
  return { label: `${s.name} (${s.tunerKind})`, studyIds: [s.studyId], points, band: null }
}

/** Mean and ±1 std of several seeds, trial by trial up to the shortest of them. */
function groupLine(g: StudyOverlaySeries[], o: OverlayOptions, xMax: number): OverlayLine {
  const n = Math.min(...g.map((s) => s.total))
  const points: { x: number; y: number }[] = []
  const band: { x: number; low: number; high: number }[] = []
  for (let t = 0; t < n; t++) {
    const x = xOf(g[0], t, o)
    if (x > xMax) break
    const ys = g.map((s) => bestSoFarAt(s, t)).filter((v): v is number => v !== null)
    if (ys.length < g.length) continue
    const vals = ys.map((v, i) => yOf(g[i], v, o))
    const mean = vals.reduce((a, b) => a + b, 0) / vals.length
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length)
    points.push({ x, y: mean })
    band.push({ x, low: mean - sd, high: mean + sd })
  }
  const s = g[0]
  return {
    label: `${s.tunerKind}: mean of ${g.length} seeds (${g.map((x) => x.name).join(', ')})`,
    studyIds: g.map((x) => x.studyId),
    points,
    band,
  }
}

export function overlayLines(overlay: StudyOverlay, o: OverlayOptions): OverlayLine[] {
  const gs = groups(overlay, o)
  // Crop: every line ends where the shortest study (or the shortest seed of a group) ends.
  const ends = gs.map((g) => Math.min(...g.map((s) => extent(s, o))))
  const xMax = o.crop && ends.length ? Math.min(...ends) : Infinity
  return gs.map((g) => (g.length > 1 ? groupLine(g, o, xMax) : studyLine(g[0], o, xMax)))
}

/** Regret needs every study's optimum. */
export const regretKnown = (overlay: StudyOverlay | null): boolean =>
  Boolean(overlay?.studies.length && overlay.studies.every((s) => s.optimum !== null))
