// Entry of every worker process (Electron utility process or Node child): `index.ts tuner|trial|analysis`.
import os from 'node:os'
import { COMMAND_KILL_GRACE_MS, type WorkerRole } from '../shared/workerProtocol.ts'
import { serveAnalysisWorker } from './analysis/analysisWorker.ts'
import { connectToParent, type ParentConnection } from './connectToParent.ts'
import { exitWithParent } from './exitWithParent.ts'
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
// a busy main thread never sees its parent go: a thread of its own ends the orphan, after the trial
// worker's own clean-up (a command's process group) has had its time
exitWithParent(COMMAND_KILL_GRACE_MS + 3000)
ROLES[role](parent)
parent.send({ kind: 'event', type: 'ready', role, pid: process.pid })
