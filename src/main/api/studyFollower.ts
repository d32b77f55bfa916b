// Runs in main. Studies run by another process (the CLI, a second app) change the database behind our
// back; this polls it and turns what changed into the same events the runner emits, so the UI needs one path.
import type { StudioEvent } from '../../shared/studioApi.ts'
import type { StudySummary } from '../../shared/study.ts'
import { isFinished, type TrialRecord, type TrialState } from '../../shared/trial.ts'
import type { StudyStore } from '../store/studyStore.ts'

interface OpenTrial {
  id: number
  state: TrialState
  lastStep: number
}

interface Baseline {
  key: string
  state: StudySummary['state']
  nextNumber: number
  open: Map<number, OpenTrial>
}

export interface StudyFollower {
  /** One poll now (tests, and right after this process changed something). */
  poll(): void
  stop(): void
}

const OPEN_STATES: TrialState[] = ['queued', 'running', 'interrupted']
const PAGE = 200

const summaryKey = (s: StudySummary): string =>
  [s.state, s.trialsDone, s.trialsRunning, s.bestValue, s.bestTrialNumber, s.updatedAt].join('|')
const listKey = (list: StudySummary[]): string =>
  JSON.stringify(list.map((s) => [s.id, s.name, s.notes, s.tags]))

type Emit = (event: StudioEvent) => void

function lastSteps(store: StudyStore, studyId: number, ids: number[]): Map<number, number> {
  const out = new Map<number, number>()
  if (!ids.length) return out
  for (const [id, curve] of store.getIntermediateValues(studyId, ids))
    if (curve.length) out.set(id, curve[curve.length - 1].step)
  return out
}

function snapshot(store: StudyStore, s: StudySummary): Baseline {
  const newest = store.queryTrials(s.id, { sort: { by: 'number', desc: true }, limit: 1 }).trials
  const open = store.queryTrials(s.id, { states: OPEN_STATES, limit: 1000 }).trials
  const steps = lastSteps(
    store,
    s.id,
    open.filter((t) => t.state === 'running').map((t) => t.id),
  )
  return {
    key: summaryKey(s),
    state: s.state,
    nextNumber: newest.length ? newest[0].number + 1 : 0,
    open: new Map(
      open.map((t) => [
        t.number,
        { id: t.id, state: t.state, lastStep: steps.get(t.id) ?? -Infinity },
      ]),
    ),
  }
}

function newTrials(store: StudyStore, studyId: number, from: number): TrialRecord[] {
  const out: TrialRecord[] = []
  for (let offset = 0; ; offset += PAGE) {
    const page = store.queryTrials(studyId, {
      sort: { by: 'number', desc: true },
      offset,
      limit: PAGE,
    }).trials
    const fresh = page.filter((t) => t.number >= from)
    out.push(...fresh)
    if (fresh.length < PAGE) break
  }
  return out.sort((a, b) => a.number - b.number)
}

const started = (emit: Emit, s: StudySummary, t: TrialRecord): void =>
  emit({
    type: 'trial-started',
    studyId: s.id,
    trialNumber: t.number,
    params: t.params,
    startedAt: t.startedAt ?? new Date().toISOString(),
  })

const finished = (emit: Emit, s: StudySummary, t: TrialRecord): void =>
  emit({
    type: 'trial-finished',
    studyId: s.id,
    trialNumber: t.number,
    state: t.state,
    value: t.value,
    error: t.error,
    isBest: t.state === 'complete' && s.bestTrialNumber === t.number,
  })

function emitIntermediates(
  store: StudyStore,
  emit: Emit,
  s: StudySummary,
  b: Baseline,
  trials: TrialRecord[],
): void {
  const running = trials.filter((t) => t.state === 'running' || isFinished(t.state))
  if (!running.length) return
  const curves = store.getIntermediateValues(
    s.id,
    running.map((t) => t.id),
  )
  for (const t of running) {
    const open = b.open.get(t.number)
    const after = open?.lastStep ?? -Infinity
    for (const p of curves.get(t.id) ?? []) {
      if (p.step <= after) continue
      emit({
        type: 'intermediate',
        studyId: s.id,
        trialNumber: t.number,
        step: p.step,
        value: p.value,
      })
      if (open) open.lastStep = p.step
    }
  }
}

/** Emits what changed in one study since its baseline, and moves the baseline forward. */
function diffStudy(store: StudyStore, emit: Emit, s: StudySummary, b: Baseline): void {
  const known = [...b.open.keys()]
    .map((n) => store.getTrial(s.id, n))
    .filter((t): t is TrialRecord => t !== null)
  const fresh = newTrials(store, s.id, b.nextNumber)
  for (const t of fresh) {
    b.nextNumber = Math.max(b.nextNumber, t.number + 1)
    if (t.state !== 'queued') started(emit, s, t)
    b.open.set(t.number, {
      id: t.id,
      state: t.state === 'queued' ? 'queued' : 'running',
      lastStep: -Infinity,
    })
  }
  for (const t of known) {
    const o = b.open.get(t.number)!
    if (
      o.state !== 'running' &&
      t.state !== o.state &&
      (t.state === 'running' || isFinished(t.state))
    )
      started(emit, s, t)
  }
  const all = [...known, ...fresh]
  emitIntermediates(store, emit, s, b, all)
  const seen = new Set<number>()
  for (const t of all) {
    seen.add(t.number)
    const o = b.open.get(t.number)!
    if (isFinished(t.state) || (t.state === 'interrupted' && o.state !== 'interrupted'))
      finished(emit, s, t)
    if (isFinished(t.state)) b.open.delete(t.number)
    else o.state = t.state
  }
  for (const n of [...b.open.keys()]) if (!seen.has(n)) b.open.delete(n)
}

export function followStudies(
  store: StudyStore,
  options: {
    isRunningHere(studyId: number): boolean
    emit(event: StudioEvent): void
    /** 0: no timer, poll() only. */
    intervalMs: number
  },
): StudyFollower {
  const baselines = new Map<number, Baseline>()
  let lastList: string | null = null
  const { emit } = options

  const follow = (s: StudySummary): void => {
    const b = baselines.get(s.id)
    if (!b) {
      baselines.set(s.id, snapshot(store, s))
      return
    }
    const k = summaryKey(s)
    if (k === b.key && !b.open.size) return
    diffStudy(store, emit, s, b)
    if (s.state !== b.state) {
      emit({
        type: 'study-state',
        studyId: s.id,
        state: s.state,
        error: store.getStudy(s.id)?.error ?? null,
      })
      b.state = s.state
    }
    b.key = k
  }

  const poll = (): void => {
    const list = store.listStudies()
    const key = listKey(list)
    if (lastList !== null && key !== lastList) emit({ type: 'studies-changed' })
    lastList = key
    const present = new Set(list.map((s) => s.id))
    for (const id of baselines.keys()) if (!present.has(id)) baselines.delete(id)
    for (const s of list) {
      if (options.isRunningHere(s.id)) baselines.delete(s.id)
      else follow(s)
    }
  }

  let timer: ReturnType<typeof setInterval> | null = null
  const safePoll = (): void => {
    try {
      poll()
    } catch {
      // A busy or briefly locked database is retried on the next tick.
    }
  }
  if (options.intervalMs > 0) {
    timer = setInterval(safePoll, options.intervalMs)
    timer.unref?.()
  }
  return {
    poll,
    stop() {
      if (timer) clearInterval(timer)
      timer = null
    },
  }
}
