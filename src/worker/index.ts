// Entry of every worker process (Electron utility process or Node child): `index.ts tuner|trial`.
import type { WorkerRole } from '../shared/workerProtocol.ts'
import { connectToParent } from './connectToParent.ts'
import { exitWithParent } from './exitWithParent.ts'
import { KILL_GRACE_MS } from './objectives/commandObjective.ts'
import { serveTrialWorker } from './trialWorker.ts'
import { serveTunerWorker } from './tunerWorker.ts'

const role = (process.argv[2] ?? process.env.HPO_WORKER_ROLE) as WorkerRole
// Ctrl-C in a terminal reaches the whole foreground group; main decides how workers stop.
process.on('SIGINT', () => {})

const parent = connectToParent()
// after the trial worker's own clean-up on disconnect (a command's process group) has had its time
exitWithParent(KILL_GRACE_MS + 3000)
if (role === 'tuner') serveTunerWorker(parent)
else if (role === 'trial') serveTrialWorker(parent)
else {
  console.error(`unknown worker role ${JSON.stringify(role)}; expected tuner or trial`)
  process.exit(2)
}
parent.send({ kind: 'event', type: 'ready', role, pid: process.pid })
