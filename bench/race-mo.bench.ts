// `npm run bench -- race-mo [--seeds=10] [--budget=200] [--tuners=a,b] [--problems=a,b]`
// The multi-objective race: ZDT1–3, DTLZ2 (3 objectives), Binh–Korn (constrained) and tabular
// tables with a derived cost as second objective (bench/raceMoProblems.ts). Hypervolume of the
// feasible trials after 50/100/200 trials as a fraction of the true front's, median over seeds,
// against random search run here and against Optuna 3.1's figures for the same samplers, problems
// and seeds (bench/optuna_race_mo.py wrote bench/results/optuna31-race-mo.json on this machine).
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { tunerSpecSchema } from '../src/shared/tunerSpec.ts'
import { createTuner } from '../src/worker/tuners/createTuner.ts'
import {
  RESULTS_DIR,
  formatFigure as fmt,
  median,
  option,
  quantile,
  writeBenchResult,
} from './benchUtil.ts'
import { raceMoProblems } from './raceMoProblems.ts'
import { runRaceMo, type MakeMoTuner, type RaceMoRun } from './raceMoRunner.ts'

/** Our tuners, and the Optuna sampler each is compared with (null: none). */
const TUNERS: Record<string, { spec: Record<string, unknown>; optuna: string | null }> = {
  random: { spec: { kind: 'random' }, optuna: 'random' },
  tpe: { spec: { kind: 'tpe', multivariate: false }, optuna: 'tpe' },
  nsga2: { spec: { kind: 'nsga2' }, optuna: 'nsga2' },
  'nsga2-sbx': { spec: { kind: 'nsga2', crossover: 'sbx' }, optuna: 'nsga2-sbx' },
  'nsga2-sbx-pm': {
    spec: { kind: 'nsga2', crossover: 'sbx', mutation: 'polynomial' },
    optuna: null,
  },
}

interface OptunaSamplerRuns {
  seeds: number
  checkpoints: number[]
  hypervolume: number[][]
  seconds: number[]
}
interface OptunaReference {
  optuna: string
  problems: Record<string, { reference: number[]; samplers: Record<string, OptunaSamplerRuns> }>
}

/** Optuna's runs of a problem, when they used the same reference point as ours. */
function sameReference(
  reference: OptunaReference | null,
  problem: { name: string; reference: number[] },
): OptunaReference['problems'][string] | undefined {
  const entry = reference?.problems[problem.name]
  if (!entry) return undefined
  const same = entry.reference.every(
    (r, k) => Math.abs(r - problem.reference[k]) <= 1e-9 * Math.max(1, Math.abs(r)),
  )
  if (!same)
    console.log(
      `${problem.name}: Optuna's figures used reference ${JSON.stringify(entry.reference)}, ours is ${JSON.stringify(problem.reference)}: rerun bench/optuna_race_mo.py`,
    )
  return same ? entry : undefined
}

/** Optuna's median hypervolume ratio at our checkpoints (null where it has none), over its first `seeds` seeds. */
function optunaMedians(
  runs: OptunaSamplerRuns | undefined,
  checkpoints: readonly number[],
  seeds: number,
  optimal: number,
): (number | null)[] | null {
  if (!runs) return null
  return checkpoints.map((c) => {
    const i = runs.checkpoints.indexOf(c)
    return i < 0 ? null : median(runs.hypervolume.slice(0, seeds).map((r) => r[i] / optimal))
  })
}

export const OPTUNA_REFERENCE_FILE = path.join(RESULTS_DIR, 'optuna31-race-mo.json')

function readReference(): OptunaReference | null {
  if (!existsSync(OPTUNA_REFERENCE_FILE)) return null
  return JSON.parse(readFileSync(OPTUNA_REFERENCE_FILE, 'utf8')) as OptunaReference
}

const maker =
  (spec: Record<string, unknown>): MakeMoTuner =>
  (init) =>
    createTuner(tunerSpecSchema.parse(spec), init)

