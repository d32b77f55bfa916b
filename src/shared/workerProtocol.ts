// The one main ⇄ worker contract, for both hosts (Node child process, Electron utility process).
// Bodies are a union, `id` is added by intersection, results live in a map (never Omit<> over the union).
import type { AgentSnapshot } from './agentSnapshot.ts'
import type { AnalysisRequestBody, AnalysisResultMap } from './analysisProtocol.ts'
import type { ObjectiveSpec } from './objectiveSpec.ts'
import type { StudyGoals } from './objectivesSpec.ts'
import type { Direction } from './study.ts'
import type { Config, SearchSpace } from './searchSpace.ts'
import type { FinishedTrial, Json, PendingTrial } from './trial.ts'
import type { Proposal } from './tuner.ts'
import type { TunerSpec } from './tunerSpec.ts'

/** tuner: one per running study; trial: one per slot; analysis: the UI's importance, downsampling, data checks. */
export type WorkerRole = 'tuner' | 'trial' | 'analysis'

export type TunerWorkerRequestBody =
  | {
      type: 'init'
      space: SearchSpace
      direction: Direction
      /** Several objectives: every objective's direction; constraints: how many. */
      directions?: Direction[]
      constraints?: number
      seed: number
      tuner: TunerSpec
      /** The saved tuner state, or null for a fresh tuner. */
      state: Uint8Array | null
      /** Finished trials the tuner already knows (its state includes them); the worker keeps this history. */
      finished: FinishedTrial[]
    }
  | { type: 'ask'; pending: PendingTrial[] }
  | { type: 'tell'; trial: FinishedTrial; pending: PendingTrial[] }

export interface TrialRunSpec {
  trialNumber: number
  /** Objective with every path made absolute by main. */
  objective: ObjectiveSpec
  metric: string
  direction: Direction
  /** Several objectives or constraints: what the trial must report (absent: `metric` alone). */
  goals?: StudyGoals
  params: Config
  seed: number
  trialDir: string
  /** The study's space, for objectives that pass parameter types on (a command's $HPO_SPACE). */
  space?: SearchSpace
  /** Seconds before main fails the trial; the worker may also enforce it (commands). */
  timeoutSeconds: number | null
  /** XGBoost threads, the GPU assigned to this slot, the tfjs backend preferred… */
  resources: {
    nthread?: number
    gpu?: number | null
    backend?: string
    xgboostLibrary?: string
    dataDirs?: string[]
  }
}

export type TrialWorkerRequestBody =
  | { type: 'run'; spec: TrialRunSpec }
  | { type: 'cancel'; reason: string }
  /** The pruner's answer to a trial's report at `step`: a command's client waits for it in should_prune(). */
  | { type: 'pruneChecked'; trialNumber: number; step: number; prune: boolean }
  /** Retrains a configuration with its seed and saves the model (gbdt: XGBoost JSON; cnn: a tfjs model folder). */
  | { type: 'saveModel'; spec: TrialRunSpec; file: string }
  /** Scores a configuration on the held-out test set (gbdt `test:` file, cnn official test images). */
  | { type: 'scoreTest'; spec: TrialRunSpec }
  /** Checks and describes the study's data files before it runs (params of the spec are ignored). */
  | { type: 'describeData'; spec: TrialRunSpec }

export type WorkerRequestBody =
  TunerWorkerRequestBody | TrialWorkerRequestBody | AnalysisRequestBody
export type WorkerRequest = WorkerRequestBody & { id: number }

export interface TrialRunResult {
  /** The first objective's value. */
  value: number
  /** Every objective's value in the study file's order; null in a single-objective study. */
  values?: number[] | null
  /** The constrained values by name; null when the study has no constraints. */
  constraints?: Record<string, number> | null
  /** Every constraint holds; null without constraints. */
  feasible?: boolean | null
  userAttrs: Record<string, Json>
  backend: string | null
}

export interface WorkerResultMap extends AnalysisResultMap {
  init: { tunerKind: string }
  ask: { proposal: Proposal; state: Uint8Array }
  tell: { state: Uint8Array; agentSnapshot: AgentSnapshot | null; warning: string | null }
  run: TrialRunResult
  cancel: null
  pruneChecked: null
  saveModel: { description: string }
  scoreTest: { score: number; description: string }
  describeData: DataDescription[]
}

export const DATASET_KINDS = ['tabular', 'images'] as const

/**
 * After a cancel, the milliseconds a trial worker gives a command's process group between SIGTERM and
 * SIGKILL; main waits longer before it kills the worker, so the worker ends the command's processes first.
 */
export const COMMAND_KILL_GRACE_MS = 5000

/** A data file as the store registers it: what it is, its content hash, shape and classes. */
export interface DatasetInfo {
  name: string
  kind: (typeof DATASET_KINDS)[number]
  path: string
  hash: string
  /** rows × features for tabular; count × height × width for images. */
  shape: number[]
  classCounts: Record<string, number>
  /** String labels → class index, when the target column had names. */
  classMapping: Record<string, number> | null
}

/** A data file a study uses, as the trial worker checked it before the study runs. */
export interface DataDescription extends DatasetInfo {
  role: 'train' | 'validation' | 'test'
  /** One line for people: "846 rows, 18 features, 4 classes, 0 missing cells". */
  detail: string
}

/** An error as data: a code the caller can branch on and a message for the user. */
export interface WorkerError {
  code:
    | 'BAD_REQUEST'
    | 'TUNER_ERROR'
    | 'OBJECTIVE_FAILED'
    | 'CANCELLED'
    | 'DATASET_INVALID'
    | 'INTERNAL'
  message: string
}

export type WorkerResponse<K extends keyof WorkerResultMap = keyof WorkerResultMap> =
  | { kind: 'response'; id: number; ok: true; result: WorkerResultMap[K] }
  | { kind: 'response'; id: number; ok: false; error: WorkerError }

/** Unsolicited messages from a worker while it runs a request. */
export type WorkerEvent =
  | {
      kind: 'event'
      type: 'ready'
      role: WorkerRole
      pid: number
      /** The machine it runs on and its batch job (SLURM_JOB_ID), when a cluster started it. */
      node?: string
      jobId?: string
    }
  | { kind: 'event'; type: 'intermediate'; trialNumber: number; step: number; value: number }
  | { kind: 'event'; type: 'log'; trialNumber: number; stream: 'stdout' | 'stderr'; line: string }
  | { kind: 'event'; type: 'backend'; trialNumber: number; backend: string; reason: string | null }
  /** A user attribute the objective set (the Python client's hs.attr), kept whatever the outcome. */
  | { kind: 'event'; type: 'user-attr'; trialNumber: number; key: string; value: Json }
  /** A process group the trial worker started (a command): main kills it too if it must kill the worker. */
  | { kind: 'event'; type: 'process-group'; trialNumber: number; pgid: number }

export type WorkerMessage = WorkerResponse | WorkerEvent
