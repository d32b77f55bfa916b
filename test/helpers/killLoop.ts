// Test helper: the engine's promise, checked by force — `hpo-studio run` is SIGKILLed at random moments
// while trials run, then the study is resumed to its budget. Counts what a kill lost. The crash test runs
// a few kills; `npm run bench -- fuzz` runs 20. No vitest in it (the benchmark uses it).
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import path from 'node:path'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { createRng } from '../../src/shared/rng.ts'
import type { Config } from '../../src/shared/searchSpace.ts'
import {
  FIXTURES,
  processesWithMarker,
  runCli,
  sleep,
  startCli,
  tempDir,
  writeStudy,
} from './cli.ts'

export interface KillLoopResult {
  kills: number
  /** Trials complete before a kill and not complete (or with other params) after it. */
  completeLost: number[]
  /** Trials left `running` after recovery (there must be none). */
  leftRunning: number
  /** Processes of the study (its marker in their environment) still alive 12 s after a kill. */
  orphans: number
  integrityFailures: number
  /** Interrupted trials re-run with other params at the end. */
  paramsChanged: number
  interrupted: number
  finalState: string
  finalComplete: number
  budget: number
}

function runningTrials(db: string): number {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true })
    try {
      return (
        raw.prepare("SELECT count(*) AS n FROM trials WHERE state = 'running'").get() as {
          n: number
        }
      ).n
    } finally {
      raw.close()
    }
  } catch {
    return 0
  }
}

async function orphansAfterKill(marker: string): Promise<number> {
  // workers notice their parent is gone and end their commands' process groups (SIGTERM, SIGKILL after 5 s)
  let left = await processesWithMarker(marker)
  for (let waited = 0; left.length && waited < 12_000; waited += 250) {
    await sleep(250)
    left = await processesWithMarker(marker)
  }
  for (const pid of left) process.kill(pid, 'SIGKILL')
  return left.length
}

export async function runKillLoop(options: {
  kills: number
  budget: number
  seed: number
}): Promise<KillLoopResult> {
  const dir = tempDir('hpo-kill-')
  const db = path.join(dir, 'studies.sqlite')
  const marker = randomUUID()
  const file = writeStudy(dir, {
    name: 'crashy',
    direction: 'minimize',
    objective: {
      kind: 'command',
      run: [process.execPath, path.join(FIXTURES, 'commands/steps.mjs')],
      env: { SLEEP_MS: '200', STEPS: '4' },
    },
    space: { x: { type: 'float', low: -2, high: 2 }, y: { type: 'int', low: 0, high: 5 } },
    tuner: { kind: 'random' },
    budget: { trials: options.budget },
    concurrency: 2,
    seed: 3,
  })
  const env = { HPO_TEST_MARKER: marker }
  const rng = createRng(options.seed)
  const completed = new Map<number, Config>()
  const interrupted = new Map<number, Config>()
  const result: KillLoopResult = {
    kills: 0,
    completeLost: [],
    leftRunning: 0,
    orphans: 0,
    integrityFailures: 0,
    paramsChanged: 0,
    interrupted: 0,
    finalState: '',
    finalComplete: 0,
    budget: options.budget,
  }
  for (let kill = 0; kill < options.kills; kill++) {
    const { child, result: exited } = startCli(['run', file, '--db', db], env)
    // the kill lands at a random moment while trials run (start-up time varies with the machine's load)
    for (let waited = 0; runningTrials(db) === 0 && waited < 60_000; waited += 50) await sleep(50)
    await sleep(rng.next() * 1500)
    child.kill('SIGKILL')
    await exited
    result.kills++
    result.orphans += await orphansAfterKill(`HPO_TEST_MARKER=${marker}`)
    const raw = new Database(db, { readonly: true })
    if (raw.pragma('integrity_check', { simple: true }) !== 'ok') result.integrityFailures++
    raw.close()
    const store = openStudyStore(db)
    store.recoverStaleTrials()
    const trials = store.listTrials(store.getStudy('crashy')!.id)
    for (const [n, params] of completed) {
      const t = trials.find((x) => x.number === n)
      if (t?.state !== 'complete' || JSON.stringify(t.params) !== JSON.stringify(params))
        result.completeLost.push(n)
    }
    for (const t of trials) {
      if (t.state === 'complete') completed.set(t.number, t.params)
      if (t.state === 'interrupted') interrupted.set(t.number, t.params)
      if (t.state === 'running') result.leftRunning++
    }
    store.close()
  }
  await runCli(['resume', 'crashy', '--db', db, '--json'], env)
  const store = openStudyStore(db)
  const study = store.getStudy('crashy')!
  const trials = store.listTrials(study.id)
  result.finalState = study.state
  result.finalComplete = trials.filter((t) => t.state === 'complete').length
  result.interrupted = interrupted.size
  for (const [n, params] of interrupted)
    if (JSON.stringify(trials.find((t) => t.number === n)?.params) !== JSON.stringify(params))
      result.paramsChanged++
  store.close()
  return result
}
