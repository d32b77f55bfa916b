// Where a study's trials run (study-file.md, `executor`): on this machine (local, the default), or each trial
// as a Slurm job step (slurm.md). Options are Slurm's own, passed to srun as they are.
import { z } from 'zod'

/** Slurm's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours[:minutes[:seconds]]. */
const SLURM_TIME = /^(\d+-\d+(:\d+){0,2}|\d+(:\d+){0,2})$/

export const executorSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('local') }),
  z.strictObject({
    kind: z.literal('slurm'),
    /** srun --partition; the cluster's default partition when absent. */
    partition: z.string().min(1).optional(),
    /** srun --time: Slurm ends a trial's job after this long (a number is minutes). */
    time: z
      .union([
        z.number().int().positive().transform(String),
        z
          .string()
          .regex(SLURM_TIME, 'Slurm time: minutes, HH:MM:SS, or D-HH:MM:SS (e.g. 30, 1:30:00)'),
      ])
      .optional(),
    /** srun --cpus-per-task; also XGBoost's nthread in the trial. */
    cpusPerTrial: z.number().int().min(1).max(1024).default(1),
    /** srun --gpus; Slurm assigns the GPUs (CUDA_VISIBLE_DEVICES), not HPO Studio. */
    gpusPerTrial: z.number().int().min(0).max(64).default(0),
    /** srun --mem: megabytes, or with a unit (K, M, G, T). */
    memory: z
      .union([
        z.number().int().positive().transform(String),
        z.string().regex(/^\d+[KMGT]?$/, 'Slurm memory: a number of MB, or with K, M, G or T'),
      ])
      .optional(),
    /** srun --account. */
    account: z.string().min(1).optional(),
    /** Further srun options, each one argument (e.g. --qos=high, --constraint=v100). */
    extra: z
      .array(z.string().regex(/^-/, 'each extra srun option starts with - (e.g. --qos=high)'))
      .default([]),
  }),
])

export type ExecutorSpec = z.output<typeof executorSpecSchema>
export type SlurmExecutorSpec = Extract<ExecutorSpec, { kind: 'slurm' }>
export const EXECUTOR_KINDS: readonly ExecutorSpec['kind'][] = ['local', 'slurm']
