import { rmSync } from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/helpers/cli.ts'
import { createTestStudy } from '../../../test/helpers/testStudy.ts'
import type { StudioEvent } from '../../shared/studioApi.ts'
import { openStudyStore } from '../store/openStudyStore.ts'
import type { StudyStore } from '../store/studyStore.ts'
import { followStudies } from './studyFollower.ts'

// `other` stands for another process (the CLI) writing the same database file.
let dir: string
let mine: StudyStore
let other: StudyStore

beforeEach(() => {
  dir = tempDir('hpo-follow-')
  mine = openStudyStore(path.join(dir, 's.sqlite'))
  other = openStudyStore(path.join(dir, 's.sqlite'))
})
afterEach(() => {
  mine.close()
  other.close()
  rmSync(dir, { recursive: true, force: true })
})

const createStudy = (store: StudyStore, name: string): number =>
  createTestStudy(
    store,
    { name, direction: 'minimize', objective: { kind: 'synthetic', function: 'branin' } },
    0,
  )

describe('followStudies', () => {
  it('turns another process’s writes into the runner’s events', () => {
    const events: StudioEvent[] = []
    let here = false
    const follower = followStudies(mine, {
      isRunningHere: () => here,
      emit: (e) => events.push(e),
      intervalMs: 0,
    })
    follower.poll()
    expect(events).toEqual([])

    const id = createStudy(other, 'cli-study')
    follower.poll()
    expect(events).toEqual([{ type: 'studies-changed' }])
    events.length = 0

    other.setStudyState(id, 'running')
    const t0 = other.createTrial(id, { state: 'running', params: { x1: 1, x2: 2 } })
    other.addIntermediate(t0.id, 0, 5)
    follower.poll()
    expect(events.map((e) => e.type)).toEqual(['trial-started', 'intermediate', 'study-state'])
    expect(events[2]).toMatchObject({ state: 'running', studyId: id })
    events.length = 0

    other.addIntermediate(t0.id, 1, 4)
    other.finishTrial(t0.id, { state: 'complete', value: 3 })
    // started and finished between two polls: both are still told, in order
    const t1 = other.createTrial(id, { state: 'running', params: { x1: 0, x2: 0 } })
    other.finishTrial(t1.id, { state: 'failed', value: null, error: 'boom' })
    follower.poll()
    expect(events).toEqual([
      {
        type: 'trial-started',
        studyId: id,
        trialNumber: 1,
        params: { x1: 0, x2: 0 },
        startedAt: expect.any(String),
      },
      { type: 'intermediate', studyId: id, trialNumber: 0, step: 1, value: 4 },
      {
        type: 'trial-finished',
        studyId: id,
        trialNumber: 0,
        state: 'complete',
        value: 3,
        error: null,
        isBest: true,
      },
      {
        type: 'trial-finished',
        studyId: id,
        trialNumber: 1,
        state: 'failed',
        value: null,
        error: 'boom',
        isBest: false,
      },
    ])
    events.length = 0
    follower.poll()
    expect(events).toEqual([])

    // a study this process runs is reported by the runner, never twice
    here = true
    other.createTrial(id, { state: 'running', params: { x1: 0, x2: 1 } })
    follower.poll()
    expect(events).toEqual([])
    follower.stop()
  })
})
