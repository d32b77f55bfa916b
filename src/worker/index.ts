// Entry of every worker process (Electron utility process or Node child): `index.ts tuner|trial|analysis`.
import os from 'node:os'
import type { WorkerRole } from '../shared/workerProtocol.ts'
import { serveAnalysisWorker } from './analysis/analysisWorker.ts'
import { connectToParent, type ParentConnection } from './connectToParent.ts'
import { serveTrialWorker } from './trialWorker.ts'
import { serveTunerWorker } from './tunerWorker.ts'

const ROLES: Record<WorkerRole, (parent: ParentConnection) => void> = {
  tuner: serveTunerWorker,
  trial: serveTrialWorker,
  analysis: serveAnalysisWorker,
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
const parent = connectToParent()
ROLES[role](parent)
const jobId = process.env.SLURM_JOB_ID
parent.send({
  kind: 'event',
  type: 'ready',
  role,
  pid: process.pid,
  ...(jobId ? { node: os.hostname(), jobId } : {}),
})