export default async function raceMo(args: string[]): Promise<void> {
  const seeds = Number(option(args, 'seeds') ?? 10)
  const budget = Number(option(args, 'budget') ?? 200)
  const checkpoints = [50, 100, 200, 300, 500].filter((c) => c <= budget)
  const tuners = (option(args, 'tuners') ?? Object.keys(TUNERS).join(',')).split(',')
  const only = option(args, 'problems')?.split(',')
  const reference = readReference()
  const problems = raceMoProblems().filter((p) => !only || only.includes(p.name))
  console.log(
    `${problems.length} problems × ${tuners.length} tuners × ${seeds} seeds, ${budget} trials; ` +
      `Optuna reference: ${reference ? `${reference.optuna} (${OPTUNA_REFERENCE_FILE})` : 'none'}`,
  )
  const rows: Record<string, unknown>[] = []
  for (const problem of problems) {
    const optimal = problem.optimalHypervolume()
    const optunaRuns = sameReference(reference, problem)
    const randomMedian: number[] = []
    for (const name of tuners) {
      const tuner = TUNERS[name]
      if (!tuner) throw new Error(`unknown tuner ${name}; known: ${Object.keys(TUNERS).join(', ')}`)
      const runs: RaceMoRun[] = []
      for (let seed = 0; seed < seeds; seed++)
        runs.push(await runRaceMo(problem, maker(tuner.spec), seed, checkpoints))
      const at = (i: number) => runs.map((r) => r.hypervolume[i] / optimal)
      const medians = checkpoints.map((_, i) => median(at(i)))
      if (name === 'random') randomMedian.push(...medians)
      const theirs = tuner.optuna ? optunaRuns?.samplers[tuner.optuna] : undefined
      const optuna = optunaMedians(theirs, checkpoints, seeds, optimal)
      const askMs = median(runs.flatMap((r) => r.askMs.slice(-10)))
      const last = checkpoints.length - 1
      rows.push({
        problem: problem.name,
        tuner: name,
        checkpoints,
        medianHypervolumeRatio: medians,
        iqr: checkpoints.map((_, i) => [quantile(at(i), 0.25), quantile(at(i), 0.75)]),
        vsRandom: randomMedian.length ? medians.map((m, i) => m / randomMedian[i]) : null,
        optunaSeeds: theirs ? Math.min(seeds, theirs.seeds) : null,
        optunaMedianHypervolumeRatio: optuna,
        vsOptuna: optuna
          ? medians.map((m, i) => (optuna[i] === null ? null : m / optuna[i]!))
          : null,
        gapVsOptuna: optuna
          ? medians.map((m, i) => (optuna[i] === null ? null : (1 - m) / (1 - optuna[i]!)))
          : null,
        askMsLast10: askMs,
      })
      console.log(
        `${problem.name.padEnd(15)} ${name.padEnd(13)} HV/HV* ${medians.map(fmt).join(' / ')}` +
          (randomMedian.length ? `  ×random ${fmt(medians[last] / randomMedian[last])}` : '') +
          (optuna && optuna[last] !== null
            ? `  Optuna ${optuna.map((m) => (m === null ? '-' : fmt(m))).join(' / ')} ×Optuna ${fmt(medians[last] / optuna[last]!)}`
            : '') +
          `  ask ${fmt(askMs)} ms`,
      )
    }
  }
  const file = writeBenchResult('race-mo', {
    seeds,
    budget,
    checkpoints,
    note: 'hypervolume of feasible trials / hypervolume of the true front, median over seeds 0..N-1; ×random measured in this run; Optuna figures from optuna31-race-mo.json (same problems, reference points, its first min(N, its seeds) seeds); gapVsOptuna = (1 − ours) / (1 − Optuna’s)',
    rows,
  })
  console.log(`wrote ${file}`)
}
