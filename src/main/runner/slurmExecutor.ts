// Runs in main: each trial as a Slurm job of its own (srun: one task on one node, the executor's resources),
// its worker speaking the protocol over srun's stdin and stdout. Before the first trial, jobs an earlier run
// of the study left are cancelled and the cluster is checked from a node; when the run ends, no job of the
// study is left. Slurm assigns GPUs (--gpus), so no slot is pinned to one here.
import type { SlurmExecutorSpec } from '../../shared/executorSpec.ts'
import { artifactsDirFor } from '../defaultPaths.ts'
import { cancelStudyJobs, prepareSlurmRun, startSlurmTrialWorker } from '../slurm/slurmTrials.ts'
import { StudyDataError } from './studyData.ts'
import type { ExecutorOptions, TrialExecutor } from './trialExecutor.ts'

export async function createSlurmExecutor(
  o: ExecutorOptions,
  spec: SlurmExecutorSpec,
): Promise<{ executor: TrialExecutor; warnings: string[] }> {
  const { study } = o
  const ready = await prepareSlurmRun(study, spec, o.data, artifactsDirFor(o.store.path))
  if (ready.problems.length)
    throw new StudyDataError(
      `study "${study.name}" cannot run its trials on Slurm:\n  ${ready.problems.join('\n  ')}`,
    )
  const executor: TrialExecutor = {
    start: (_slot, trialNumber) => ({
      client: startSlurmTrialWorker(study, spec, trialNumber),
      gpu: null,
    }),
    release() {},
    workerPerTrial: true,
    async close() {
      try {
        await cancelStudyJobs(study)
        return []
      } catch (e) {
        return [`could not check that no Slurm job of this study is left: ${(e as Error).message}`]
      }
    },
  }
  return { executor, warnings: ready.warnings }
}
