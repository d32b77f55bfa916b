// The race's summary (per task, budget and tuner), the issue-12 criteria for one tuner, and the
// terminal table.
import { median } from './benchUtil.ts'
import type { RaceRunResult } from './raceRun.ts'
import { bootstrapMedian, evaluationsToReach, pairedVerdict, type Verdict } from './raceStats.ts'
import type { TaskFamily, TaskRef } from './raceTasks.ts'

export interface RaceCell {
  task: string
  family: TaskFamily
  budget: number
  tuner: string
  /** Final regret per seed (seed order), or the final loss where the optimum is unknown. */
  finals: number[]
  median: number
  interval: [number, number]
  vsTpe: { verdict: Verdict; p: number }
  vsRandom: { verdict: Verdict; p: number }
  /** Median over seeds of the evaluations needed to reach `tpe`'s median final best at this budget (Infinity: not within the run). */
  evalsToTpe: number
}

export interface RaceTiming {
  tuner: string
  family: TaskFamily
  askMsMedian: number
  tellMsMedian: number
  phaseMsMedian: number | null
  phaseMsMax: number | null
  phasesPerRun: number
  secondsPerRun: number
  /** Proposals that repeated an earlier configuration, per run. */
  repeatsPerRun: number
}

export interface Criteria {
  tuner: string
  /** Synthetic and tabular tasks (XGBoost runs too few seeds for a paired test). */
  tasks: number
  perBudget: {
    budget: number
    notWorseThanTpe: number
    betterThanTpe: number
    betterThanRandom: number
    /** Lower median regret than `rl`, and significantly better. */
    medianBelowRl: number | null
    betterThanRl: number | null
  }[]
  /** Median over tasks of (evaluations to reach tpe's 100-trial median best) / 100. */
  evalsRatioAt100: number | null
  met: Record<string, boolean>
}

export interface RaceSummary {
  tasks: { name: string; family: TaskFamily; optimum: number | null }[]
  cells: RaceCell[]
  timing: RaceTiming[]
  criteria: Criteria | null
  focus: string
}

export function summarize(input: {
  refs: TaskRef[]
  optima: Map<string, number | null>
  tuners: string[]
  budgets: number[]
  results: RaceRunResult[]
  focus: string
}): RaceSummary {
  const { refs, optima, tuners, budgets, results, focus } = input
  const runs = (task: string, tuner: string) =>
    results.filter((r) => r.task === task && r.tuner === tuner).sort((a, b) => a.seed - b.seed)
  const cells: RaceCell[] = []
  for (const ref of refs) {
    const optimum = optima.get(ref.name) ?? null
    for (const budget of budgets) {
      const finalsOf = (tuner: string) =>
        runs(ref.name, tuner)
          .filter((r) => r.bestSoFar.length >= budget)
          .map((r) => r.bestSoFar[budget - 1] - (optimum ?? 0))
      const tpe = finalsOf('tpe')
      const random = finalsOf('random')
      if (!tpe.length) continue
      const target = median(tpe) + (optimum ?? 0)
      for (const tuner of tuners) {
        const finals = finalsOf(tuner)
        if (!finals.length) continue
        const paired = (ref2: number[]) => {
          const n = Math.min(finals.length, ref2.length)
          return pairedVerdict(finals.slice(0, n), ref2.slice(0, n))
        }
        cells.push({
          task: ref.name,
          family: ref.family,
          budget,
          tuner,
          finals,
          median: median(finals),
          interval: bootstrapMedian(finals),
          vsTpe: paired(tpe),
          vsRandom: paired(random),
          evalsToTpe: median(
            runs(ref.name, tuner).map((r) => evaluationsToReach(r.bestSoFar, target)),
          ),
        })
      }
    }
  }
  const timing: RaceTiming[] = []
  for (const tuner of tuners)
    for (const family of ['synthetic', 'tabular', 'xgboost'] as TaskFamily[]) {
      const rs = results.filter(
        (r) => r.tuner === tuner && refs.some((x) => x.name === r.task && x.family === family),
      )
      if (!rs.length) continue
      const phases = rs.flatMap((r) => r.phaseAskMs)
      timing.push({
        tuner,
        family,
        askMsMedian: median(rs.flatMap((r) => r.askMs)),
        tellMsMedian: median(rs.flatMap((r) => r.tellMs)),
        phaseMsMedian: phases.length ? median(phases) : null,
        phaseMsMax: phases.length ? Math.max(...phases) : null,
        phasesPerRun: phases.length / rs.length,
        secondsPerRun: rs.reduce((a, r) => a + r.seconds, 0) / rs.length,
        repeatsPerRun: rs.reduce((a, r) => a + (r.repeats ?? 0), 0) / rs.length,
      })
    }
  const tasks = refs.map((r) => ({
    name: r.name,
    family: r.family,
    optimum: optima.get(r.name) ?? null,
  }))
  return { tasks, cells, timing, criteria: criteria(cells, refs, budgets, tuners, focus), focus }
}

