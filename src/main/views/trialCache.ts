// Runs in main: every trial of a study, kept between requests and refreshed incrementally. Reading and
// parsing 10,000 trials (params, agent snapshots) costs about 0.4 s, more than a view may take; a
// change costs six indexed counts, the new trials and the few that were not finished yet.
import { TRIAL_STATES, isFinished, type TrialRecord, type TrialState } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'

interface Entry {
  token: string
  total: number
  /** In number order. */
  trials: TrialRecord[]
  usedAt: number
}

export interface TrialCache {
  /** Every trial of the study in number order (a shared array: do not mutate). */
  all(studyId: number): readonly TrialRecord[]
  /** Trials in these states, in number order. */
  inStates(studyId: number, states: readonly TrialState[]): TrialRecord[]
  /** Changes whenever a trial of the study is added, starts, finishes or is interrupted. */
  version(studyId: number): string
  forget(studyId: number): void
}

/** Counts per state: they change whenever a trial is added, starts, finishes or is interrupted. */
function tokenOf(store: StudyStore, studyId: number): { token: string; total: number } {
  const counts = TRIAL_STATES.map(
    (s) => store.queryTrials(studyId, { states: [s], limit: 0 }).total,
  )
  return { token: counts.join(','), total: counts.reduce((a, b) => a + b, 0) }
}

export function createTrialCache(store: StudyStore, maxStudies = 4): TrialCache {
  const entries = new Map<number, Entry>()

  const load = (studyId: number): Entry => {
    const { token, total } = tokenOf(store, studyId)
    const hit = entries.get(studyId)
    if (hit && hit.token === token) {
      hit.usedAt = performance.now()
      return hit
    }
    let trials: TrialRecord[]
    if (hit && total >= hit.total) {
      // Trial numbers only grow and trials are never deleted one by one: read what is new, and
      // again what had not finished (it may have since).
      const added = total - hit.total
      const fresh = added
        ? store.queryTrials(studyId, { sort: { by: 'number', desc: true }, limit: added }).trials
        : []
      trials = hit.trials.map((t) =>
        isFinished(t.state) ? t : (store.getTrial(studyId, t.number) ?? t),
      )
      trials.push(...fresh.reverse())
      // A concurrent insert between the counts and the read could leave a gap: then read it all.
      if (
        trials.some((t, i) => i > 0 && t.number <= trials[i - 1].number) ||
        trials.length !== total
      )
        trials = store.listTrials(studyId)
    } else trials = store.listTrials(studyId)
    const entry: Entry = { token, total, trials, usedAt: performance.now() }
    entries.set(studyId, entry)
    if (entries.size > maxStudies) {
      const oldest = [...entries.entries()].sort((a, b) => a[1].usedAt - b[1].usedAt)[0]
      entries.delete(oldest[0])
    }
    return entry
  }

  return {
    all: (studyId) => load(studyId).trials,
    inStates(studyId, states) {
      const wanted = new Set(states)
      return load(studyId).trials.filter((t) => wanted.has(t.state))
    },
    version: (studyId) => load(studyId).token,
    forget: (studyId) => void entries.delete(studyId),
  }
}
