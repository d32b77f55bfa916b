// `npm run bench -- engine [--quick] [--kinds=a,b]`: ask() latency of every tuner kind with 10, 100
// and 1000 finished trials of a mixed 8-parameter space (float, log, int, step, categorical,
// conditional). Tuners run in-process, so this is the tuner's own cost, not the worker round trip.
// gp is capped at 300 finished trials: its fit is O(n³) per likelihood evaluation, which makes one
// ask with 1000 trials take minutes; RL kinds are measured like the others.
import { createRng } from '../src/shared/rng.ts'
import { parseSearchSpace } from '../src/shared/searchSpace.ts'
import { encodeUnit, sampleConfig } from '../src/shared/spaceCodec.ts'
import { type FinishedTrial, completeTrial } from '../src/shared/trial.ts'
import { TUNER_KINDS, tunerSpecSchema } from '../src/shared/tunerSpec.ts'
import { createTuner } from '../src/worker/tuners/createTuner.ts'
import { median, writeBenchResult } from './benchUtil.ts'

const GP_MAX_TRIALS = 300

const parsed = parseSearchSpace({
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  depth: { type: 'int', low: 1, high: 12 },
  subsample: { type: 'float', low: 0.5, high: 1, step: 0.05 },
  x: { type: 'float', low: -3, high: 3 },
  y: { type: 'float', low: -3, high: 3 },
  booster: { type: 'categorical', choices: ['gbtree', 'dart', 'gblinear'] },
  rate_drop: { type: 'float', low: 0, high: 0.5, when: { booster: 'dart' } },
  width: { type: 'int', low: 8, high: 512, log: true },
})
if (!parsed.ok) throw new Error('bad engine bench space')
const SPACE = parsed.value

function history(n: number): FinishedTrial[] {
  const rng = createRng(n)
  return Array.from({ length: n }, (_, i) => {
    const params = sampleConfig(SPACE, rng)
    const loss = SPACE.params.reduce(
      (a, p) => a + (p.name in params ? (encodeUnit(p, params[p.name]) - 0.3) ** 2 : 0),
      0,
    )
    return completeTrial(i, params, loss)
  })
}

export default async function engineBench(args: string[]): Promise<void> {
  const quick = args.includes('--quick')
  const kindsArg = args.find((a) => a.startsWith('--kinds='))
  const kinds = kindsArg ? kindsArg.slice('--kinds='.length).split(',') : [...TUNER_KINDS]
  const sizes = [10, 100, 1000]
  const repeats = quick ? 2 : 5
  const rows: { kind: string; finished: number; askMs: number | null; note?: string }[] = []
  console.log(
    `ask() latency, ${SPACE.params.length}-parameter mixed space, median of ${repeats} asks`,
  )
  console.log(`${'kind'.padEnd(11)} ${sizes.map((n) => `${n} trials`.padStart(12)).join(' ')}`)
  for (const kind of kinds) {
    const cells: string[] = []
    // untimed asks first, so the timings are not the JIT compiler's
    const warm = createTuner(tunerSpecSchema.parse({ kind }), {
      space: SPACE,
      direction: 'minimize',
      seed: 0,
    })
    for (const n of [20, 100, 100]) await warm.ask({ finished: history(n), pending: [] })
    for (const n of sizes) {
      if (kind === 'gp' && n > GP_MAX_TRIALS) {
        rows.push({
          kind,
          finished: n,
          askMs: null,
          note: `capped at ${GP_MAX_TRIALS} trials (O(n³) fit)`,
        })
        cells.push('capped'.padStart(12))
        continue
      }
      const finished = history(n)
      const tuner = createTuner(tunerSpecSchema.parse({ kind }), {
        space: SPACE,
        direction: 'minimize',
        seed: 1,
      })
      const times: number[] = []
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now()
        await tuner.ask({ finished, pending: [] })
        times.push(performance.now() - t0)
      }
      const ms = median(times)
      rows.push({ kind, finished: n, askMs: ms })
      cells.push(`${ms.toFixed(2)} ms`.padStart(12))
    }
    if (kind === 'gp') {
      const finished = history(GP_MAX_TRIALS)
      const tuner = createTuner(tunerSpecSchema.parse({ kind }), {
        space: SPACE,
        direction: 'minimize',
        seed: 1,
      })
      const t0 = performance.now()
      await tuner.ask({ finished, pending: [] })
      const ms = performance.now() - t0
      rows.push({ kind, finished: GP_MAX_TRIALS, askMs: ms })
      cells.push(`(${GP_MAX_TRIALS}: ${ms.toFixed(0)} ms)`)
    }
    console.log(`${kind.padEnd(11)} ${cells.join(' ')}`)
  }
  const random = rows.filter((r) => r.kind === 'random')
  console.log('\nratio vs random (same run), 100 trials:')
  const base = random.find((r) => r.finished === 100)?.askMs
  if (base)
    for (const r of rows.filter((x) => x.finished === 100 && x.askMs !== null))
      console.log(`  ${r.kind.padEnd(11)} ${((r.askMs as number) / base).toFixed(0)}×`)
  const file = writeBenchResult('engine', {
    space: SPACE,
    repeats,
    rows,
    gpMaxTrials: GP_MAX_TRIALS,
  })
  console.log(`wrote ${file}`)
}
