// Runs in a trial worker: the objective for a trial. Heavy trainers load only when a study uses them.
import type { Objective } from '../../shared/objective.ts'
import type { TrialRunSpec } from '../../shared/workerProtocol.ts'
import { createCommandObjective } from './commandObjective.ts'
import { createSyntheticObjective } from './syntheticObjective.ts'
import { createTabularObjective } from './tabularObjective.ts'

export async function createObjective(
  spec: TrialRunSpec,
  onProcessGroup: (pgid: number) => void,
): Promise<Objective> {
  const o = spec.objective
  switch (o.kind) {
    case 'synthetic':
      return createSyntheticObjective(o)
    case 'tabular':
      return createTabularObjective(o)
    case 'command':
      return createCommandObjective(o, {
        timeoutSeconds: spec.timeoutSeconds,
        onProcessGroup,
        space: spec.space,
      })
    case 'gbdt':
      return (await import('./gbdtObjective.ts')).createGbdtObjective(o, {
        metric: spec.metric,
        resources: spec.resources,
        values: [
          ...(spec.goals?.objectives.map((g) => g.name) ?? []),
          ...(spec.goals?.constraints.map((c) => c.name) ?? []),
        ],
      })
    case 'cnn':
      return (await import('./cnnObjective.ts')).createCnnObjective(o, {
        metric: spec.metric,
        resources: spec.resources,
      })
    case 'external':
      throw new Error(
        'an external objective runs in the client that asked for the trial, not in a worker',
      )
  }
}
