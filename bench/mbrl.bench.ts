// `npm run bench -- mbrl [--quick] [--seeds=N] [--budgets=50,200] [--tasks=a,b] [--tuners=a,b]
//   [--no-sweep | --sweep-only] [--deltas=0.05,0.1,…] [--sweep-tasks=a,b] [--sweep-budget=N]`
// The paper's ablation (mbrl vs rl vs rl-onestep) against random search and TPE on the synthetic
// functions, and a δ sweep to calibrate the KL horizon (spec mbrl-tuner.md §6, §10). Tuners run
// in-process, sequentially (ask → evaluate → tell); ratios are against random search in this run.
import os from 'node:os'
import type { SyntheticFunctionName } from '../src/shared/syntheticFunctions.ts'
import { tunerSpecSchema } from '../src/shared/tunerSpec.ts'
import { uniformRandom } from '../test/helpers/learningCheck.ts'
import { createMbrlTuner, type RlTunerKind } from '../src/worker/tuners/mbrl/mbrlTuner.ts'
import {
  runOnSynthetic,
  type MakeTuner,
  type SyntheticRun,
} from '../test/helpers/runOnSynthetic.ts'
import { formatFigure as fmt, median, option, quantile, writeBenchResult } from './benchUtil.ts'

const RL_KINDS: RlTunerKind[] = ['mbrl', 'rl', 'rl-onestep']

const list = (v: string | undefined, fallback: string): string[] => (v || fallback).split(',')

async function makers(names: string[]): Promise<Record<string, MakeTuner>> {
  const out: Record<string, MakeTuner> = {}
  for (const name of names) {
    if (name === 'random') out.random = uniformRandom
    else if (RL_KINDS.includes(name as RlTunerKind))
      out[name] = (space, seed) =>
        createMbrlTuner({
          space,
          seed,
          direction: 'minimize',
          options: {},
          kind: name as RlTunerKind,
        })
    else if (name === 'tpe') {
      // written by another engineer: skipped when absent
      try {
        const { createTpeTuner } = await import('../src/worker/tuners/tpe/tpeTuner.ts')
        const options = tunerSpecSchema.parse({ kind: 'tpe' })
        out.tpe = (space, seed) =>
          createTpeTuner({ space, seed, direction: 'minimize', options: { ...options } })
      } catch (error) {
        console.log(`tpe skipped: ${String(error)}`)
      }
    } else throw new Error(`unknown tuner "${name}" (known: random, tpe, ${RL_KINDS.join(', ')})`)
  }
  return out
}

interface RunRecord {
  task: string
  tuner: string
  budget: number
  seed: number
  best: number
  regret: number
  bestSoFar: number[]
  wallSeconds: number
  tunerMsPerTrial: number
  modelEpisodes: number
  realEpisodes: number
}

async function run(
  task: SyntheticFunctionName,
  tuner: string,
  make: MakeTuner,
  seed: number,
  budget: number,
): Promise<RunRecord> {
  const t0 = performance.now()
  const r: SyntheticRun = await runOnSynthetic(task, make, seed, budget)
  return {
    task,
    tuner,
    budget,
    seed,
    best: r.bestSoFar[r.bestSoFar.length - 1],
    regret: r.regret,
    bestSoFar: r.bestSoFar,
    wallSeconds: (performance.now() - t0) / 1000,
    tunerMsPerTrial: r.tunerMs / budget,
    modelEpisodes: r.snapshot?.modelEpisodes ?? 0,
    realEpisodes: r.snapshot?.realEpisodes ?? budget,
  }
}

interface Summary {
  task: string
  tuner: string
  budget: number
  medianBest: number
  medianRegret: number
  regretIqr: [number, number]
  /** Real evaluations until the best reached random search's median final best (null: not reached). */
  evalsToRandomBest: (number | null)[]
  medianEvalsToRandomBest: number | null
  medianWallSeconds: number
  medianTunerMsPerTrial: number
  modelEpisodeShare: number
  regretVsRandom: number
  wallVsRandom: number
}

