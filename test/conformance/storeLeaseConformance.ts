// The several-processes part of the store conformance suite: leases, stale-trial recovery, control
// requests. Registered by storeConformance(); processes are simulated by holders with made-up pids.
import { describe, expect, it } from 'vitest'
import { braninSpec, deadPid, expectStoreError, type OpenTestStore } from './storeTestHelpers.ts'

const HOST = 'conformance-host'
const OTHER_HOST = 'another-machine'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function storeLeaseConformance(fresh: OpenTestStore): void {
  describe('leases', () => {
    it('grants a free lease, refuses a live holder, lets the holder re-acquire', () => {
      const s = fresh({ host: HOST })
      const { id } = s.createStudy(braninSpec())
      const a = { pid: 4321, host: OTHER_HOST }
      const b = { pid: 1234, host: OTHER_HOST }
      expect(s.getLease(id)).toBeNull()
      expect(s.acquireLease(id, a)).toEqual({ ok: true })
      const lease = s.getLease(id)!
      expect(lease).toMatchObject({ studyId: id, pid: 4321, host: OTHER_HOST, stale: false })
      expect(lease.acquiredAt).toBe(lease.heartbeatAt)
      const refused = s.acquireLease(id, b)
      expect(refused.ok).toBe(false)
      if (!refused.ok) expect(refused.holder).toMatchObject({ pid: 4321, host: OTHER_HOST })
      expect(s.acquireLease(id, a)).toEqual({ ok: true })
      expectStoreError(() => s.acquireLease(999, a), 'STUDY_NOT_FOUND')
    })

    it('moves the heartbeat forward and lets go on release, only for the holder', async () => {
      const s = fresh({ host: HOST })
      const { id } = s.createStudy(braninSpec())
      const a = { pid: 11, host: OTHER_HOST }
      const b = { pid: 12, host: OTHER_HOST }
      s.acquireLease(id, a)
      const first = s.getLease(id)!.heartbeatAt
      await sleep(5)
      s.heartbeat(id, a)
      expect(s.getLease(id)!.heartbeatAt > first).toBe(true)
      expect(s.getLease(id)!.acquiredAt).toBe(first)
      s.releaseLease(id, b)
      expect(s.getLease(id)).not.toBeNull()
      s.releaseLease(id, a)
      expect(s.getLease(id)).toBeNull()
      expect(s.acquireLease(id, b)).toEqual({ ok: true })
      expectStoreError(() => s.heartbeat(id, a), 'BAD_STATE')
    })

    it('counts a live process on this host as alive, even one it may not signal', () => {
      const s = fresh({ host: HOST })
      const { id } = s.createStudy(braninSpec())
      // pid 1 (init) exists everywhere; kill(1, 0) gives EPERM to a non-root user.
      s.acquireLease(id, { pid: 1, host: HOST })
      expect(s.getLease(id)!.stale).toBe(false)
      expect(s.acquireLease(id, { pid: process.pid, host: HOST }).ok).toBe(false)
    })

    it('takes over a lease whose heartbeat is too old and interrupts its running trials', async () => {
      const staleMs = 200
      const s = fresh({ host: HOST, staleMs })
      const { id } = s.createStudy(braninSpec())
      const other = s.createStudy(braninSpec('other'))
      s.acquireLease(id, { pid: 77, host: OTHER_HOST })
      expect(s.acquireLease(id, { pid: process.pid, host: HOST }).ok).toBe(false)
      const running = s.createTrial(id, { state: 'running', params: {} })
      const queued = s.createTrial(id, { state: 'queued', params: {} })
      const done = s.createTrial(id, { state: 'running', params: {} })
      s.finishTrial(done.id, { state: 'complete', value: 1 })
      const elsewhere = s.createTrial(other.id, { state: 'running', params: {} })
      await sleep(staleMs + 50)
      expect(s.getLease(id)!.stale).toBe(true)
      expect(s.acquireLease(id, { pid: process.pid, host: HOST })).toEqual({ ok: true })
      expect(s.getLease(id)).toMatchObject({ pid: process.pid, host: HOST, stale: false })
      expect(s.getTrial(id, running.number)).toMatchObject({
        state: 'interrupted',
        error: `interrupted: the process running the study (pid 77 on host ${OTHER_HOST}) stopped`,
      })
      expect(s.getTrial(id, queued.number)!.state).toBe('queued')
      expect(s.getTrial(id, done.number)!.state).toBe('complete')
      expect(s.getTrial(other.id, elsewhere.number)!.state).toBe('running')
    })

    it('takes over at once a lease held by a process of this host that is gone', () => {
      const s = fresh({ host: HOST })
      const { id } = s.createStudy(braninSpec())
      const pid = deadPid()
      s.acquireLease(id, { pid, host: HOST })
      const t = s.createTrial(id, { state: 'running', params: {} })
      expect(s.getLease(id)!.stale).toBe(true)
      expect(s.acquireLease(id, { pid: process.pid, host: HOST })).toEqual({ ok: true })
      expect(s.getTrial(id, t.number)).toMatchObject({
        state: 'interrupted',
        error: `interrupted: the process running the study (pid ${pid} on host ${HOST}) stopped`,
      })
    })

    it('does not judge the pid of another host (only its heartbeat)', () => {
      const s = fresh({ host: HOST })
      const { id } = s.createStudy(braninSpec())
      s.acquireLease(id, { pid: deadPid(), host: OTHER_HOST })
      expect(s.getLease(id)!.stale).toBe(false)
      expect(s.acquireLease(id, { pid: process.pid, host: HOST }).ok).toBe(false)
    })

    it('recovers running trials of every study whose lease is stale or missing', () => {
      const s = fresh({ host: HOST })
      const live = s.createStudy(braninSpec('live'))
      const dead = s.createStudy(braninSpec('dead'))
      const none = s.createStudy(braninSpec('none'))
      s.acquireLease(live.id, { pid: process.pid, host: HOST })
      s.acquireLease(dead.id, { pid: deadPid(), host: HOST })
      const tl = s.createTrial(live.id, { state: 'running', params: {} })
      const td = s.createTrial(dead.id, { state: 'running', params: {} })
      const td2 = s.createTrial(dead.id, { state: 'running', params: {} })
      const tn = s.createTrial(none.id, { state: 'running', params: {} })
      expect(s.recoverStaleTrials()).toBe(3)
      expect(s.getTrial(live.id, tl.number)!.state).toBe('running')
      expect(s.getTrial(dead.id, td.number)!.state).toBe('interrupted')
      expect(s.getTrial(dead.id, td2.number)!.error).toMatch(/^interrupted: the process/)
      expect(s.getTrial(none.id, tn.number)).toMatchObject({ state: 'interrupted' })
      expect(s.getTrial(none.id, tn.number)!.error).toMatch(/^interrupted: /)
      expect(s.recoverStaleTrials()).toBe(0)
    })
  })

  describe('control requests', () => {
    it('hands requests to the runner oldest first, once, per study', () => {
      const s = fresh()
      const a = s.createStudy(braninSpec('a'))
      const b = s.createStudy(braninSpec('b'))
      s.requestControl(a.id, 'pause', 'cli pid 5')
      s.requestControl(b.id, 'stop', 'app')
      s.requestControl(a.id, 'resume', 'serve')
      s.requestControl(a.id, 'stop', 'cli pid 6')
      const taken = s.takeControlRequests(a.id)
      expect(taken.map((r) => [r.action, r.requestedBy])).toEqual([
        ['pause', 'cli pid 5'],
        ['resume', 'serve'],
        ['stop', 'cli pid 6'],
      ])
      expect(taken[0]).toMatchObject({ studyId: a.id })
      expect(taken[0].requestedAt).toMatch(/Z$/)
      expect(taken[0].id < taken[1].id && taken[1].id < taken[2].id).toBe(true)
      expect(s.takeControlRequests(a.id)).toEqual([])
      expect(s.takeControlRequests(b.id).map((r) => r.action)).toEqual(['stop'])
      expectStoreError(() => s.requestControl(999, 'stop', 'x'), 'STUDY_NOT_FOUND')
    })
  })
}
