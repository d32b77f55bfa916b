// `npm run bench -- tuners [--quick] [--seeds=N] [--tuners=a,b] [--problems=a,b] [--gbdt[=iris,wine]]`
// The synthetic problems of the Optuna 3.1 reference (the team's notes, ../shared/notes/measured-facts.md;
// the figures are copied below, so the bench needs nothing outside the repo): 100 trials × 10 seeds per
// tuner, median and IQR of regret at 25/50/100 trials, ask() time per trial, ratios vs random search
// measured in the same run, and our TPE against the published Optuna figures. Tuners run in-process
// (no worker), so ask() is the tuner's own cost.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { syntheticFunction, type SyntheticFunctionName } from '../src/shared/syntheticFunctions.ts'
import { type FinishedTrial, completeTrial } from '../src/shared/trial.ts'
import { tunerSpecSchema } from '../src/shared/tunerSpec.ts'
import { createTuner } from '../src/worker/tuners/createTuner.ts'
import { runOnSynthetic } from '../test/helpers/runOnSynthetic.ts'
import { formatFigure as fmt, median, option, quantile, writeBenchResult } from './benchUtil.ts'

/**
 * Published reference, not measured here: Optuna 3.1 on a 2-core machine like this one
 * (measured-facts.md), median regret after 100 trials over seeds 0–9, and TPE's time per suggestion.
 * Our `tpe` draws NumPy's random numbers in Optuna's order (shared/numpyRandomState.ts), so for seeds 0–9 it makes
 * the same trials as Optuna on the six continuous problems; `seeds100` are Optuna 3.1.1's own
 * medians over seeds 0–99, run here with the same definitions (the mixed problem as
 * test/fixtures/optuna31/generate.py writes it; its seeds 0–9 median is 0.578, not the published
 * 0.693), for runs with --seeds=100.
 */
export const OPTUNA_31_REFERENCE = {
  regretAt100: {
    tpe: {
      branin: 0.0163,
      hartmann3: 0.019,
      hartmann6: 0.277,
      rosenbrock: 54,
      ackley: 7.93,
      levy: 4.46,
      mixed: 0.693,
    },
    'tpe-mv': {
      branin: 0.089,
      hartmann3: 0.044,
      hartmann6: 0.18,
      rosenbrock: 56,
      ackley: 9.04,
      levy: 3.69,
      mixed: 0.15,
    },
    random: {
      branin: 0.198,
      hartmann3: 0.325,
      hartmann6: 1.29,
      rosenbrock: 1121,
      ackley: 17.1,
      levy: 17.5,
      mixed: 1.02,
    },
  } as Record<string, Record<SyntheticFunctionName, number>>,
  seeds100: {
    branin: 0.0279,
    hartmann3: 0.0304,
    hartmann6: 0.233,
    rosenbrock: 48.7,
    ackley: 7.94,
    levy: 5.25,
    mixed: 0.529,
  } as Record<SyntheticFunctionName, number>,
  /** TPE's time per suggestion at trials 91–100, ms (levy8 18.3). */
  tpeAskMsAt91to100: [4, 18],
  randomAskMs: 0.06,
}

const TUNERS: Record<string, Record<string, unknown>> = {
  random: { kind: 'random' },
  tpe: { kind: 'tpe' },
  'tpe-mv': { kind: 'tpe', multivariate: true },
  gp: { kind: 'gp' },
  cmaes: { kind: 'cmaes' },
  qmc: { kind: 'qmc' },
}
const CHECKPOINTS = [25, 50, 100]

interface RunResult {
  regret: number[]
  askMsFirst10: number
  askMsLast10: number
}
interface Summary {
  problem: string
  tuner: string
  median: number[]
  q25: number[]
  q75: number[]
  askMsFirst10: number
  askMsLast10: number
}

async function runOnce(
  problem: SyntheticFunctionName,
  tunerRaw: Record<string, unknown>,
  seed: number,
  trials: number,
): Promise<RunResult> {
  const spec = tunerSpecSchema.parse(tunerRaw)
  const run = await runOnSynthetic(
    problem,
    (space, s) => createTuner(spec, { space, direction: 'minimize', seed: s }),
    seed,
    trials,
  )
  const { optimum } = syntheticFunction(problem)
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
  return {
    regret: CHECKPOINTS.map((k) => run.bestSoFar[k - 1] - optimum),
    askMsFirst10: mean(run.askMs.slice(0, 10)),
    askMsLast10: mean(run.askMs.slice(Math.max(0, trials - 10))),
  }
}