function criteria(
  cells: RaceCell[],
  refs: TaskRef[],
  budgets: number[],
  tuners: string[],
  focus: string,
): Criteria | null {
  if (!tuners.includes(focus)) return null
  const dev = refs.filter((r) => r.family !== 'xgboost').map((r) => r.name)
  const cell = (task: string, budget: number, tuner: string) =>
    cells.find((c) => c.task === task && c.budget === budget && c.tuner === tuner)
  const perBudget = budgets
    .filter((b) => [50, 100, 200].includes(b))
    .map((budget) => {
      const mine = dev.map((t) => cell(t, budget, focus)!).filter(Boolean)
      const count = (f: (c: RaceCell) => boolean) => mine.filter(f).length
      const rl = tuners.includes('rl')
        ? mine.map((c) => ({ c, rl: cell(c.task, budget, 'rl')! }))
        : null
      return {
        budget,
        notWorseThanTpe: count((c) => c.vsTpe.verdict !== 'loss'),
        betterThanTpe: count((c) => c.vsTpe.verdict === 'win'),
        betterThanRandom: count((c) => c.vsRandom.verdict === 'win'),
        medianBelowRl: rl ? rl.filter(({ c, rl: r }) => c.median < r.median).length : null,
        betterThanRl: rl
          ? rl.filter(({ c, rl: r }) => pairedVerdict(c.finals, r.finals).verdict === 'win').length
          : null,
      }
    })
  const at100 = dev.map((t) => cell(t, 100, focus)).filter((c): c is RaceCell => Boolean(c))
  const evalsRatioAt100 = at100.length ? median(at100.map((c) => c.evalsToTpe / 100)) : null
  const n = dev.length
  const all = (f: (b: Criteria['perBudget'][number]) => boolean) =>
    perBudget.length > 0 && perBudget.every(f)
  return {
    tuner: focus,
    tasks: n,
    perBudget,
    evalsRatioAt100,
    met: {
      'not worse than tpe on ≥ 85%': all((b) => b.notWorseThanTpe >= 0.85 * n),
      'better than tpe on ≥ 30%': all((b) => b.betterThanTpe >= 0.3 * n),
      'better than random on every task': all((b) => b.betterThanRandom === n),
      'evals to tpe’s 100-trial best / 100 ≤ 0.6':
        evalsRatioAt100 !== null && evalsRatioAt100 <= 0.6,
      'beats rl on ≥ 75%': all((b) => b.medianBelowRl !== null && b.medianBelowRl >= 0.75 * n),
    },
  }
}

const MARK: Record<Verdict, string> = { win: '+', tie: ' ', loss: '-' }

