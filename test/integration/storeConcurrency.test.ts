// Several real Node processes on one SQLite file: concurrent writers (no SQLITE_BUSY, every row there,
// trial numbers unique), and leases whose holder stopped heartbeating or died.
import Database from 'better-sqlite3'
import { fork, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { openStudyStore } from '../../src/main/store/openStudyStore.ts'
import { braninSpec } from '../conformance/storeTestHelpers.ts'

const CHILD = fileURLToPath(new URL('./storeChild.ts', import.meta.url))
const dir = mkdtempSync(path.join(os.tmpdir(), 'hpo-store-procs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const children: ChildProcess[] = []
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill()
})

type Msg = { type: string; [k: string]: unknown }
function spawnChild(args: string[]) {
  const child = fork(CHILD, args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.push(child)
  const next = (type: string) =>
    new Promise<Msg>((resolve, reject) => {
      const onMessage = (m: Msg) => {
        if (m.type === 'error') reject(new Error(`child ${child.pid}: ${String(m.message)}`))
        else if (m.type === type) {
          child.off('message', onMessage)
          resolve(m)
        }
      }
      child.on('message', onMessage)
      child.once('exit', (code) => reject(new Error(`child exited with ${code} before ${type}`)))
    })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
  return { child, next, exited }
}

describe('one SQLite file, several processes', () => {
  it('takes concurrent writes from three processes without a busy error or a lost row', async () => {
    const file = path.join(dir, 'concurrent.sqlite')
    const count = 120
    const steps = 10
    // The children open (and migrate) the new file at the same moment.
    const kids = [0, 1, 2].map(() => spawnChild(['write', file]))
    await Promise.all(kids.map((k) => k.next('ready')))
    const store = openStudyStore(file)
    const { id } = store.createStudy(braninSpec('shared'))
    const done = kids.map((k) => k.next('done'))
    kids.forEach((k, i) => k.child.send({ type: 'go', studyId: id, count, steps, tag: `c${i}` }))
    const results = await Promise.all(done)
    expect(await Promise.all(kids.map((k) => k.exited))).toEqual([0, 0, 0])

    const trials = store.listTrials(id)
    expect(trials).toHaveLength(3 * count)
    expect(trials.map((t) => t.number)).toEqual([...Array(3 * count).keys()])
    expect(trials.every((t) => t.state === 'complete')).toBe(true)
    const written = results.flatMap((r) => r.ids as number[]).sort((a, b) => a - b)
    expect(written).toEqual(trials.map((t) => t.id).sort((a, b) => a - b))
    // The writers really overlapped: consecutive trial numbers come from different processes.
    const switches = trials.filter(
      (t, i) => i > 0 && t.userAttrs.tag !== trials[i - 1].userAttrs.tag,
    )
    expect(switches.length).toBeGreaterThan(3)
    for (const tag of ['c0', 'c1', 'c2'])
      expect(trials.filter((t) => t.userAttrs.tag === tag)).toHaveLength(count)
    const points = store.getIntermediateValues(id)
    expect([...points.values()].reduce((n, v) => n + v.length, 0)).toBe(3 * count * steps)
    expect(store.getTrialLog(trials[5].id).stdout).toMatch(/^c\d trial 5\n$/)
    expect(store.listUntoldFinished(id)).toEqual([])
    store.close()

    const raw = new Database(file, { readonly: true })
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok')
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    raw.close()
  })

  it('refuses the lease of a live process and takes it over once that process is killed', async () => {
    const file = path.join(dir, 'dead-holder.sqlite')
    const store = openStudyStore(file)
    const { id } = store.createStudy(braninSpec('held'))
    const holder = spawnChild(['hold', file, String(id)])
    const { trialNumber } = await holder.next('held')
    const pid = holder.child.pid!
    const me = { pid: process.pid, host: os.hostname() }
    const refused = store.acquireLease(id, me)
    expect(refused).toMatchObject({ ok: false, holder: { pid, host: os.hostname() } })
    expect(store.recoverStaleTrials()).toBe(0)

    holder.child.kill('SIGKILL')
    await holder.exited
    expect(store.getLease(id)!.stale).toBe(true)
    expect(store.acquireLease(id, me)).toEqual({ ok: true })
    expect(store.getTrial(id, trialNumber as number)).toMatchObject({
      state: 'interrupted',
      error: `interrupted: the process running the study (pid ${pid} on host ${os.hostname()}) stopped`,
    })
    store.close()
  })

  it('takes over the lease of a live process that stopped heartbeating', async () => {
    const file = path.join(dir, 'silent-holder.sqlite')
    const staleMs = 400
    const store = openStudyStore(file, { staleMs })
    const { id } = store.createStudy(braninSpec('silent'))
    const holder = spawnChild(['hold', file, String(id)])
    const { trialNumber } = await holder.next('held')
    const me = { pid: process.pid, host: os.hostname() }
    await new Promise((r) => setTimeout(r, staleMs + 100))
    expect(store.acquireLease(id, me).ok).toBe(false)
    const silent = holder.next('silent')
    holder.child.send({ type: 'silence' })
    await silent
    await new Promise((r) => setTimeout(r, staleMs + 100))
    expect(holder.child.exitCode).toBeNull()
    expect(store.acquireLease(id, me)).toEqual({ ok: true })
    expect(store.getTrial(id, trialNumber as number)!.state).toBe('interrupted')
    store.close()
  })
})