export default async function tunersBench(args: string[]): Promise<void> {
  const quick = args.includes('--quick')
  const seeds = Number(option(args, 'seeds') ?? (quick ? 3 : 10))
  const trials = 100
  const tuners = (option(args, 'tuners') ?? Object.keys(TUNERS).join(',')).split(',')
  const problems = (
    option(args, 'problems') ?? 'branin,hartmann3,hartmann6,rosenbrock,ackley,levy,mixed'
  ).split(',') as SyntheticFunctionName[]
  for (const t of tuners)
    if (!TUNERS[t])
      throw new Error(`unknown tuner "${t}" (known: ${Object.keys(TUNERS).join(', ')})`)
  if (!tuners.includes('random')) tuners.unshift('random')
  console.log(
    `tuners bench: ${problems.length} problems × ${tuners.join(', ')} × ${seeds} seeds × ${trials} trials${quick ? ' (quick)' : ''}`,
  )

  const summaries: Summary[] = []
  const started = performance.now()
  for (const problem of problems) {
    for (const tuner of tuners) {
      const runs: RunResult[] = []
      for (let seed = 0; seed < seeds; seed++)
        runs.push(await runOnce(problem, TUNERS[tuner], seed, trials))
      const at = (k: number) => runs.map((r) => r.regret[k])
      summaries.push({
        problem,
        tuner,
        median: CHECKPOINTS.map((_, k) => median(at(k))),
        q25: CHECKPOINTS.map((_, k) => quantile(at(k), 0.25)),
        q75: CHECKPOINTS.map((_, k) => quantile(at(k), 0.75)),
        askMsFirst10: median(runs.map((r) => r.askMsFirst10)),
        askMsLast10: median(runs.map((r) => r.askMsLast10)),
      })
      process.stdout.write(
        `  ${problem} ${tuner} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      )
    }
  }

  const get = (problem: string, tuner: string) =>
    summaries.find((s) => s.problem === problem && s.tuner === tuner)
  console.log(
    '\nregret: median [IQR] at 25 / 50 / 100 trials; ×random = median at 100 / random’s median at 100 (this run)',
  )
  console.log('ask ms: mean per trial over trials 1–10 / 91–100 (median over seeds)')
  for (const problem of problems) {
    console.log(`\n${problem}`)
    const random = get(problem, 'random')!
    for (const tuner of tuners) {
      const s = get(problem, tuner)!
      const cells = CHECKPOINTS.map(
        (_, k) => `${fmt(s.median[k])} [${fmt(s.q25[k])}, ${fmt(s.q75[k])}]`,
      )
      const vsRandom = random.median[2] > 0 ? s.median[2] / random.median[2] : NaN
      const ref =
        seeds === 100
          ? tuner === 'tpe'
            ? OPTUNA_31_REFERENCE.seeds100[problem as SyntheticFunctionName]
            : undefined
          : OPTUNA_31_REFERENCE.regretAt100[tuner]?.[problem as SyntheticFunctionName]
      const vsOptuna =
        ref === undefined
          ? ''
          : `  optuna3.1${seeds === 100 ? ' (100 seeds)' : ''} ${fmt(ref)} → ours/optuna ${(s.median[2] / ref).toFixed(2)}`
      console.log(
        `  ${tuner.padEnd(7)} ${cells.join('  ')}  ×random ${vsRandom.toFixed(2)}  ask ${s.askMsFirst10.toFixed(2)}/${s.askMsLast10.toFixed(2)} ms${vsOptuna}`,
      )
    }
  }

  let verdict: Record<string, unknown> = {}
  if (tuners.includes('tpe')) {
    const reference =
      seeds === 100 ? OPTUNA_31_REFERENCE.seeds100 : OPTUNA_31_REFERENCE.regretAt100.tpe
    const compared = problems.map((p) => {
      const ours = get(p, 'tpe')!.median[2]
      const ref = reference[p]
      return { problem: p, ours, optuna: ref, ratio: ours / ref, within: ours <= 1.1 * ref }
    })
    const askMax = Math.max(...problems.map((p) => get(p, 'tpe')!.askMsLast10))
    const within = compared.filter((c) => c.within).length
    verdict = {
      tpeWithin1_1xOptuna: `${within} of ${problems.length}`,
      tpeAskMsAt91to100Max: askMax,
      regretTarget: within >= Math.min(6, problems.length) ? 'met' : 'not met',
      askTarget:
        askMax <= OPTUNA_31_REFERENCE.tpeAskMsAt91to100[0]
          ? 'met (≤ 4 ms, Optuna’s fastest)'
          : askMax <= 18
            ? 'met (≤ 18 ms)'
            : 'not met',
      compared,
    }
    console.log(
      `\nour tpe vs Optuna 3.1 TPE (${seeds === 100 ? 'run here, seeds 0–99' : 'published, seeds 0–9'}): ≤ 1.1× on ${within} of ${problems.length} problems; ask at 91–100 at most ${askMax.toFixed(2)} ms (Optuna 4–18 ms)`,
    )
    if (seeds !== 10 && seeds !== 100)
      console.log(
        `  (the reference figures are medians over 10 or 100 seeds; this run used ${seeds})`,
      )
  }

  let gbdt: unknown = undefined
  const gbdtArg = option(args, 'gbdt')
  if (gbdtArg !== undefined)
    gbdt = await gbdtBench(gbdtArg ? gbdtArg.split(',') : ['vehicle'], tuners, quick)

  const file = writeBenchResult('tuners', {
    args,
    seeds,
    trials,
    checkpoints: CHECKPOINTS,
    optunaReference: OPTUNA_31_REFERENCE,
    summaries,
    verdict,
    gbdt,
    seconds: (performance.now() - started) / 1000,
  })
  console.log(`\nwrote ${file}`)
}

/** XGBoost on the development data sets: 50 trials × 3 seeds per tuner, validation accuracy. */
async function gbdtBench(datasets: string[], tuners: string[], quick: boolean): Promise<unknown> {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const objectiveFile = path.join(here, '../src/worker/objectives/gbdtObjective.ts')
  if (!existsSync(objectiveFile)) {
    console.log('\ngbdt: src/worker/objectives/gbdtObjective.ts is missing; skipped')
    return { skipped: 'gbdt objective missing' }
  }
  const { createGbdtObjective } = await import('../src/worker/objectives/gbdtObjective.ts')
  const { objectiveSpecSchema } = await import('../src/shared/objectiveSpec.ts')
  const { parseSearchSpace } = await import('../src/shared/searchSpace.ts')
  const parsed = parseSearchSpace({
    max_depth: { type: 'int', low: 1, high: 25 },
    learning_rate: { type: 'float', low: 0.001, high: 0.1, log: true },
    // the paper's range is 50–1200; capped so 900 trainings per data set fit a benchmark run
    n_estimators: { type: 'int', low: 50, high: 300 },
    gamma: { type: 'float', low: 0.05, high: 0.9 },
    min_child_weight: { type: 'int', low: 1, high: 9 },
    subsample: { type: 'float', low: 0.5, high: 1 },
    colsample_bytree: { type: 'float', low: 0.5, high: 1 },
    colsample_bylevel: { type: 'float', low: 0.5, high: 1 },
    reg_alpha: { type: 'float', low: 0.1, high: 0.9 },
    reg_lambda: { type: 'float', low: 0.01, high: 0.1 },
  })
  if (!parsed.ok) throw new Error('bad gbdt space')
  const trials = quick ? 20 : 50
  const seeds = quick ? 1 : 3
  const out: { dataset: string; tuner: string; bestAccuracy: number[]; seconds: number }[] = []
  console.log(
    `\ngbdt: ${datasets.join(', ')} × ${tuners.join(', ')} × ${seeds} seeds × ${trials} trials (validation accuracy, higher is better)`,
  )
  for (const dataset of datasets) {
    const objective = objectiveSpecSchema.parse({
      kind: 'gbdt',
      // The sample data sets that ship with the app (resources/datasets/README.md).
      dataset: path.resolve(
        path.dirname(fileURLToPath(import.meta.url)),
        '../resources/datasets',
        `${dataset}.csv`,
      ),
      fixed: { tree_method: 'hist' },
    })
    if (objective.kind !== 'gbdt') throw new Error('unreachable')
    const run = createGbdtObjective(objective, { metric: 'accuracy', resources: { nthread: 1 } })
    for (const tuner of tuners) {
      const t0 = performance.now()
      const bestAccuracy: number[] = []
      for (let seed = 0; seed < seeds; seed++) {
        const t = createTuner(tunerSpecSchema.parse(TUNERS[tuner]), {
          space: parsed.value,
          direction: 'maximize',
          seed,
        })
        const finished: FinishedTrial[] = []
        let best = -Infinity
        for (let i = 0; i < trials; i++) {
          const proposal = await t.ask({ finished, pending: [] })
          const result = await run.run(proposal.params, {
            trialNumber: i,
            seed: 0,
            trialDir: '/tmp',
            report: () => {},
            log: () => {},
            signal: new AbortController().signal,
          })
          best = Math.max(best, result.value)
          const trial: FinishedTrial = completeTrial(i, proposal.params, result.value, {
            loss: -result.value,
            tunerData: proposal.tunerData,
          })
          finished.push(trial)
          await t.tell(trial, { finished, pending: [] })
        }
        bestAccuracy.push(best)
      }
      const seconds = (performance.now() - t0) / 1000
      out.push({ dataset, tuner, bestAccuracy, seconds })
      // random runs first: error rate (1 − median accuracy) as a ratio to random search's
      const randomError = 1 - median(out.find((o) => o.dataset === dataset)!.bestAccuracy)
      const error = 1 - median(bestAccuracy)
      const vsRandom = randomError > 0 ? (error / randomError).toFixed(2) : '–'
      console.log(
        `  ${dataset} ${tuner.padEnd(7)} best accuracy per seed ${bestAccuracy.map((a) => a.toFixed(4)).join(' ')} (median ${median(bestAccuracy).toFixed(4)}, error ×random ${vsRandom}, ${seconds.toFixed(0)} s)`,
      )
    }
  }
  return out
}
