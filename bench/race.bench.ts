// `npm run bench -- race [--tasks=a,b,ackley@8|synthetic|tabular|xgboost] [--tuners=a,b] [--seeds=N]
//   [--budgets=30,50,100,200] [--jobs=N] [--tables=DIR] [--datasets=DIR] [--xgboost-seeds=N]
//   [--define=NAME:JSON]... [--focus=mbrl] [--no-overhead] [--cache=tpe,random] [--quick]`
// `npm run bench -- race --from=bench/results/race-….json [--markdown=tpe,mbrl,…] [--budgets=…]` prints a saved race.
// The tuner race (issue 12): tuners × tasks × seeds × budgets. Each (tuner, task, seed) runs once at
// the largest budget and is read at every smaller one. Per task and budget: median final regret with
// a bootstrap interval, win/tie/loss against `tpe` by the Wilcoxon signed-rank test over seeds,
// evaluations to reach `tpe`'s median final best; time per ask() and per model phase.
import { fork, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, option, writeBenchResult } from './benchUtil.ts'
import { runJob, type RaceJob, type RaceRunResult } from './raceRun.ts'
import { fmt, markdownRace, summarize, printRace, type RaceSummary } from './raceReport.ts'
import {
  buildTask,
  BUNDLED_DATASETS,
  BUNDLED_TABLES,
  SHARED_DATASETS,
  SHARED_TABLES,
  datasetRefs,
  syntheticRefs,
  tableRefs,
  type TaskRef,
} from './raceTasks.ts'

/** The racers; `--define=NAME:JSON` adds more (a tuner spec, e.g. mbrl with other options). */
export const RACE_TUNERS: Record<string, Record<string, unknown>> = {
  random: { kind: 'random' },
  tpe: { kind: 'tpe' },
  'tpe-uni': { kind: 'tpe', multivariate: false },
  gp: { kind: 'gp' },
  cmaes: { kind: 'cmaes' },
  mbrl: { kind: 'mbrl' },
  'mbrl-paper': { kind: 'mbrl', variant: 'paper' },
  rl: { kind: 'rl' },
  'rl-onestep': { kind: 'rl-onestep' },
}
// gp is left out by default: it refits its kernel at every ask (1–4 minutes per 200-trial run here)
const DEFAULT_TUNERS = ['random', 'tpe', 'tpe-uni', 'mbrl', 'mbrl-paper', 'rl', 'rl-onestep']
const DEFAULT_XGBOOST = ['wine', 'breast_cancer_wdbc', 'vehicle', 'digits', 'iris']
const XGBOOST_BUDGET_CAP = 50
const OVERHEAD_TASK = 'overhead-levy16'

const HERE = path.dirname(fileURLToPath(import.meta.url))

function allOptions(args: readonly string[], name: string): string[] {
  return args.filter((a) => a.startsWith(`--${name}=`)).map((a) => a.slice(name.length + 3))
}

/** `ackley@8`: a synthetic function of any dimension (rosenbrock, ackley, levy) in other dimensions than the suite's. */
function resizedRef(name: string): TaskRef | null {
  const m = /^(rosenbrock|ackley|levy)@(\d+)$/.exec(name)
  if (!m) return null
  const fn = m[1] as 'rosenbrock' | 'ackley' | 'levy'
  return { name: `${fn}${m[2]}`, family: 'synthetic', function: fn, dimensions: Number(m[2]) }
}

function chooseTasks(args: readonly string[]): { refs: TaskRef[]; notes: string[] } {
  const notes: string[] = []
  let tablesDir = option(args, 'tables')
  if (!tablesDir) {
    tablesDir = existsSync(SHARED_TABLES) ? SHARED_TABLES : BUNDLED_TABLES
    notes.push(
      tablesDir === SHARED_TABLES
        ? `tables: the team's development tables in ${SHARED_TABLES}`
        : `tables: ${SHARED_TABLES} is absent; the tables shipped in ${BUNDLED_TABLES}`,
    )
  } else notes.push(`tables: ${tablesDir}`)
  let dataDir = option(args, 'datasets')
  if (!dataDir) {
    dataDir = existsSync(BUNDLED_DATASETS) ? BUNDLED_DATASETS : SHARED_DATASETS
    notes.push(
      `XGBoost data sets: ${dataDir}${dataDir === SHARED_DATASETS ? " (the team's development data)" : ''}`,
    )
  }
  const xgb = datasetRefs(
    dataDir,
    (option(args, 'xgboost') ?? DEFAULT_XGBOOST.join(',')).split(','),
  )
  if (!xgb.length) notes.push(`XGBoost: no data sets found in ${dataDir}; skipped`)
  const all = [...syntheticRefs(), ...tableRefs(tablesDir), ...xgb]
  const wanted = option(args, 'tasks')
  if (!wanted) return { refs: all, notes }
  const names = wanted.split(',')
  const resized = names.map(resizedRef).filter((r): r is TaskRef => r !== null)
  const refs = [
    ...all.filter((r) => names.includes(r.name) || names.includes(r.family)),
    ...resized,
  ]
  const unknown = names.filter(
    (n) =>
      !all.some((r) => r.name === n || r.family === n) && n !== 'xgboost' && resizedRef(n) === null,
  )
  if (unknown.length)
    throw new Error(
      `unknown task(s) ${unknown.join(', ')}; known: ${all.map((r) => r.name).join(', ')}`,
    )
  return { refs, notes }
}