/** Three significant digits; an exponent for the tiny and the huge regrets of tabular and synthetic tasks. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  if (x === 0) return '0'
  const a = Math.abs(x)
  if (a < 1e-3 || a >= 1e5) return x.toExponential(2).replace('e-', 'e-').replace('e+', 'e')
  return Number(x.toPrecision(3)).toString()
}

export function printRace(s: RaceSummary): void {
  const tuners = [...new Set(s.cells.map((c) => c.tuner))]
  const budgets = [...new Set(s.cells.map((c) => c.budget))]
  console.log(
    '\nmedian final regret over seeds (XGBoost: validation log-loss) [95% bootstrap interval]; + / - = significantly better / worse than tpe (Wilcoxon signed-rank, p < 0.05, paired by seed); n→tpe = median evaluations to reach tpe’s median final best',
  )
  for (const budget of budgets) {
    console.log(`\n— budget ${budget} —`)
    const width = 31
    console.log(`${'task'.padEnd(34)}${tuners.map((t) => t.padEnd(width)).join('')}`)
    for (const task of s.tasks) {
      const row = tuners.map((t) => {
        const c = s.cells.find((x) => x.task === task.name && x.budget === budget && x.tuner === t)
        if (!c) return '–'.padEnd(width)
        const reach = t === 'tpe' ? '' : ` n→${Number.isFinite(c.evalsToTpe) ? c.evalsToTpe : '∞'}`
        const text = `${fmt(c.median)}${MARK[c.vsTpe.verdict]}[${fmt(c.interval[0])},${fmt(c.interval[1])}]${reach}`
        return `${text} `.padEnd(width)
      })
      console.log(`${task.name.slice(0, 33).padEnd(34)}${row.join('')}`)
    }
    const dev = s.cells.filter((c) => c.budget === budget && c.family !== 'xgboost')
    console.log(
      `${'win/tie/loss vs tpe (synth+tab)'.padEnd(34)}${tuners
        .map((t) => {
          const mine = dev.filter((c) => c.tuner === t)
          const n = (v: Verdict) => mine.filter((c) => c.vsTpe.verdict === v).length
          return `${n('win')}/${n('tie')}/${n('loss')}`.padEnd(width)
        })
        .join('')}`,
    )
  }
  console.log(
    '\ntime per ask() without a model phase, median ms; model phases (ms, median / max) — this machine, noisy',
  )
  for (const t of s.timing)
    console.log(
      `  ${t.tuner.padEnd(14)} ${t.family.padEnd(10)} ask ${fmt(t.askMsMedian)} ms, tell ${fmt(t.tellMsMedian)} ms${t.phaseMsMax === null ? '' : `; ${t.phasesPerRun.toFixed(1)} phases/run, ${fmt(t.phaseMsMedian!)} / ${fmt(t.phaseMsMax)} ms`}; ${t.secondsPerRun.toFixed(1)} s/run; ${(t.repeatsPerRun ?? 0).toFixed(1)} repeated proposals/run`,
    )
  const c = s.criteria
  if (!c) return
  console.log(`\nissue-12 criteria for ${c.tuner} on ${c.tasks} synthetic + tabular tasks:`)
  for (const b of c.perBudget)
    console.log(
      `  budget ${b.budget}: not worse than tpe ${b.notWorseThanTpe}/${c.tasks}, better ${b.betterThanTpe}/${c.tasks}; better than random ${b.betterThanRandom}/${c.tasks}${b.medianBelowRl === null ? '' : `; below rl's median ${b.medianBelowRl}/${c.tasks} (significantly ${b.betterThanRl})`}`,
    )
  if (c.evalsRatioAt100 !== null)
    console.log(
      `  median evaluations to reach tpe's 100-trial best, / 100: ${fmt(c.evalsRatioAt100)}`,
    )
  for (const [name, ok] of Object.entries(c.met))
    console.log(`  ${ok ? 'met    ' : 'not met'}  ${name}`)
}

/**
 * The race as README tables: per budget, each task's median final regret per tuner (bold: the
 * lowest; + / − significantly better / worse than tpe), then win/tie/loss against tpe.
 */
export function markdownRace(
  s: RaceSummary,
  tuners: readonly string[],
  budgets: readonly number[],
): string {
  const out: string[] = []
  for (const budget of budgets) {
    out.push(`**${budget} trials** — median final regret over seeds`, '')
    out.push(`| task | ${tuners.join(' | ')} |`, `|---|${tuners.map(() => '---:').join('|')}|`)
    for (const task of s.tasks) {
      const cells = tuners.map((t) =>
        s.cells.find((c) => c.task === task.name && c.budget === budget && c.tuner === t),
      )
      const best = Math.min(...cells.map((c) => c?.median ?? Infinity))
      const shown = cells.map((c) => {
        if (!c) return '–'
        const mark =
          c.tuner === 'tpe'
            ? ''
            : c.vsTpe.verdict === 'win'
              ? ' +'
              : c.vsTpe.verdict === 'loss'
                ? ' −'
                : ''
        const text = `${fmt(c.median)}${mark}`
        return c.median === best ? `**${text}**` : text
      })
      if (cells.some(Boolean)) out.push(`| ${task.name} | ${shown.join(' | ')} |`)
    }
    const dev = s.cells.filter((c) => c.budget === budget && c.family !== 'xgboost')
    const wtl = tuners.map((t) => {
      if (t === 'tpe') return ''
      const mine = dev.filter((c) => c.tuner === t)
      const n = (v: Verdict) => mine.filter((c) => c.vsTpe.verdict === v).length
      return `${n('win')}/${n('tie')}/${n('loss')}`
    })
    out.push(`| win/tie/loss vs tpe (synthetic + tabular) | ${wtl.join(' | ')} |`, '')
  }
  return out.join('\n')
}