function summarize(runs: RunRecord[], randomRuns: RunRecord[]): Summary {
  const { task, tuner, budget } = runs[0]
  const target = median(randomRuns.map((r) => r.best))
  const reach = runs.map((r) => {
    const i = r.bestSoFar.findIndex((b) => b <= target)
    return i < 0 ? null : i + 1
  })
  const reachSorted = reach.map((v) => v ?? Infinity)
  const medReach = median(reachSorted)
  const randomRegret = median(randomRuns.map((r) => r.regret))
  const regrets = runs.map((r) => r.regret)
  return {
    task,
    tuner,
    budget,
    medianBest: median(runs.map((r) => r.best)),
    medianRegret: median(regrets),
    regretIqr: [quantile(regrets, 0.25), quantile(regrets, 0.75)],
    evalsToRandomBest: reach,
    medianEvalsToRandomBest: Number.isFinite(medReach) ? medReach : null,
    medianWallSeconds: median(runs.map((r) => r.wallSeconds)),
    medianTunerMsPerTrial: median(runs.map((r) => r.tunerMsPerTrial)),
    modelEpisodeShare: median(
      runs.map((r) => r.modelEpisodes / Math.max(1, r.modelEpisodes + r.realEpisodes)),
    ),
    regretVsRandom: randomRegret > 0 ? median(regrets) / randomRegret : NaN,
    wallVsRandom:
      median(runs.map((r) => r.wallSeconds)) / median(randomRuns.map((r) => r.wallSeconds)),
  }
}

function printSummary(s: Summary): void {
  const reach = s.evalsToRandomBest.filter((v) => v !== null).length
  console.log(
    `  ${s.tuner.padEnd(10)} best ${fmt(s.medianBest).padStart(8)}  regret ${fmt(s.medianRegret).padStart(7)} [${fmt(s.regretIqr[0])}, ${fmt(s.regretIqr[1])}]  ×random ${s.regretVsRandom.toFixed(2).padStart(5)}  ` +
      `to random's best ${s.medianEvalsToRandomBest ?? 'not reached'} (${reach}/${s.evalsToRandomBest.length})  ` +
      `wall ${s.medianWallSeconds.toFixed(1)} s (×${s.wallVsRandom.toFixed(0)})  tuner ${s.medianTunerMsPerTrial.toFixed(1)} ms/trial  model share ${(100 * s.modelEpisodeShare).toFixed(0)}%`,
  )
}

interface SweepRow {
  task: string
  delta: number
  medianRegret: number
  regretIqr: [number, number]
  regretVsRandom: number
  modelEpisodesPerPhase: number
  modelEpisodeShare: number
  medianWallSeconds: number
  medianTunerMsPerTrial: number
}

