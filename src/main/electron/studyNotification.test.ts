import { describe, expect, it } from 'vitest'
import { studyNotification } from './studyNotification.ts'

const study = { name: 'xgb', bestValue: 0.93812345, metric: 'accuracy' }

describe('studyNotification', () => {
  it('tells when a study finishes, with its best value, or fails, with the reason', () => {
    expect(
      studyNotification({ type: 'study-state', studyId: 1, state: 'finished', error: null }, study),
    ).toEqual({
      title: 'Study “xgb” finished',
      body: 'best accuracy 0.93812',
    })
    expect(
      studyNotification(
        { type: 'study-state', studyId: 1, state: 'failed', error: 'every trial failed' },
        study,
      ),
    ).toEqual({ title: 'Study “xgb” failed', body: 'every trial failed' })
  })
  it('says nothing about other events', () => {
    expect(
      studyNotification({ type: 'study-state', studyId: 1, state: 'paused', error: null }, study),
    ).toBeNull()
    expect(studyNotification({ type: 'studies-changed' }, study)).toBeNull()
  })
})
