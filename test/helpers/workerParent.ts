// A stand-in for main that a test kills: it starts a trial worker — a Node child through the Node host, or
// the worker entry as a utility process would run it — runs a command objective that sleeps, prints
// `{"worker": PID, "pgid": PGID}` once the command runs, and waits to be killed.
// Usage: workerParent.ts node|utility TRIAL_DIR
import { spawn } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { TrialRunSpec, WorkerMessage } from '../../src/shared/workerProtocol.ts'
import { createNodeChildHost } from '../../src/main/workers/nodeChildHost.ts'

const [mode, trialDir] = process.argv.slice(2)
const spec: TrialRunSpec = {
  trialNumber: 0,
  objective: { kind: 'command', run: ['sleep', '300'] },
  metric: 'value',
  direction: 'minimize',
  params: {},
  seed: 1,
  trialDir,
  timeoutSeconds: null,
  resources: {},
}
const run = { type: 'run' as const, spec, id: 1 }

function report(workerPid: number | undefined, message: WorkerMessage): void {
  if (message.kind === 'event' && message.type === 'process-group')
    process.stdout.write(`${JSON.stringify({ worker: workerPid, pgid: message.pgid })}\n`)
}

if (mode === 'node') {
  const worker = createNodeChildHost().spawn('trial')
  worker.onMessage((m) => report(worker.pid, m))
  worker.send(run)
} else {
  const harness = fileURLToPath(new URL('./utilityProcessHarness.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', harness, 'trial'], {
    cwd: path.dirname(harness),
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  createInterface({ input: child.stdout }).on('line', (line) =>
    report(child.pid, JSON.parse(line) as WorkerMessage),
  )
  child.stdin.write(`${JSON.stringify(run)}\n`)
}
setInterval(() => {}, 60_000)