/** Runs of tuners whose code is not under study, kept between races (`--cache=tpe,random`). */
const CACHE_FILE = path.resolve(HERE, '../.scratch/race-cache.ndjson')
const cacheKey = (j: RaceJob): string =>
  JSON.stringify([j.task.name, j.task.file ?? '', j.spec, j.seed, j.budget])

function readCache(): Map<string, RaceRunResult> {
  const out = new Map<string, RaceRunResult>()
  if (!existsSync(CACHE_FILE)) return out
  for (const line of readFileSync(CACHE_FILE, 'utf8').split('\n')) {
    if (!line) continue
    const { key, result } = JSON.parse(line) as { key: string; result: RaceRunResult }
    out.set(key, result)
  }
  return out
}

/** Runs the jobs on `jobs` child processes (or here when 1), heaviest first; reports progress. */
async function runAll(
  list: RaceJob[],
  jobs: number,
  onResult: (r: RaceRunResult) => void,
): Promise<RaceRunResult[]> {
  const results: RaceRunResult[] = []
  const started = performance.now()
  let next = 0
  const progress = (r: RaceRunResult) => {
    results.push(r)
    onResult(r)
    if (results.length % 20 === 0 || results.length === list.length)
      process.stdout.write(
        `  ${results.length}/${list.length} runs (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      )
  }
  if (jobs <= 1) {
    for (const job of list) progress(await runJob(job))
    return results
  }
  const child = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc: ChildProcess = fork(path.join(HERE, 'raceRun.ts'), ['--race-child'], {
        execArgv: ['--import', 'tsx'],
      })
      const send = () => proc.send(next < list.length ? { job: list[next++] } : { job: null })
      proc.on('message', (m: { ok: boolean; result?: RaceRunResult; error?: string }) => {
        if (!m.ok) {
          proc.kill()
          reject(new Error(m.error))
          return
        }
        progress(m.result!)
        send()
      })
      proc.on('exit', () => resolve())
      proc.on('error', reject)
      send()
    })
  await Promise.all(Array.from({ length: jobs }, child))
  return results
}

/** `--from=FILE --markdown[=tuner,…] [--budgets=…]`: the tables of a saved race, for README, without running it. */
function fromSaved(file: string, args: readonly string[]): void {
  const saved = JSON.parse(readFileSync(file, 'utf8')) as RaceSummary & { budgets: number[] }
  printRace(saved)
  const listed = option(args, 'markdown')
  const tuners = listed ? listed.split(',') : [...new Set(saved.cells.map((c) => c.tuner))]
  const budgets = option(args, 'budgets')?.split(',').map(Number) ?? saved.budgets
  console.log(`\n${markdownRace(saved, tuners, budgets)}`)
}

export default async function raceBench(args: string[]): Promise<void> {
  const from = option(args, 'from')
  if (from) return fromSaved(from, args)
  const quick = args.includes('--quick')
  const seeds = Number(option(args, 'seeds') ?? (quick ? 5 : 20))
  const xgbSeeds = Number(option(args, 'xgboost-seeds') ?? 3)
  const budgets = (option(args, 'budgets') ?? (quick ? '50,100' : '30,50,100,200'))
    .split(',')
    .map(Number)
  const jobs = Number(option(args, 'jobs') ?? 1)
  const focus = option(args, 'focus') ?? 'mbrl'
  const tunerSpecs = { ...RACE_TUNERS }
  for (const d of allOptions(args, 'define')) {
    const at = d.indexOf(':')
    tunerSpecs[d.slice(0, at)] = JSON.parse(d.slice(at + 1)) as Record<string, unknown>
  }
  const tuners = (option(args, 'tuners') ?? DEFAULT_TUNERS.join(',')).split(',')
  for (const t of tuners)
    if (!tunerSpecs[t])
      throw new Error(`unknown tuner "${t}" (known: ${Object.keys(tunerSpecs).join(', ')})`)
  for (const needed of ['tpe', 'random']) if (!tuners.includes(needed)) tuners.unshift(needed)
  const { refs, notes } = chooseTasks(args)
  const maxBudget = Math.max(...budgets)

  const list: RaceJob[] = []
  for (const task of refs) {
    const taskSeeds = task.family === 'xgboost' ? Math.min(seeds, xgbSeeds) : seeds
    const budget = task.family === 'xgboost' ? Math.min(maxBudget, XGBOOST_BUDGET_CAP) : maxBudget
    for (const tuner of tuners)
      for (let seed = 0; seed < taskSeeds; seed++)
        list.push({ task, tuner, spec: tunerSpecs[tuner], seed, budget })
  }
  // overhead: a 16-parameter space (levy in 16 dimensions), one seed at the largest budget
  const overheadTuners = args.includes('--no-overhead') ? [] : tuners.filter((t) => t !== 'random')
  for (const tuner of overheadTuners)
    list.push({
      task: { name: OVERHEAD_TASK, family: 'synthetic', function: 'levy', dimensions: 16 },
      tuner,
      spec: tunerSpecs[tuner],
      seed: 0,
      budget: maxBudget,
    })
  // seed by seed (the overhead runs first), heaviest family first inside a seed: a race cut short
  // with --cache leaves whole seeds to rerun from the cache with fewer --seeds
  const rank = (j: RaceJob) =>
    j.task.family === 'xgboost' ? 0 : j.task.family === 'tabular' ? 1 : 2
  const overheadFirst = (j: RaceJob) => (j.task.name === OVERHEAD_TASK ? -1 : j.seed)
  list.sort((a, b) => overheadFirst(a) - overheadFirst(b) || rank(a) - rank(b))

  for (const n of notes) console.log(n)
  console.log(
    `race: ${refs.length} tasks × ${tuners.join(', ')} × ${seeds} seeds (XGBoost ${Math.min(seeds, xgbSeeds)}, ≤ ${XGBOOST_BUDGET_CAP} trials) at budgets ${budgets.join('/')}; ${list.length} runs on ${jobs} process(es)`,
  )
  const started = performance.now()
  const cached = (option(args, 'cache') ?? '').split(',').filter(Boolean)
  const cache = cached.length ? readCache() : new Map<string, RaceRunResult>()
  // the overhead runs are timings: always measured in this run, beside each other
  const reusable = (j: RaceJob) =>
    cached.includes(j.tuner) && j.task.name !== OVERHEAD_TASK && cache.has(cacheKey(j))
  const reused = list.filter(reusable).map((j) => ({ ...cache.get(cacheKey(j))!, tuner: j.tuner }))
  const todo = list.filter((j) => !reusable(j))
  if (reused.length)
    console.log(`  ${reused.length} runs of ${cached.join(', ')} reused from ${CACHE_FILE}`)
  if (cached.length) mkdirSync(path.dirname(CACHE_FILE), { recursive: true })
  const fresh = await runAll(todo, jobs, (r) => {
    const j = todo.find((x) => x.task.name === r.task && x.tuner === r.tuner && x.seed === r.seed)
    if (j && cached.includes(j.tuner) && j.task.name !== OVERHEAD_TASK)
      appendFileSync(CACHE_FILE, `${JSON.stringify({ key: cacheKey(j), result: r })}\n`)
  })
  const results = [...reused, ...fresh]
  const optima = new Map<string, number | null>()
  for (const ref of refs)
    optima.set(ref.name, ref.family === 'xgboost' ? null : (await buildTask(ref)).optimum)
  const summary: RaceSummary = summarize({ refs, optima, tuners, budgets, results, focus })
  printRace(summary)
  const overhead = overheadTuners.map((tuner) => {
    const r = results.find((x) => x.task === OVERHEAD_TASK && x.tuner === tuner)!
    return {
      tuner,
      askMsMedian: median(r.askMs),
      tellMsMedian: median(r.tellMs),
      phaseMsMedian: r.phaseAskMs.length ? median(r.phaseAskMs) : null,
      phaseMsMax: r.phaseAskMs.length ? Math.max(...r.phaseAskMs) : null,
      phases: r.phaseAskMs.length,
      seconds: r.seconds,
    }
  })
  if (overhead.length) {
    console.log(
      `\noverhead on a 16-parameter space (levy16, ${maxBudget} trials, seed 0), CPU time of the process:`,
    )
    for (const o of overhead)
      console.log(
        `  ${o.tuner.padEnd(12)} ask() median ${fmt(o.askMsMedian)} ms, tell() ${fmt(o.tellMsMedian)} ms; model phases ${o.phases}${o.phaseMsMax === null ? '' : `, median ${fmt(o.phaseMsMedian!)} ms, max ${fmt(o.phaseMsMax)} ms`}; run ${o.seconds.toFixed(1)} s`,
      )
  }
  const file = writeBenchResult('race', {
    args,
    notes,
    seeds,
    xgboostSeeds: xgbSeeds,
    budgets,
    tuners: Object.fromEntries(tuners.map((t) => [t, tunerSpecs[t]])),
    ...summary,
    overhead,
    seconds: (performance.now() - started) / 1000,
  })
  console.log(`\nwrote ${file} (${((performance.now() - started) / 1000).toFixed(0)} s)`)
}
