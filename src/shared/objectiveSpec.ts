// Objective kinds and their options as a study file gives them (paths still as written; main resolves them).
import { z } from 'zod'
import { SYNTHETIC_FUNCTIONS } from './syntheticFunctions.ts'

const paramValue = z.union([z.string(), z.number(), z.boolean()])

/** The longest time limit a timer can hold (setTimeout's 2^31 − 1 ms, 24.8 days). */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000)
/** Linux refuses a longer single argument (MAX_ARG_STRLEN) with E2BIG. */
export const MAX_ARGUMENT_BYTES = 128 * 1024

/** The largest CSV read (a JavaScript string holds 2^29 characters); bigger files are refused up front. */
export const MAX_CSV_BYTES = 512 * 2 ** 20
/** The largest IDX file read (gzipped or not): Fashion-MNIST's images are 47 MB. */
export const MAX_IDX_BYTES = 2 * 2 ** 30

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length
const argument = z
  .string()
  .min(1)
  .refine((a) => utf8Bytes(a) <= MAX_ARGUMENT_BYTES, {
    error: (issue) =>
      `an argument is at most ${MAX_ARGUMENT_BYTES} bytes (the system's limit), got ${utf8Bytes(issue.input as string)} bytes`,
  })

const validationSchema = z.union([
  z.strictObject({
    fraction: z.number().gt(0).lt(1).default(0.2),
    stratify: z.boolean().default(true),
    seed: z.number().int().min(0).default(0),
  }),
  z.strictObject({ file: z.string().min(1) }),
])

export const objectiveSpecSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('synthetic'),
    function: z.enum(SYNTHETIC_FUNCTIONS),
    dimensions: z.number().int().min(2).max(100).optional(),
    /** Artificial time per evaluation in ms (tests and demos of concurrency). */
    delayMs: z.number().int().min(0).max(600_000).default(0),
  }),
  z.strictObject({
    kind: z.literal('command'),
    run: z.array(argument).min(1),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
    timeoutSeconds: z.number().positive().max(MAX_TIMEOUT_SECONDS).optional(),
  }),
  z.strictObject({
    kind: z.literal('gbdt'),
    dataset: z.string().min(1),
    target: z.string().optional(),
    validation: validationSchema.default({ fraction: 0.2, stratify: true, seed: 0 }),
    fixed: z.record(z.string(), paramValue).default({}),
    test: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('cnn'),
    dataset: z.union([
      z.enum(['fashion-mnist', 'mnist']),
      z.strictObject({ images: z.string().min(1), labels: z.string().min(1) }),
    ]),
    model: z.enum(['paper-cnn', 'softmax']).default('paper-cnn'),
    epochs: z.number().int().min(1).max(1000).default(3),
    trainSubset: z.number().int().min(1).optional(),
    validationSubset: z.number().int().min(1).optional(),
    validation: z
      .strictObject({
        fraction: z.number().gt(0).lt(1).default(0.1667),
        seed: z.number().int().min(0).default(0),
      })
      .default({ fraction: 0.1667, seed: 0 }),
    fixed: z.record(z.string(), paramValue).default({}),
  }),
])

export type ObjectiveSpec = z.output<typeof objectiveSpecSchema>
export type ObjectiveKind = ObjectiveSpec['kind']
export const OBJECTIVE_KINDS: readonly ObjectiveKind[] = ['synthetic', 'command', 'gbdt', 'cnn']

/** Metrics each objective kind can report, the default first, with the direction each implies (null: either). */
export const OBJECTIVE_METRICS: Record<
  ObjectiveKind,
  Record<string, 'minimize' | 'maximize' | null>
> = {
  synthetic: { value: 'minimize' },
  command: { value: null },
  gbdt: { accuracy: 'maximize', error: 'minimize', logloss: 'minimize', auc: 'maximize' },
  cnn: { accuracy: 'maximize', error: 'minimize', loss: 'minimize' },
}
