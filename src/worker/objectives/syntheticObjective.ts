// Runs in a trial worker: a standard test function evaluated at the configuration.
import type { ObjectiveSpec } from '../../shared/objectiveSpec.ts'
import type { Objective } from '../../shared/objective.ts'
import { syntheticFunction } from '../../shared/syntheticFunctions.ts'

export function createSyntheticObjective(
  spec: Extract<ObjectiveSpec, { kind: 'synthetic' }>,
): Objective {
  const fn = syntheticFunction(spec.function, spec.dimensions)
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
      return {
        value: fn.evaluate(params),
        backend: 'synthetic',
        userAttrs: { regret: fn.evaluate(params) - fn.optimum },
      }
    },
  }
}
