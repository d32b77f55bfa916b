// A child process for storeConcurrency.test.ts: opens the same SQLite file as its parent and either
// writes trials as fast as it can ("write") or holds a study's lease ("hold"), heartbeating until told
// to fall silent.
// Talks to the parent over the fork IPC channel.
import os from 'node:os'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'

type Go = { type: 'go'; studyId: number; count: number; steps: number; tag: string }
const send = (msg: unknown) => process.send!(msg)
const [mode, dbPath] = process.argv.slice(2)

const store = openStudyStore(dbPath)

function writeTrials({ studyId, count, steps, tag }: Go) {
  const ids: number[] = []
  for (let i = 0; i < count; i++) {
    const t = store.createTrial(
      studyId,
      { state: 'running', params: { x1: i, x2: i / count }, userAttrs: { tag } },
      new Uint8Array([i % 256]),
    )
    for (let step = 0; step < steps; step++) store.addIntermediate(t.id, step, i + step / steps)
    store.appendTrialLog(t.id, 'stdout', `${tag} trial ${t.number}\n`)
    store.finishTrial(
      t.id,
      { state: 'complete', value: i },
      { state: new Uint8Array(256).fill(i % 256) },
    )
    if (i % 25 === 0) {
      store.listStudies()
      store.queryTrials(studyId, { sort: { by: 'value' }, limit: 10 })
    }
    ids.push(t.id)
  }
  return ids
}

process.on('message', (msg: Go) => {
  if (msg.type !== 'go') return
  try {
    send({ type: 'done', ids: writeTrials(msg) })
    store.close()
    process.disconnect()
  } catch (e) {
    send({ type: 'error', message: String((e as Error).stack ?? e) })
    process.exit(1)
  }
})

if (mode === 'hold') {
  const studyId = Number(process.argv[4])
  const lease = store.acquireLease(studyId, { pid: process.pid, host: os.hostname() })
  if (!lease.ok) throw new Error(`hold: lease refused, held by pid ${lease.holder.pid}`)
  const trial = store.createTrial(studyId, { state: 'running', params: { x1: 1 } })
  const holder = { pid: process.pid, host: os.hostname() }
  const beat = setInterval(() => store.heartbeat(studyId, holder), 50)
  process.on('message', (m: { type: string }) => {
    if (m.type !== 'silence') return
    clearInterval(beat)
    send({ type: 'silent' })
  })
  send({ type: 'held', trialNumber: trial.number })
  // Alive until killed; after 'silence' it no longer heartbeats, like a hung process.
  setInterval(() => {}, 60_000)
} else {
  send({ type: 'ready' })
}