export default async function mbrlBench(args: string[]): Promise<void> {
  const quick = args.includes('--quick')
  const seeds = Number(option(args, 'seeds') ?? (quick ? 3 : 5))
  const budgets = list(option(args, 'budgets'), quick ? '50' : '50,200').map(Number)
  const tasks = list(
    option(args, 'tasks'),
    quick ? 'branin,hartmann6' : 'branin,hartmann3,hartmann6,mixed',
  ) as SyntheticFunctionName[]
  const tunerNames = list(option(args, 'tuners'), 'random,tpe,mbrl,rl,rl-onestep')
  if (!tunerNames.includes('random')) tunerNames.unshift('random')
  const deltas = list(option(args, 'deltas'), quick ? '0.1,0.4,0.8' : '0.05,0.1,0.2,0.4,0.8').map(
    Number,
  )
  const sweepTasks = list(
    option(args, 'sweep-tasks'),
    'branin,hartmann6',
  ) as SyntheticFunctionName[]
  const sweepBudget = Number(option(args, 'sweep-budget') ?? 100)
  const doMain = !args.includes('--sweep-only')
  const doSweep = !args.includes('--no-sweep')
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')
  console.log(
    `mbrl bench${quick ? ' (quick)' : ''}: ${seeds} seeds; load average at start ${load()} on ${os.cpus().length} cores`,
  )
  const started = performance.now()
  const tuners = await makers(tunerNames)
  const records: RunRecord[] = []
  const summaries: Summary[] = []

  if (doMain) {
    console.log(
      `ablation: ${tasks.join(', ')} × ${Object.keys(tuners).join(', ')} × budgets ${budgets.join(', ')}`,
    )
    for (const task of tasks)
      for (const budget of budgets) {
        const byTuner: Record<string, RunRecord[]> = {}
        for (const [name, make] of Object.entries(tuners)) {
          byTuner[name] = []
          for (let seed = 0; seed < seeds; seed++)
            byTuner[name].push(await run(task, name, make, seed, budget))
          records.push(...byTuner[name])
        }
        console.log(
          `\n${task}, ${budget} real evaluations (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        )
        for (const name of Object.keys(tuners)) {
          const s = summarize(byTuner[name], byTuner.random)
          summaries.push(s)
          printSummary(s)
        }
      }
  }

  const sweep: SweepRow[] = []
  let recommendation: { delta: number; why: string } | null = null
  if (doSweep) {
    console.log(
      `\nδ sweep (mbrl, KL mean over steps): ${sweepTasks.join(', ')} × δ ${deltas.join(', ')}, ${sweepBudget} evaluations`,
    )
    for (const task of sweepTasks) {
      const randomRuns: RunRecord[] = []
      for (let seed = 0; seed < seeds; seed++)
        randomRuns.push(await run(task, 'random', uniformRandom, seed, sweepBudget))
      const randomRegret = median(randomRuns.map((r) => r.regret))
      console.log(`\n${task}: random's median regret ${fmt(randomRegret)}`)
      for (const delta of deltas) {
        const make: MakeTuner = (space, seed) =>
          createMbrlTuner({ space, seed, direction: 'minimize', options: { delta }, kind: 'mbrl' })
        const runs: RunRecord[] = []
        for (let seed = 0; seed < seeds; seed++)
          runs.push(await run(task, `mbrl δ=${delta}`, make, seed, sweepBudget))
        records.push(...runs)
        const regrets = runs.map((r) => r.regret)
        // phases that ran: every 25 real results, the last result untold
        const phases = Math.floor((sweepBudget - 1) / 25)
        const row: SweepRow = {
          task,
          delta,
          medianRegret: median(regrets),
          regretIqr: [quantile(regrets, 0.25), quantile(regrets, 0.75)],
          regretVsRandom: median(regrets) / randomRegret,
          modelEpisodesPerPhase: median(runs.map((r) => r.modelEpisodes / Math.max(1, phases))),
          modelEpisodeShare: median(
            runs.map((r) => r.modelEpisodes / Math.max(1, r.modelEpisodes + r.realEpisodes)),
          ),
          medianWallSeconds: median(runs.map((r) => r.wallSeconds)),
          medianTunerMsPerTrial: median(runs.map((r) => r.tunerMsPerTrial)),
        }
        sweep.push(row)
        console.log(
          `  δ ${String(delta).padEnd(5)} regret ${fmt(row.medianRegret).padStart(7)} [${fmt(row.regretIqr[0])}, ${fmt(row.regretIqr[1])}]  ×random ${row.regretVsRandom.toFixed(2)}  ` +
            `model episodes/phase ${row.modelEpisodesPerPhase.toFixed(0)} (share ${(100 * row.modelEpisodeShare).toFixed(0)}%)  wall ${row.medianWallSeconds.toFixed(1)} s  tuner ${row.medianTunerMsPerTrial.toFixed(0)} ms/trial`,
        )
      }
    }
    // the δ with the best mean ×random over the sweep tasks; ties (within 5%) go to the cheaper one
    const scored = deltas.map((delta) => {
      const rows = sweep.filter((r) => r.delta === delta)
      return {
        delta,
        score: rows.reduce((a, r) => a + r.regretVsRandom, 0) / rows.length,
        seconds: rows.reduce((a, r) => a + r.medianWallSeconds, 0),
      }
    })
    const bestScore = Math.min(...scored.map((s) => s.score))
    const pick = scored
      .filter((s) => s.score <= bestScore * 1.05)
      .sort((a, b) => a.seconds - b.seconds)[0]
    recommendation = {
      delta: pick.delta,
      why: `mean regret ×random over ${sweepTasks.join(', ')}: ${scored.map((s) => `δ ${s.delta}: ${s.score.toFixed(2)}`).join(', ')}; the cheapest within 5% of the best`,
    }
    console.log(`\nrecommended δ: ${recommendation.delta} (${recommendation.why})`)
  }

  const file = writeBenchResult('mbrl', {
    args,
    seeds,
    budgets,
    tasks,
    tuners: Object.keys(tuners),
    loadAverageAtEnd: os.loadavg(),
    summaries,
    sweep,
    recommendation,
    runs: records.map(({ bestSoFar: _bestSoFar, ...r }) => r),
    seconds: (performance.now() - started) / 1000,
  })
  console.log(`\nload average at end ${load()}; wrote ${file}`)
}
