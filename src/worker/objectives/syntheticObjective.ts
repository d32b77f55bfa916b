// Runs in a trial worker: a standard test function evaluated at the configuration.
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import type { Objective } from '../../shared/objective.ts'
import {
  isMultiObjectiveFunction,
  multiObjectiveFunction,
} from '../../shared/multiObjectiveFunctions.ts'
import { syntheticFunction } from '../../shared/syntheticFunctions.ts'

export function createSyntheticObjective(
  spec: Extract<ObjectiveSpec, { kind: 'synthetic' }>,
): Objective {
  const name = spec.function
  const multi = isMultiObjectiveFunction(name)
    ? multiObjectiveFunction(name, spec.dimensions)
    : null
  const fn = isMultiObjectiveFunction(name) ? null : syntheticFunction(name, spec.dimensions)
  return {
    async run(params, ctx) {
      if (spec.delayMs > 0) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, spec.delayMs)
          ctx.signal.addEventListener('abort', () => {
            clearTimeout(timer)
            reject(Object.assign(new Error('cancelled'), { name: 'AbortError' }))
          })
        })
      }
      if (multi) {
        const { values, constraints } = multi.evaluate(params)
        return {
          value: values[0],
          values: Object.fromEntries(multi.objectives.map((o, k) => [o.name, values[k]])),
          constraints,
          backend: 'synthetic',
        }
      }
      const f = fn as NonNullable<typeof fn>
      const value = f.evaluate(params)
      return { value, backend: 'synthetic', userAttrs: { regret: value - f.optimum } }
    },
  }
}
