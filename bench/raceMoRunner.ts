// The multi-objective race's in-process runner: a tuner against a problem, sequentially
// (ask → evaluate → tell), as the engine runs a study at concurrency 1, without workers, so that
// ask() time is the tuner's own.
import { hypervolume } from '../src/shared/hypervolume.ts'
import { toLosses, violations } from '../src/shared/objectivesSpec.ts'
import { completeTrial, type FinishedTrial } from '../src/shared/trial.ts'
import type { Tuner, TunerInit } from '../src/shared/tuner.ts'
import { feasibleLosses, type RaceMoProblem } from './raceMoProblems.ts'

export type MakeMoTuner = (init: Omit<TunerInit, 'options'>) => Tuner

export interface RaceMoRun {
  /** Hypervolume of the feasible trials after each checkpoint's number of trials. */
  hypervolume: number[]
  /** Milliseconds of each ask(). */
  askMs: number[]
}

export async function runRaceMo(
  problem: RaceMoProblem,
  make: MakeMoTuner,
  seed: number,
  checkpoints: readonly number[],
): Promise<RaceMoRun> {
  const directions = problem.objectives.map((o) => o.direction)
  const tuner = make({
    space: { params: problem.params },
    direction: directions[0],
    directions,
    constraints: problem.constraints.length,
    seed,
  })
  const budget = Math.max(...checkpoints)
  const finished: FinishedTrial[] = []
  const results: ReturnType<RaceMoProblem['evaluate']>[] = []
  const out: RaceMoRun = { hypervolume: [], askMs: [] }
  for (let number = 0; number < budget; number++) {
    const t0 = performance.now()
    const proposal = await tuner.ask({ finished, pending: [] })
    out.askMs.push(performance.now() - t0)
    const result = problem.evaluate(proposal.params)
    results.push(result)
    const losses = toLosses(directions, result.values)
    const trial = completeTrial(number, proposal.params, result.values[0], {
      loss: losses[0],
      tunerData: proposal.tunerData,
      ...(losses.length > 1 ? { losses } : {}),
      ...(problem.constraints.length
        ? { violations: violations(problem.constraints, result.constraints) }
        : {}),
    })
    finished.push(trial)
    await tuner.tell(trial, { finished, pending: [] })
    if (checkpoints.includes(number + 1))
      out.hypervolume.push(hypervolume(feasibleLosses(problem, results), problem.reference))
  }
  ;(tuner as { dispose?: () => void }).dispose?.()
  return out
}
