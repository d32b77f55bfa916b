// Entry of every worker process (Electron utility process or Node child): `index.ts tuner|trial|analysis`.
import os from 'node:os'
import { COMMAND_KILL_GRACE_MS, type WorkerRole } from '../shared/workerProtocol.ts'
import { connectToParent, type ParentConnection } from './connectToParent.ts'
import { exitWithParent } from './exitWithParent.ts'

type Serve = (parent: ParentConnection) => void
// Each role loads only its own code: a trial worker starts without the tuners' TensorFlow.js (seconds, and
// a trial on Slurm starts a worker of its own).
const ROLES: Record<WorkerRole, () => Promise<Serve>> = {
  tuner: async () => (await import('./tunerWorker.ts')).serveTunerWorker,
  trial: async () => (await import('./trialWorker.ts')).serveTrialWorker,
  analysis: async () => (await import('./analysis/analysisWorker.ts')).serveAnalysisWorker,
}

const role = (process.argv[2] ?? process.env.HPO_WORKER_ROLE) as WorkerRole
// Ctrl-C in a terminal reaches the whole foreground group; main decides how workers stop.
process.on('SIGINT', () => {})
const niceness = Number(process.env.HPO_WORKER_NICENESS ?? 0)
if (niceness > 0)
  try {
    os.setPriority(niceness)
  } catch {
    // Not permitted here: it runs at normal priority, which is only slower for the UI.
  }

if (!Object.hasOwn(ROLES, role)) {
  console.error(`unknown worker role ${JSON.stringify(role)}; expected tuner, trial or analysis`)
  process.exit(2)
}
const serve = await ROLES[role]()
const parent = connectToParent()
// a busy main thread never sees its parent go: a thread of its own ends the orphan, after the trial
// worker's own clean-up (a command's process group) has had its time
exitWithParent(COMMAND_KILL_GRACE_MS + 3000)
serve(parent)
const jobId = process.env.SLURM_JOB_ID
parent.send({
  kind: 'event',
  type: 'ready',
  role,
  pid: process.pid,
  ...(jobId ? { node: os.hostname(), jobId } : {}),
})
