// Trials over time per worker slot (Optuna's plot_timeline, with slots): the store does not record
// which slot ran a trial, so each one goes to the lowest slot free when it started (interval
// partitioning). The number of rows is then the concurrency reached, the gaps are idle time.

export interface TimedTrial {
  number: number
  state: string
  startedAt: string | null
  finishedAt: string | null
}

export interface TimelineBar {
  number: number
  state: string
  slot: number
  /** Milliseconds since the first trial started. */
  start: number
  /** null while running (draw to `now`). */
  end: number | null
}

export interface TrialTimeline {
  bars: TimelineBar[]
  slots: number
  /** Wall-clock span from the first start to the last end (or now). */
  spanMs: number
  /** Per slot, the milliseconds it ran nothing between the first start and the end of the span. */
  idleMs: number[]
}

export function trialTimeline(trials: readonly TimedTrial[], nowIso: string): TrialTimeline {
  const started = trials
    .filter((t) => t.startedAt !== null)
    .map((t) => ({
      t,
      start: Date.parse(t.startedAt as string),
      end: t.finishedAt ? Date.parse(t.finishedAt) : null,
    }))
    .sort((a, b) => a.start - b.start || a.t.number - b.t.number)
  if (started.length === 0) return { bars: [], slots: 0, spanMs: 0, idleMs: [] }
  const origin = started[0].start
  const now = Date.parse(nowIso)
  const freeAt: number[] = []
  const busy: number[] = []
  const bars = started.map(({ t, start, end }) => {
    let slot = freeAt.findIndex((f) => f <= start)
    if (slot < 0) {
      slot = freeAt.length
      freeAt.push(0)
      busy.push(0)
    }
    const stop = end ?? Math.max(now, start)
    freeAt[slot] = stop
    busy[slot] += stop - start
    return {
      number: t.number,
      state: t.state,
      slot,
      start: start - origin,
      end: end === null ? null : end - origin,
    }
  })
  const spanMs = Math.max(...freeAt) - origin
  return { bars, slots: freeAt.length, spanMs, idleMs: busy.map((b) => Math.max(0, spanMs - b)) }
}
