// `npm run bench -- store [--seconds S] [--blob-kib K] [--log-lines N]`: write throughput of the SQLite
// study store on a temporary file (trials written with the tuner state, intermediate values, trial log
// lines) and query latency on a 10,000-trial study. Baseline, measured in the same run on the same
// disk: bare better-sqlite3 single-row autocommit inserts with the same pragmas; for log lines also
// one appendTrialLog per line (what the runner did before it buffered them).
import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { openStudyStore } from '../src/main/store/openStudyStore.ts'
import type { StudyStore } from '../src/main/store/studyStore.ts'
import { createTrialLogBuffer } from '../src/main/store/trialLogBuffer.ts'
import { parseStudySpec } from '../src/shared/studySpec.ts'
import { median, writeBenchResult } from './benchUtil.ts'

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name)
  return i >= 0 ? Number(args[i + 1]) : fallback
}

/** Runs step() in batches until `seconds` have passed; returns operations per second. */
function throughput(
  seconds: number,
  step: (i: number) => void,
): { ops: number; perSecond: number } {
  const t0 = performance.now()
  let i = 0
  while (performance.now() - t0 < seconds * 1000) for (let k = 0; k < 50; k++) step(i++)
  return { ops: i, perSecond: i / ((performance.now() - t0) / 1000) }
}

function study(store: StudyStore, name: string) {
  const parsed = parseStudySpec({
    name,
    direction: 'minimize',
    objective: { kind: 'synthetic', function: 'branin' },
  })
  if (!parsed.ok) throw new Error('bad spec')
  return store.createStudy({ ...parsed.value, seed: 0 })
}

function timeMs(fn: () => unknown, reps = 7): number {
  const times: number[] = []
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now()
    fn()
    times.push(performance.now() - t0)
  }
  return median(times)
}

/** Short progress-bar lines into one trial's log: through the runner's buffer, and one append per line. */
function logThroughput(store: StudyStore, studyId: number, lines: number) {
  // made before the clock starts: the figure is the store's, not the string building's
  const text = Array.from(
    { length: lines },
    (_, i) => `epoch 3 [${'='.repeat(i % 30)}>] ${i} loss 0.${i % 9973}\n`,
  )
  const line = (i: number) => text[i]
  const a = store.createTrial(studyId, { state: 'running', params: {} })
  let batches = 0
  const buffer = createTrialLogBuffer({
    appendTrialLogs: (entries) => {
      batches++
      store.appendTrialLogs(entries)
    },
  })
  let t0 = performance.now()
  for (let i = 0; i < lines; i++) buffer.add(a.id, 'stdout', line(i))
  buffer.flush()
  const buffered = lines / ((performance.now() - t0) / 1000)
  const b = store.createTrial(studyId, { state: 'running', params: {} })
  const perLineCount = Math.min(lines, 20_000)
  t0 = performance.now()
  for (let i = 0; i < perLineCount; i++) store.appendTrialLog(b.id, 'stdout', line(i))
  const perLine = perLineCount / ((performance.now() - t0) / 1000)
  return {
    lines,
    batches,
    bufferedLinesPerSecond: Math.round(buffered),
    perLinePerSecond: Math.round(perLine),
    bufferedVsPerLine: buffered / perLine,
  }
}

export default async function (args: string[]): Promise<void> {
  const seconds = arg(args, '--seconds', 3)
  const blobKiB = arg(args, '--blob-kib', 16)
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-bench-store-'))
  try {
    const raw = new Database(path.join(dir, 'baseline.sqlite'))
    raw.pragma('journal_mode = WAL')
    raw.pragma('synchronous = NORMAL')
    raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, v REAL)')
    const ins = raw.prepare('INSERT INTO t (a, v) VALUES (?, ?)')
    const baseline = throughput(seconds, (i) => ins.run(i, i / 3))
    raw.close()

    const store = openStudyStore(path.join(dir, 'store.sqlite'))
    const blob = new Uint8Array(blobKiB * 1024).fill(7)
    const { id } = study(store, 'writes')
    const params = { x1: 1.5, x2: 7.25, booster: 'dart', max_depth: 6 }
    const trials = throughput(seconds, (i) => {
      const t = store.createTrial(id, {
        state: 'running',
        params,
        tunerData: { actions: [0.1, -0.3, 0.7], logProb: -2.1 },
      })
      store.finishTrial(t.id, { state: 'complete', value: i % 97 }, { state: blob })
    })
    const target = store.createTrial(id, { state: 'running', params })
    const intermediate = throughput(seconds, (i) => store.addIntermediate(target.id, i, i / 7))

    const logs = logThroughput(store, id, arg(args, '--log-lines', 500_000))

    const big = study(store, 'big')
    store.importTrials(
      big.id,
      Array.from({ length: 10_000 }, (_, i) => ({
        params: { x1: (i * 7919) % 1000, x2: (i % 97) / 97, c: i % 2 ? 'a' : 'b' },
        value: ((i * 104729) % 10_007) / 10,
      })),
    )
    const queries = {
      bestPageMs: timeMs(() => store.queryTrials(big.id, { sort: { by: 'value' }, limit: 50 })),
      filterSortParamMs: timeMs(() =>
        store.queryTrials(big.id, {
          states: ['complete'],
          paramRanges: { x1: { min: 100, max: 600 } },
          sort: { by: 'param:x2', desc: true },
          offset: 100,
          limit: 50,
        }),
      ),
      listStudiesMs: timeMs(() => store.listStudies()),
      listAllTrialsMs: timeMs(() => store.listTrials(big.id), 3),
    }
    store.close()

    const result = {
      seconds,
      tunerStateKiB: blobKiB,
      baselineInsertsPerSecond: Math.round(baseline.perSecond),
      trialsPerSecond: Math.round(trials.perSecond),
      intermediateValuesPerSecond: Math.round(intermediate.perSecond),
      trialsVsBaseline: trials.perSecond / baseline.perSecond,
      intermediateVsBaseline: intermediate.perSecond / baseline.perSecond,
      queries10kTrials: queries,
      logLines: logs,
    }
    const fmt = (x: number) => x.toFixed(2)
    console.log(`baseline (bare INSERT, autocommit): ${result.baselineInsertsPerSecond}/s`)
    console.log(
      `trials (createTrial + finishTrial with ${blobKiB} KiB tuner state): ${result.trialsPerSecond}/s` +
        ` (${fmt(result.trialsVsBaseline)}× baseline)`,
    )
    console.log(
      `intermediate values (addIntermediate): ${result.intermediateValuesPerSecond}/s` +
        ` (${fmt(result.intermediateVsBaseline)}× baseline)`,
    )
    console.log(
      `trial log lines: ${logs.bufferedLinesPerSecond}/s buffered (${logs.lines} lines, ${logs.batches} transactions),` +
        ` ${logs.perLinePerSecond}/s one transaction per line (${fmt(logs.bufferedVsPerLine)}×)`,
    )
    console.log(
      `10,000-trial study: best page ${fmt(queries.bestPageMs)} ms, filter+param sort ` +
        `${fmt(queries.filterSortParamMs)} ms, listStudies ${fmt(queries.listStudiesMs)} ms, ` +
        `all trials ${fmt(queries.listAllTrialsMs)} ms`,
    )
    console.log(`wrote ${writeBenchResult('store', result)}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
